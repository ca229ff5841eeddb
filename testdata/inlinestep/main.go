package main

import (
	"fmt"
	"os"
)

// scale is small enough for the compiler to inline into main (plain go build).
func scale(a int) int {
	z := a * a // BP scale
	return leaf(z + a) // BP return
}

//go:noinline
func leaf(x int) int {
	return x + 1 // BP leaf
}

func main() {
	a, b := len(os.Args)+2, len(os.Args)+3
	a = scale(a) // BP first
	b = scale(b) // BP second
	fmt.Println("scaled", a, b)
}
