// Functions for injected calls (test/e2e/fncall.test.ts): plain, string,
// float, panicking, blocking, methods on a value and a pointer receiver, a
// closure; and a loop whose output shows whether a call changed anything.
// With the argument "slow" the loop runs longer, for attaching to it.
package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

type Point struct{ X, Y int }

func (p Point) Sum() int { return p.X + p.Y }

func (p *Point) Scale(k int) {
	p.X *= k
	p.Y *= k
}

var (
	calls  int
	ready  = make(chan struct{})
	gate   = make(chan struct{})
	origin = Point{1, 2}
	label  = "fn"
)

func add(a, b int) int {
	return a + b // FC:add
}

func greet(name string) string {
	return "hello " + name
}

func mix(x float64, f float32) float64 {
	return x*2 + float64(f)
}

func boom(n int) int {
	if n > 0 {
		panic(fmt.Sprintf("boom %d", n))
	}
	return n
}

func bump(n int) int {
	calls += n // FC:bump
	return calls
}

func block() int {
	<-gate
	return 7
}

// Referenced so that the linker keeps them.
var keep = []any{greet, mix, boom, bump, block, Point.Sum, (*Point).Scale, &label}

func main() {
	rounds, pause, delay := 3, time.Duration(0), 200*time.Millisecond
	if len(os.Args) > 1 && os.Args[1] == "slow" {
		rounds, pause, delay = 40, 50*time.Millisecond, 1500*time.Millisecond
	}
	base := 100
	adder := func(n int) int { return n + base }
	go func() {
		<-ready
		time.Sleep(delay)
		close(gate)
	}()
	// A goroutine that spends its time in a system call (_Gsyscall on its own thread).
	go func() {
		for {
			ts := syscall.Timespec{Sec: 10}
			syscall.Nanosleep(&ts, nil)
		}
	}()
	close(ready)
	x := 0
	for i := 1; i <= rounds; i++ {
		x = add(x, i)                       // FC:loop
		fmt.Println("x", x, "calls", calls) // FC:print
		time.Sleep(pause)
	}
	fmt.Println("adder", adder(1), "origin", origin, "keep", len(keep)) // FC:end
}
