// A step on one goroutine while another hits a breakpoint in another function.
package main

import (
	"fmt"
	"time"
)

func double(n int) int {
	return n * 2 // BREAK-DOUBLE
}

func main() {
	ch := make(chan int)
	done := make(chan int)
	go func() {
		v := <-ch
		done <- double(v)
	}()
	ch <- 21 // BREAK-SEND
	time.Sleep(300 * time.Millisecond)
	time.Sleep(300 * time.Millisecond)
	fmt.Println("result", <-done)
}
