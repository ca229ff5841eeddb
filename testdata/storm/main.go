// 100 goroutines each call hit(g, i) for i = 0..99 at the same time: a storm
// of hits of one breakpoint. It starts when a line arrives on stdin (so a
// debugger can attach first) and prints "done N" when every call returned.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

var total atomic.Int64

func hit(g, i int) {
	total.Add(int64(1 + g*0 + i*0))
}

func main() {
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	var wg sync.WaitGroup
	for g := 0; g < 100; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				hit(g, i)
			}
		}(g)
	}
	wg.Wait()
	fmt.Println("done", total.Load())
}
