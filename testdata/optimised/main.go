// optimised: built without -N -l (test/e2e/optimised.test.ts). scaled is
// inlined at two call sites, once through twice (a chain of two inlined
// calls); walk keeps its loop variables in registers. main prints what each
// call computed, and exits with a code it computed.
package main

import (
	"fmt"
	"os"
)

// calls counts the calls of scaled: a store the compiler cannot fold away.
var calls int

func scaled(x, k int) int {
	calls++            // BP:scaledBody
	return x*k + calls // BP:scaledReturn
}

func twice(x int) int {
	return scaled(x, 2) // BP:twiceBody
}

//go:noinline
func first(n int) int {
	return twice(n) + 3 // BP:firstCall
}

//go:noinline
func second(n int) int {
	return scaled(n, 5) - 1 // BP:secondCall
}

//go:noinline
func walk(xs []int) int {
	total := 0 // BP:walkStart
	for _, x := range xs {
		if x%2 == 0 {
			total += x * x
		} else {
			total -= x
		}
	}
	fmt.Println("walked", total)
	return total // BP:walkReturn
}

func main() {
	a := first(4)  // BP:callFirst
	b := second(6) // BP:callSecond
	w := walk([]int{1, 2, 3, 4})
	fmt.Println("first", a, "second", b, "walk", w)
	os.Exit((a + b + w) % 100)
}
