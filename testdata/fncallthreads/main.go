// fncallthreads: functions the debugger calls that change what the threads
// list and the stack show: spawn starts a goroutine, depth grows the stack of
// the goroutine it runs on. The program prints what they left behind.
package main

import (
	"fmt"
	"os"
)

var (
	release = make(chan struct{})
	done    = make(chan int, 8)
	started = 0
)

// parked is what spawn's goroutines run: they wait until inner releases them.
func parked(n int) {
	<-release
	done <- n
}

// spawn starts a goroutine running parked(n) and says how many it has started.
func spawn(n int) int {
	started++
	go parked(n)
	return started
}

// depth recurses n levels with a frame of about 1 KiB each and returns n.
func depth(n int) int {
	var pad [128]int
	pad[n%128] = n
	if n == 0 {
		return 0
	}
	return depth(n-1) + 1 + pad[n%128] - n
}

// deref reads through a pointer (the debugger refuses one into a stack).
func deref(p *int) int { return *p }

func inner(x int, ws []string) {
	y := x + 1
	fmt.Println("before", y, len(ws))
	fmt.Println("at", y, ws[1]) // stop here
	close(release)
	sum := 0
	for i := 0; i < started; i++ {
		sum += <-done
	}
	fmt.Println("after", y, started, sum)
}

func main() {
	if len(os.Args) > 1 { // never taken: keeps the functions the debugger calls in the binary
		spawn(0)
		depth(1)
		deref(new(int))
	}
	local := 41
	words := []string{"a", "b"}
	inner(local, words)
	fmt.Println("end", local)
}
