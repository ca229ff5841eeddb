// buildmodes: one small program built every way a user might build it
// (-race, -linkmode=external, -trimpath, -compressdwarf=false, -s -w,
// optimised): a breakpoint in add, a two-frame stack, locals, an exit code.
package main

import (
	"fmt"
	"os"
)

//go:noinline
func add(a, b int) int {
	sum := a*10 + b
	fmt.Println("add", a, b) // BP:add
	return sum // BP:ret
}

func main() {
	total := 0
	for i := 1; i <= 3; i++ {
		total = add(total, i)
	}
	fmt.Println("total", total)
	os.Exit(3)
}
