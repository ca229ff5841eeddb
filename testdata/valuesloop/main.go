// valuesloop: breakpoint conditions, hit conditions, logpoints and
// setVariable. Each marked line (BP:name) is where a test sets a breakpoint.
package main

import (
	"fmt"
	"os"
)

type Pt struct{ X, Y int }

var sink int

func cond() {
	for i := 0; i < 10000; i++ {
		sink += i // BP:cond
	}
}

func hitsSmall() {
	for i := 1; i <= 10; i++ {
		a := i // BP:hitEq
		b := a // BP:hitMod
		sink += b
	}
}

func hitsLarge() {
	for i := 1; i <= 10000; i++ {
		sink += i // BP:hitGe
	}
}

func logs() {
	names := []string{"a", "b", "c"}
	for i, n := range names {
		sink += len(n) // BP:log
		_ = i
	}
}

func broken() {
	sink++ // BP:broken
}

func set() {
	// Values unknown to the compiler (len(os.Args) is 1), so it cannot fold them into the Printf below.
	k := len(os.Args)
	n := k
	flag := k == 0
	f := float64(k) + 0.5
	p := Pt{k, k + 1}
	xs := []int{k, k + 1, k + 2}
	ptr := pointTo(&p)
	small := int8(k)
	touch() // BP:set
	// After a call, the compiler reloads every variable from its stack slot (no stale register copies).
	report(n, flag, f, p, xs, ptr, small)
}

func pointTo(p *Pt) *Pt { return p }

func touch() { sink++ }

func report(n int, flag bool, f float64, p Pt, xs []int, ptr *Pt, small int8) {
	fmt.Printf("n=%d flag=%t f=%g p=%+v xs=%v ptrNil=%t small=%d\n", n, flag, f, p, xs, ptr == nil, small)
}

func main() {
	cond()
	hitsSmall()
	hitsLarge()
	logs()
	broken()
	set()
	fmt.Println("sink", sink)
}
