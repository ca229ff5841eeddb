//go:build go1.23

package main

import "fmt"

// seq yields 10, 20, 30: a range-over-func iterator.
func seq(yield func(int, int) bool) {
	for i, v := range []int{10, 20, 30} {
		if !yield(i, v) {
			return
		}
	}
}

// rangeBody's loop body is a closure the compiler makes (rangeBody-range1),
// called by seq: at its line, the source shows total, label, after and v.
func rangeBody() int {
	label := "sum"
	total := 0
	// Not used in the body: not captured, it lives in rangeBody's own frame only.
	after := 5
	fmt.Printf("rbAfter=%d\n", after)
	for _, v := range seq {
		if total == 0 {
			fmt.Printf("rbTotal=%d\nrbV=%d\nrbLabel=%q\n", total, v, label)
		}
		total += v // BP:rangebody
	}
	return total + after
}
