// bininline: small functions the compiler inlines when built without
// -N -l (same file, another file, another package, generic, nested).
package main

import (
	"fmt"
	"os"

	"example.com/testdata/bininline/mathx"
)

func add(a, b int) int {
	return a + b // MARK:addBody
}

func twice(x int) int {
	return add(x, x) // MARK:twiceBody
}

//go:noinline
func compute(n int) int {
	total := 0
	for i := 0; i < n; i++ { // MARK:computeFor
		total += twice(i)        // MARK:computeTwice
		total += clamp(total, 0, 1000)
		total = mathx.Abs(total - 7)
		total += mathx.Max(i, 2)
	}
	return total
}

func main() {
	n := 5
	if len(os.Args) > 1 && os.Args[1] == "frames" {
		fmt.Println(top(1))
		return
	}
	if len(os.Args) > 1 {
		n = len(os.Args[1])
	}
	fmt.Println(compute(n), add(n, 1))
}
