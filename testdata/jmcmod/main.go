// Just My Code: calls into the standard library and a vendored module,
// callbacks from both, a goroutine that ends. A module of its own (with a
// vendor directory). Line numbers are used by the tests: keep them.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"

	"example.com/shapes"
)

func double(x int) int {
	return x * 2
}

func worker(done chan<- string) {
	msg := strings.Repeat("ab", 2)
	done <- msg
}

func main() {
	s := strings.Repeat("xy", 3)
	n := shapes.Apply(double, 3)
	xs := []int{3, 1, 2}
	sort.Slice(xs, func(i, j int) bool {
		return xs[i] < xs[j]
	})
	done := make(chan string, 1) // buffered: the send in worker never parks
	go worker(done)
	fmt.Println(s, n, xs, <-done)
	for runtime.NumGoroutine() > 1 { // the worker's end, before the program's
		time.Sleep(time.Millisecond)
	}
}
