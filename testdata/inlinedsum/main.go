// A small generic function that an optimized build (plain `go build`)
// inlines into its only caller and keeps no copy of: its lines are in the
// program inside main.main, and its `return` line has no instruction of its
// own. A breakpoint there must say where the code is, not that the
// function is missing.
package main

import (
	"fmt"
	"os"
)

type Number interface {
	~int | ~float64
}

func Sum[T Number](xs ...T) T {
	var total T
	for _, x := range xs {
		total += x
	}
	return total // inlinedsum return
}

func main() {
	fmt.Println(Sum(len(os.Args), 2, 3))
}
