// Goroutines for the goroutineFilters test: two labelled workers and a
// sleeper, all parked, while main stops at a breakpoint.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"sync"
)

func worker(ready *sync.WaitGroup, wait chan int) {
	ready.Done()
	<-wait
}

func sleeper(ready *sync.WaitGroup, wait chan int) {
	ready.Done()
	<-wait
}

func main() {
	var ready sync.WaitGroup
	wait := make(chan int)
	for _, name := range []string{"alpha", "beta"} {
		ready.Add(1)
		go pprof.Do(context.Background(), pprof.Labels("job", name), func(context.Context) { worker(&ready, wait) })
	}
	ready.Add(1)
	go sleeper(&ready, wait)
	ready.Wait()
	fmt.Println("all parked") // line 32: the breakpoint
	close(wait)
}
