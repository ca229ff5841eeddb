// Breakpoint diagnostics: a function nothing calls (the linker drops it),
// lines without code, and files the build leaves out. Line numbers are used
// by the tests: keep them.
package main

import "fmt"

func used() int {
	return 1
}

// A comment between functions: no code.

func unused() int {
	return 2
}

func main() {
	fmt.Println("used", used())
}

// The end.
