// A long-running service, a target for attach and for the adapter's endings:
// a worker goroutine calls work() about every millisecond, the main goroutine
// prints "tick N work W" every 20 ms, and rare() runs only on SIGUSR1.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

var done atomic.Int64

func work(i int) int {
	v := i * 2
	done.Add(1)
	return v
}

func rare() {
	fmt.Println("rare")
}

func main() {
	go func() {
		sink := 0
		for i := 0; ; i++ {
			sink += work(i)
			time.Sleep(time.Millisecond)
		}
	}()
	usr := make(chan os.Signal, 1)
	signal.Notify(usr, syscall.SIGUSR1)
	go func() {
		for range usr {
			rare()
		}
	}()
	for n := 1; ; n++ {
		fmt.Printf("tick %d work %d\n", n, done.Load())
		time.Sleep(20 * time.Millisecond)
	}
}
