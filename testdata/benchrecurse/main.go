// benchrecurse: a stack 1,000 frames deep in one recursive function.
package main

import "fmt"

func rec(n int) int {
	if n == 0 {
		return 0 // BENCH:bottom
	}
	return rec(n-1) + 1
}

func main() {
	fmt.Println(rec(999))
}
