// hardbreak: breakpoints the program wrote itself. runtime.Breakpoint() in a
// loop beside a user breakpoint and a conditional one; an int3 in hand-written
// assembly (trap_amd64.s); several goroutines hitting runtime.Breakpoint() at
// once ("many"); SIGTRAP sent by tgkill and kill, which are no breakpoints ("kill").
// The tests find lines by the HB: markers.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// trap is an INT3 followed by a RET (trap_amd64.s).
func trap()

var total int

func add(i int) {
	total += i // HB:add
}

func worker(id int, start <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	<-start
	runtime.Breakpoint() // HB:worker
	fmt.Println("worker", id, "past its breakpoint")
}

func many() {
	runtime.GOMAXPROCS(4)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for id := 1; id <= 4; id++ {
		wg.Add(1)
		go worker(id, start, &wg)
	}
	time.Sleep(50 * time.Millisecond) // every worker waits on start
	close(start)
	wg.Wait()
	fmt.Println("all workers done")
}

func kill() {
	runtime.LockOSThread()
	// To this thread: delivered when the system call returns.
	syscall.Tgkill(os.Getpid(), syscall.Gettid(), syscall.SIGTRAP)
	fmt.Println("survived tgkill")
	syscall.Kill(os.Getpid(), syscall.SIGTRAP)
	time.Sleep(100 * time.Millisecond)
	fmt.Println("survived kill")
}

func main() {
	mode := ""
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "many":
		many()
		return
	case "kill":
		kill()
		return
	}
	for i := 1; i <= 5; i++ {
		fmt.Println("counter", i) // HB:print
		add(i)                    // HB:addcall
		runtime.Breakpoint()      // HB:call
	}
	trap() // HB:trap
	fmt.Println("total", total)
}
