// benchloop: a conditional breakpoint false until the last of 10,000 iterations
// (condLoop), then a long loop to step through with `next` (stepLoop).
package main

import "fmt"

var sink int

func condLoop() {
	for i := 0; i < 10000; i++ {
		sink += i // BENCH:cond
	}
}

func stepLoop() {
	for i := 0; i < 1000000; i++ {
		a := i * 2 // BENCH:step
		b := a + 1
		sink += b
	}
}

func main() {
	sink = 1 // BENCH:start
	condLoop()
	stepLoop()
	fmt.Println(sink)
}
