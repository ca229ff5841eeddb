// bpscopes: breakpoints reached only after the program has run a while (the
// adapter resolves their scopes meanwhile), one in a block whose total hides
// the function's, one after that block, each hit twice.
package main

import (
	"fmt"
	"time"
)

type pair struct {
	A, B int
	Name string
}

//go:noinline
func work(n int) int {
	p := pair{A: n, B: n * 2, Name: fmt.Sprint("p", n)}
	total := p.A + p.B
	if n > 1 {
		total := total * 10
		fmt.Println("inner", total, p.Name) // stop inner
	}
	return total // stop return
}

func main() {
	time.Sleep(300 * time.Millisecond)
	a := work(1)
	b := work(2)
	fmt.Println(a, b)
}
