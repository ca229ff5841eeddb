// Faults on purpose: a nil pointer dereference raises SIGSEGV, which Go turns
// into a panic (exit code 2) unless a debugger stops it first.
package main

import (
	"fmt"
	"os"
)

type node struct {
	val int
}

func read(n *node) int {
	return n.val
}

func main() {
	fmt.Println("before")
	var n *node
	if len(os.Args) > 1 {
		n = &node{val: 1}
	}
	fmt.Println(read(n))
}
