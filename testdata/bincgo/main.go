// bincgo: a cgo program (external linking puts C start-up code at the start
// of .text, so the Go text start is not the section's address).
package main

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import "fmt"

func twice(x int) int {
	return int(C.add(C.int(x), C.int(x))) // MARK:cgoCall
}

func main() {
	fmt.Println(twice(21))
}
