// The core-file test's program: it panics three calls deep with values of
// every common kind in its frames, while another goroutine waits. Run with
// GOTRACEBACK=crash (and core dumps allowed), the panic ends in SIGABRT and
// the kernel writes a core file.
package main

import (
	"fmt"
	"os"
)

type Order struct {
	ID    int
	Name  string
	Items []string
	Tags  map[string]int
}

var counter = 42

var greeting = "hello from a global"

func crash(o *Order, depth int) {
	if depth > 0 {
		crash(o, depth-1)
		return
	}
	var m map[string]int
	m[o.Name] = o.ID // assignment to entry in nil map: the panic
}

func worker(ready chan<- bool, wait <-chan int) {
	local := "worker waits"
	ready <- true
	<-wait
	fmt.Println(local)
}

func main() {
	ready := make(chan bool)
	go worker(ready, make(chan int))
	<-ready
	o := &Order{ID: 7, Name: "widget", Items: []string{"a", "b"}, Tags: map[string]int{"x": 1}}
	ratio := 2.5
	fmt.Fprintln(os.Stderr, "crashing", counter, ratio, len(greeting))
	crash(o, 2)
}
