// 10,000 goroutines parked on a channel, then a breakpoint in main.
package main

import (
	"fmt"
	"sync"
)

func park(ch chan struct{}, wg *sync.WaitGroup) {
	wg.Done()
	<-ch
}

func ready(n int) int {
	return n
}

func main() {
	const n = 10000
	ch := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go park(ch, &wg)
	}
	wg.Wait()
	fmt.Println("parked", ready(n))
	close(ch)
}
