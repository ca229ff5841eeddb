// Reads lines from stdin and echoes them: a program that needs a terminal.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func handle(line string) string {
	return "got: " + line
}

func main() {
	sc := bufio.NewScanner(os.Stdin)
	n := 0
	for sc.Scan() {
		fmt.Println(handle(sc.Text()))
		n++
	}
	os.Exit(n)
}
