// Several goroutines on several OS threads hit the same function many times.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

var calls atomic.Int64

//go:noinline
func work(id, i int) int {
	calls.Add(1)
	return id*1000 + i
}

func spin(n int) int {
	s := 0
	for k := 0; k < n; k++ {
		s += k * k
	}
	return s
}

func main() {
	runtime.GOMAXPROCS(4)
	const workers, perWorker = 4, 250
	var wg sync.WaitGroup
	sums := make([]int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				sums[id] += work(id, i)
				sums[id] += spin(2000) % 7
			}
		}(w)
	}
	wg.Wait()
	for w := 0; w < workers; w++ {
		fmt.Printf("worker %d sum %d\n", w, sums[w])
	}
	fmt.Println("calls", calls.Load())
}
