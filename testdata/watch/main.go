// The target of the data breakpoint and writeMemory tests. Each phase has a
// marker comment where the tests put a breakpoint:
//   - goroutines writing a global (counter), first unwatched to time the loop,
//     then again (the tests watch it there with a condition that never holds);
//   - a heap object whose field is written three times;
//   - a stack variable in a function that returns (local);
//   - a stack variable of a goroutine whose stack then grows, so the runtime
//     moves it (growInner, deep);
//   - goroutines locked to OS threads, most of which the runtime creates after
//     the watch was set, each writing a global;
//   - bytes and code the tests overwrite with writeMemory (msg, answer).
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

type Obj struct {
	name  string
	val   int64
	other int32
}

var counter int64
var threadWrites int64
var msg = [8]byte{'h', 'e', 'l', 'l', 'o', '-', '-', '-'}
var mu sync.Mutex

// bump adds to counter from 4 goroutines, `each` times apiece; it returns the time it took.
func bump(each int) time.Duration {
	start := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

func local() int64 {
	x := int64(1)
	x = 2 // local write
	x = 3
	return x
}

//go:noinline
func deep(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return deep(n-1) + int(pad[n%256])
}

// growInner's v is watched; its stack grows (deep) and the runtime moves it. It returns
// before grower sends, so its watch has ended before main goes on.
func growInner() int64 {
	v := int64(10)
	sum := deep(3000) // grower deep
	v = 11
	return v + int64(sum%1)
}

func grower(done chan int64) {
	done <- growInner()
}

func answer() int64 {
	v := int64(41) // answer line
	if len(os.Args) > 99 {
		v = 0 // never: keeps v a variable the return reads, not a constant folded into it
	}
	return v
}

// threads starts n goroutines, each locked to an OS thread of its own (the runtime creates
// them now, as the idle ones run out); once all have printed their thread id, each writes its
// thread id into threadWrites.
func threads(n int) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for k := 0; k < n; k++ {
		ready.Add(1)
		done.Add(1)
		go func(k int) {
			defer done.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tid := syscall.Gettid()
			fmt.Printf("thread %d tid %d\n", k, tid)
			ready.Done()
			<-start
			mu.Lock()
			threadWrites = int64(tid)
			mu.Unlock()
		}(k)
	}
	ready.Wait()
	close(start)
	done.Wait()
}

func main() {
	fmt.Printf("pid %d\n", os.Getpid())
	base := bump(2000)
	fmt.Printf("unwatched %d writes %d ns\n", 8000, base.Nanoseconds()) // phase counter
	watched := bump(2000)
	fmt.Printf("watched %d writes %d ns counter %d\n", 8000, watched.Nanoseconds(), counter) // phase heap

	h := &Obj{name: "heap", val: 0}
	for i := 1; i <= 3; i++ { // heap loop
		h.val = int64(i * 10)
	}
	fmt.Printf("heap %s %d %d\n", h.name, h.val, h.other)

	fmt.Printf("local %d\n", local())

	done := make(chan int64)
	go grower(done)
	fmt.Printf("grower %d\n", <-done)

	threads(12) // phase threads
	fmt.Printf("threadWrites %d\n", threadWrites)

	fmt.Printf("msg %s\n", string(msg[:])) // phase memory
	fmt.Printf("answer %d\n", answer())
	fmt.Printf("answer %d\n", answer())
	fmt.Printf("msg %s\n", string(msg[:]))
}
