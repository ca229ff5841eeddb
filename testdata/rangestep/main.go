//go:build go1.23

package main

import (
	"fmt"
	"iter"
)

var order []string

func init() {
	order = append(order, "init1") // BP init1
}

func init() {
	order = append(order, "init2")
}

func Count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) { // BP yield
				return
			}
		}
	}
}

func Pairs(m []string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i, s := range m {
			if !yield(i, s) {
				return
			}
		}
	}
}

func main() {
	total := 0
	for v := range Count(4) {
		if v == 3 {
			break
		}
		total += v // BP body
	}
	for i, s := range Pairs(order) {
		fmt.Println(i, s) // BP pairs
	}
	fmt.Println(total)
}
