// Prints a counter every 20 ms until killed (or until -n ticks): a target for attach.
package main

import (
	"flag"
	"fmt"
	"time"
)

var count int

func tick(n int) {
	count = n
	fmt.Printf("tick %d\n", n)
}

func main() {
	limit := flag.Int("n", -1, "stop after n ticks")
	flag.Parse()
	for i := 1; *limit < 0 || i <= *limit; i++ {
		tick(i)
		time.Sleep(20 * time.Millisecond)
	}
}
