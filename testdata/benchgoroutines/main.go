// benchgoroutines: N goroutines alive and parked when main stops (N = the first
// argument, 10,000 without one).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

func worker(started *sync.WaitGroup, release <-chan struct{}) {
	started.Done()
	<-release
}

func main() {
	n := 10000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	var started sync.WaitGroup
	release := make(chan struct{})
	started.Add(n)
	for i := 0; i < n; i++ {
		go worker(&started, release)
	}
	started.Wait()
	fmt.Println("started", n) // BENCH:threads
	close(release)
}
