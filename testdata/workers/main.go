// Four workers and a main goroutine blocked on a WaitGroup; the workers run
// the same function, so they hit the same breakpoints.
package main

import (
	"fmt"
	"sync"
)

func step(id, i int) int {
	return id*100 + i
}

func worker(id int, wg *sync.WaitGroup, out []int) {
	defer wg.Done()
	total := 0
	for i := 0; i < 50; i++ {
		v := step(id, i)
		total += v
		total -= i
	}
	out[id] = total
}

func main() {
	var wg sync.WaitGroup
	out := make([]int, 4)
	for id := 0; id < 4; id++ {
		wg.Add(1)
		go worker(id, &wg, out)
	}
	wg.Wait()
	fmt.Println(out)
}
