// The restart test's program: it prints its version and arguments. The test
// copies it to a folder of its own, edits the version, and restarts.
package main

import (
	"fmt"
	"os"
)

const version = 1

func main() {
	args := os.Args[1:]
	fmt.Println("run", version, args)
	fmt.Println("done")
}
