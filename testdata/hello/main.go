package main

import (
	"fmt"
	"os"
)

type point struct {
	X, Y int
}

func add(a, b int) int {
	return a + b
}

func fact(n int) int {
	if n <= 1 {
		return 1
	}
	return n * fact(n-1)
}

func main() {
	p := point{X: 1, Y: 2}
	total := 0
	for i := 0; i < 3; i++ {
		total = add(total, i)
	}
	fmt.Println("total", total, p)
	fmt.Fprintln(os.Stderr, "fact", fact(5))
	os.Exit(3)
}
