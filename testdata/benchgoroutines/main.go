// benchgoroutines: 10,000 goroutines alive and parked when main stops.
package main

import (
	"fmt"
	"sync"
)

func worker(started *sync.WaitGroup, release <-chan struct{}) {
	started.Done()
	<-release
}

func main() {
	const n = 10000
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
