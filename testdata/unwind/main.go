// Built WITH optimisations (no -N -l) so that leaf functions are frameless:
// the unwinder tests walk every instruction of mid and leaf.
package main

import "os"

//go:noinline
func leaf(x int) int {
	return x*3 + 1
}

//go:noinline
func mid(x int) int {
	y := leaf(x)
	z := leaf(y + 1)
	return y*z + x
}

//go:noinline
func bottom(x int) int {
	return x ^ 5
}

//go:noinline
func rec(n int) int {
	if n == 0 {
		return bottom(n)
	}
	return rec(n-1) + 1
}

func main() {
	a := mid(len(os.Args))
	b := rec(1000)
	println(a, b)
}
