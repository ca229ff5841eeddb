package main

import "fmt"

func main() {
	var fns []func() int
	for i := 0; i < 3; i++ { // BP for
		fns = append(fns, func() int {
			return i * 10 // BP closure
		})
	}
	sum := 0
	for _, f := range fns {
		sum += f() // BP call
	}
	fmt.Println("sum", sum) // BP after
}
