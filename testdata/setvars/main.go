// Program setvars prints the values it computes with, so that a test can set
// a variable at a stop, resume, and read what the program saw.
package main

import (
	"fmt"
	"os"
)

type Item struct {
	Name  string
	Qty   int
	Price float64
}

type Kinds struct {
	I8  int8
	I16 int16
	I32 int32
	I64 int64
	U8  uint8
	U16 uint16
	U32 uint32
	U64 uint64
	F32 float32
	F64 float64
	B   bool
}

var greeting = "hello"

//go:noinline
func lineTotal(it Item) float64 {
	v := float64(it.Qty) * it.Price // lineTotal first line
	return v
}

//go:noinline
func scaled(n int, f float64, s string) string {
	return fmt.Sprintf("%d %.2f %s", n*2, f*2, s) // scaled first line
}

// mixed's a is too big for registers (an array of two): it goes to the
// stack, b takes RAX and c X0.
//
//go:noinline
func mixed(b int, a [2]int, c float64) int {
	return b + a[0] + int(c) // mixed first line
}

//go:noinline
func callee(x int) int {
	return x + 1 // callee line
}

//go:noinline
func caller(y int) int {
	r := callee(y) // caller line
	return r + y
}

// addBefore's statement reads y, keeps it across the call, then adds.
//
//go:noinline
func addBefore(y int) int {
	return y*1 + callee(y) // addBefore line
}

// folded's label is never reassigned and starts as a constant: Go 1.26
// passes the literal to Printf and never reads label's slot, even with
// -N -l. count is computed at run time and read from its slot. (A
// constant count would be folded too, yet copied once from its slot into
// a temporary that nothing reads.)
//
//go:noinline
func folded() {
	label := "start"
	count := len(os.Args) + 4
	fmt.Printf("folded %q %d\n", label, count) // folded line
}

func main() {
	k := Kinds{I8: -8, I16: -16, I32: -32, I64: -64, U8: 8, U16: 16, U32: 32, U64: 64, F32: 1.5, F64: 2.5, B: true}
	s := "start"
	other := "other text"
	arr := [3]int{1, 2, 3}
	sl := []int{10, 20, 30}
	m := map[string]int{"k": 1, "j": 2}
	a, b := 7, 9
	p := &a
	var np *int = &b
	it := Item{Name: "pen", Qty: 2, Price: 1.25}
	// The compiler folds a local that is never reassigned into its uses
	// (even with -N -l), so the program would never read a new value: these
	// assignments, never run, keep s, other and arr variables.
	if len(os.Args) > 9 {
		s, other = other, s
		arr[0]++
	}
	fmt.Println("before", k.I8) // main stop
	fmt.Printf("kinds %d %d %d %d %d %d %d %d %g %g %t\n", k.I8, k.I16, k.I32, k.I64, k.U8, k.U16, k.U32, k.U64, k.F32, k.F64, k.B)
	fmt.Printf("s=%q other=%q greeting=%q\n", s, other, greeting)
	fmt.Printf("arr=%v sl=%v m=%d/%d\n", arr, sl, m["k"], m["j"])
	if p == nil {
		fmt.Println("p=nil")
	} else {
		fmt.Println("p ->", *p)
	}
	fmt.Println("np ->", *np, "b", b)
	fmt.Printf("total %.2f\n", lineTotal(it))
	fmt.Println("scaled", scaled(3, 1.5, "abc"))
	fmt.Println("mixed", mixed(1, [2]int{2, 3}, 4))
	fmt.Println("caller", caller(10))
	fmt.Println("addBefore", addBefore(10))
	folded()
	os.Stdout.Sync()
}
