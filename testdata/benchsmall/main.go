// benchsmall: a small program for the launch → first stop benchmark.
package main

import (
	"fmt"
	"os"
)

func greet(name string) string {
	return "hello, " + name
}

func main() {
	msg := greet("bench") // BENCH:launch
	fmt.Fprintln(os.Stderr, msg)
}
