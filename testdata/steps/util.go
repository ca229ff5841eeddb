package main

import "os"

func twice(x int) int {
	y := x * 2
	return y
}

// leaf is frameless: no locals, no calls.
func leaf(x int) int {
	return x + 1
}

func exitCode() int {
	if os.Getenv("STEPS_EXIT") == "7" {
		return 7
	}
	return 0
}
