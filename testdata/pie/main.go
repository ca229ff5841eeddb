// A program for a position-independent build (-buildmode=pie): the kernel
// loads it at an address of its own choosing, not where it was linked.
// With "loop" it ticks forever (for attach), with "panic" it panics;
// otherwise it runs once and exits with code 3.
package main

import (
	"fmt"
	"os"
	"time"
)

type shape interface{ area() int }

type rect struct{ w, h int }

func (r rect) area() int { return r.w * r.h }

var counter = 41

func square(n int) int {
	r := n * n
	return r
}

func tick(n int) {
	counter = n
	fmt.Println("tick", n)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "loop" {
		for i := 1; ; i++ {
			tick(i)
			time.Sleep(20 * time.Millisecond)
		}
	}
	if len(os.Args) > 1 && os.Args[1] == "panic" {
		panic(fmt.Sprintf("pie panic %d", square(5)))
	}
	done := make(chan int)
	go func() { done <- square(3) }()
	var s shape = rect{w: 2, h: 5}
	m := map[string]int{"a": 1, "b": 2}
	label := "start"
	if len(os.Args) > 5 {
		label = "never" // never taken: keeps label a variable the program reads
	}
	fmt.Printf("s=%v m=%v counter=%d\n", s, m, counter)
	total := square(4)
	fmt.Println("total", total, s.area(), <-done, label)
	os.Exit(3)
}
