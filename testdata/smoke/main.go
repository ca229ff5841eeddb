// smoke: the one program the version matrix (test/e2e/versions.test.ts) runs
// on every supported Go toolchain and build variant. Three workers park on a
// channel; main prints its own locals (%#v, the oracle) before the line marked
// BP:values, then calls scale (stepped into), a generic function (a
// function breakpoint), a closure (stepped into) and finish (a function
// breakpoint), and exits with a code it computed.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
)

type Point struct{ X, Y int }

type Shape interface{ Area() float64 }

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }

type Order struct {
	ID    int
	Tags  []string
	At    *Point
	Price float64
}

// worker says it is ready, then parks until main closes release.
func worker(id int, ready chan<- int, release <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	ready <- id
	<-release // BP:parked
}

// parkedWorkers counts, in the runtime's own traceback, the workers waiting on a channel.
func parkedWorkers() int {
	buf := make([]byte, 1<<16)
	n := 0
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "[chan receive]") && strings.Contains(g, "main.worker(") {
			n++
		}
	}
	return n
}

func scale(v, k int) int { // BP:scaleEntry
	r := v * k // BP:scaleBody
	return r   // BP:scaleReturn
}

// sumOf is generic: its code is named main.sumOf[go.shape.float64] and takes a dictionary.
func sumOf[T int | float64](xs []T) T { // BP:sumEntry
	var acc T
	for _, x := range xs {
		acc += x
	}
	return acc
}

func finish(total int) int { // BP:finish
	return total % 100
}

func main() {
	ready := make(chan int)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for id := 1; id <= 3; id++ {
		wg.Add(1)
		go worker(id, ready, release, &wg)
	}
	for i := 0; i < 3; i++ {
		<-ready
	}
	// The stop below must find every worker parked on <-release, not between its send and its receive.
	for parkedWorkers() < 3 {
		runtime.Gosched()
	}

	n := 41
	i8 := int8(-8)
	u := uint32(4000000000)
	f := 3.25
	f32 := float32(-0.5)
	ok := true
	s := "héllo\n"
	sl := []int{1, 2, 3}
	arr := [3]string{"a", "b", "c"}
	p := Point{1, 2}
	pp := &p
	o := Order{ID: 7, Tags: []string{"x", "y"}, At: &Point{3, 4}, Price: 9.5}
	var nilPtr *Point
	var e any = 42
	var sh Shape = Rect{2, 3}
	m := map[string]int{"a": 1, "b": 2, "c": 3}
	// 100 entries: several Swiss groups, or several buckets with overflow.
	big := make(map[int]string)
	for k := 0; k < 100; k++ {
		big[k] = fmt.Sprint(k * k)
	}
	ch := make(chan int, 4)
	ch <- 5
	ch <- 6

	fmt.Printf("n=%#v\ni8=%#v\nu=%#v\nf=%#v\nf32=%#v\nok=%#v\ns=%#v\n", n, i8, u, f, f32, ok, s)
	fmt.Printf("sl=%#v\narr=%#v\np=%#v\npp=%#v\no=%#v\nnilPtr=%#v\n", sl, arr, p, pp, o, nilPtr)
	fmt.Printf("e=%#v\nsh=%#v\nm=%#v\nch=%d/%d\n", e, sh, m, len(ch), cap(ch))
	keys := make([]int, 0, len(big))
	for k := range big {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		fmt.Printf("big[%d]=%q\n", k, big[k])
	}
	os.Stdout.Sync()
	fmt.Println("values printed") // BP:values
	total := scale(n, 3)          // BP:call
	fmt.Printf("total=%d\n", total)
	fs := sumOf([]float64{f, 1.5}) // BP:generic
	base := 10
	addBase := func(x int) int { // BP:closureEntry
		return x + base
	}
	added := addBase(n) // BP:closureCall
	fmt.Printf("fs=%v added=%d\n", fs, added)
	close(release)
	wg.Wait()
	os.Exit(finish(total)) // BP:exit
}
