// scopes: a function with 50 locals of every kind, declared one per line, in
// nested blocks, loops, if and switch headers, shadowing outer ones, and one
// captured by a closure. The tests stop at its first line (only the
// parameters are declared there), step over declarations, and stop inside
// the blocks; the program prints the values it computed as `name=value`.
package main

import (
	"fmt"
	"os"
)

type point struct{ X, Y int }

//go:noinline
func sink(xs ...any) int { return len(xs) }

//go:noinline
func fifty(n int, name string) (total int, err error) {
	i1 := n * 2 // BP:first
	i2 := int8(n)
	i3 := uint16(n + 3)
	i4 := int64(-n)
	f1 := float64(n) / 4
	f2 := float32(n) * 1.5
	b1 := n > 2
	s1 := name + "!"
	s2 := fmt.Sprint(n * 7)
	r1 := rune('A' + n)
	sl1 := []int{1, 2, n}
	sl2 := make([]string, 0, n)
	sl3 := []byte(name)
	m1 := map[string]int{"a": n}
	m2 := make(map[int]string)
	ch1 := make(chan int, 4)
	ch2 := make(chan string)
	p1 := point{n, n + 1}
	p2 := &point{X: n}
	arr := [3]int{n, n + 1, n + 2}
	var iface any = n
	var e error
	c1 := complex(float64(n), 1)
	u1 := uintptr(n)
	counter := 0 // BP:declared24
	inc := func() int {
		counter += n // BP:closure
		return counter
	}
	fmt.Printf("i1=%d\ns2=%s\nm1=%v\n", i1, s2, m1)
	{
		blk1 := i1 + 1
		blk2 := s1 + "x"
		i1 := blk1 * 2
		fmt.Printf("inner.i1=%d\n", i1) // BP:inner
		total += i1 + len(blk2)
	}
	after1 := total // BP:afterblock
	for k := 0; k < 2; k++ {
		loop1 := k * n
		loop2 := fmt.Sprint(loop1)
		total += loop1 + len(loop2) // BP:loop
	}
	if v, ok := m1["a"]; ok { // BP:ifline
		ifv := v + 1
		total += ifv // BP:ifbody
	}
	switch x := n % 2; x {
	case 0:
		sw0 := x + 10
		total += sw0
	default:
		sw1 := x + 20
		total += sw1 // BP:switch
	}
	for idx, val := range sl1 {
		rg := idx * val
		total += rg
	}
	after2 := total + 1
	after3 := after2 * 2
	after4 := fmt.Sprint(after3)
	after5 := len(after4)
	after6 := []point{p1}
	after7 := map[point]bool{p1: true}
	after8 := inc()
	after9 := inc()
	fmt.Printf("counter=%d\nafter9=%d\n", counter, after9) // BP:end
	_ = sink(i1, i2, i3, i4, f1, f2, b1, s1, s2, r1, sl1, sl2, sl3, m1, m2, ch1, ch2, p1, p2, arr, iface, e, c1, u1,
		after1, after2, after3, after4, after5, after6, after7, after8)
	return total, nil
}

// captured: x moves to the heap (a closure changes it); an inner x hides it;
// a one-line closure sees it.
//
//go:noinline
func captured(n int) int {
	x := n * 10
	{
		x := x + 1
		fmt.Printf("captured.inner=%d\n", x) // BP:capinner
	}
	add := func(d int) { x += d }
	keep = add
	add(n)
	return x
}

// keep makes captured's closure escape, and x with it.
var keep func(int)

func main() {
	total, _ := fifty(3, "gopher")
	fmt.Printf("total=%d\n", total)
	fmt.Printf("captured=%d\n", captured(4))
	os.Exit(0)
}
