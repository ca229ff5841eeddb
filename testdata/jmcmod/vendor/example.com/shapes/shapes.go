// Package shapes stands for a dependency: vendored, so library code for Just My Code.
package shapes

// Apply calls f on x and adds one.
func Apply(f func(int) int, x int) int {
	y := f(x)
	return y + 1
}
