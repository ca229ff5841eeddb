// The core-dump test's program: it stops (a breakpoint on the "dump here"
// line) with locals and globals of the common kinds in its frames while a
// worker goroutine waits, then prints what it holds, so a test sees that it
// ran on normally after its core was written. With an argument N it first
// fills N MiB of heap with non-zero bytes (a larger core to measure).
package main

import (
	"fmt"
	"os"
	"strconv"
)

type Point struct {
	X, Y  int
	Label string
}

var total = 1234

var banner = "core dump fixture"

var heap [][]byte

func fill(mib int) {
	for i := 0; i < mib; i++ {
		b := make([]byte, 1<<20)
		for j := range b {
			b[j] = byte(i + j | 1)
		}
		heap = append(heap, b)
	}
}

func worker(ready chan<- bool, wait <-chan int, done chan<- bool) {
	note := "worker waits"
	ready <- true
	n := <-wait
	fmt.Println(note, n)
	done <- true
}

func inspect(p Point, words []string, ages map[string]int) int {
	count := len(words) + len(ages)
	name := "inner " + p.Label
	fmt.Println("inspecting", name, count) // dump here
	return count * p.X
}

func main() {
	if len(os.Args) > 1 {
		mib, _ := strconv.Atoi(os.Args[1])
		fill(mib)
	}
	ready := make(chan bool)
	wait := make(chan int)
	done := make(chan bool)
	go worker(ready, wait, done)
	<-ready
	p := Point{X: 3, Y: -4, Label: "origin"}
	words := []string{"alpha", "beta", "gamma"}
	ages := map[string]int{"ann": 31, "bob": 42}
	r := inspect(p, words, ages)
	total += r
	wait <- r
	fmt.Println("after dump", r, total, banner, len(heap))
	<-done
}
