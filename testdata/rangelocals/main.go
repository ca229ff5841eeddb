//go:build go1.23

// A function that ranges over an iterator function (Go 1.23): the compiler
// turns the loop body into a closure and gives the enclosing function a
// variable for it (#yield1), which has no Go name. The debugger stops after
// the loop, at the line marked rangelocals stop; the program then prints its
// locals' values (%v) for the test to compare.
package main

import "fmt"

func evens(n int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for i := 0; i < n; i += 2 {
			if !yield(i) {
				return
			}
		}
	}
}

func main() {
	total := 0
	seen := []int{}
	for v := range evens(7) {
		total += v
		seen = append(seen, v)
	}
	label := "evens"
	fmt.Println(total, seen, label) // rangelocals stop
	fmt.Printf("LOCAL total = %v\nLOCAL seen = %v\nLOCAL label = %q\n", total, seen, label)
}
