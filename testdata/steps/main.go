// A program for breakpoints and stepping: several files, a second package,
// methods, recursion and a closure. Line numbers are used by the tests: keep them.
package main

import (
	"fmt"
	"os"

	"example.com/testdata/steps/geom"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	a := fib(n - 1)
	b := fib(n - 2)
	return a + b
}

func depth(n int) int {
	if n == 0 {
		return leaf(7)
	}
	return depth(n-1) + 1
}

func main() {
	r := geom.Rect{W: 3, H: 4}
	area := r.Area()
	sum := 0
	for i := 0; i < 3; i++ {
		sum += twice(i)
	}
	f := fib(6)
	d := depth(1000)
	sq := func(x int) int {
		return x * x
	}(5)
	fmt.Println("area", area, "sum", sum, "fib", f, "depth", d, "sq", sq)
	fmt.Fprintln(os.Stderr, "done")
	os.Exit(exitCode())
}
