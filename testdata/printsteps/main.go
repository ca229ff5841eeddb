// printsteps: one print per line, to stdout and stderr, with and without a
// newline, for `next` over each: its output must come before the stop. A
// goroutine runs busy() all the while (a conditional breakpoint there that is
// never true keeps the debugger's wait loop busy with hits that do not stop).
// The tests find lines by the PS: markers.
package main

import (
	"fmt"
	"os"
)

var sink int

//go:noinline
func busy(n int) {
	sink += n // PS:busy
}

func main() {
	go func() {
		for i := 0; ; i++ {
			busy(i)
		}
	}()
	total := 0 // PS:start
	fmt.Println("total", total)
	total++
	fmt.Println("total", total)
	fmt.Fprintln(os.Stderr, "to stderr", total)
	fmt.Print("no newline ")
	total++
	fmt.Println("total", total)
	fmt.Fprint(os.Stderr, "stderr without newline ")
	fmt.Println("déjà vu ✓")
	os.Stdout.WriteString("raw write\n")
	fmt.Println("total", total*10)
	fmt.Println("last line") // PS:last
	os.Exit(3)
}
