// Functions the evaluator calls from `evaluate` (add, greet, half, the
// methods, a closure, one that panics), and many signatures for the check of
// our register-ABI assignment against the compiler's DWARF (every parameter's
// place at entry). main calls each once so the linker keeps them, prints what
// they return, stops at the line marked "stop here", and prints again.
package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

type Point struct {
	X, Y int
}

type Pair struct {
	A int
	F float64
}

type WithArr struct {
	N   int
	Arr [2]int
}

type One struct {
	Arr [1]int64
	Z   [0]int
}

type Big struct {
	A, B, C, D, E, F int
}

type Counter struct {
	n    int
	name string
}

type Temp float64

type Named struct {
	Counter
	Label string
}

// Wrapper promotes the methods of the interface it embeds.
type Wrapper struct {
	fmt.Stringer
	tag int
}

type Shape interface {
	Area() float64
	Name() string
}

type Square struct{ Side float64 }

type myErr struct{ code int }

func (c Counter) Value() int          { return c.n }
func (c *Counter) Add(d int) int      { c.n += d; return c.n }
func (c Counter) String() string      { return fmt.Sprintf("counter %s=%d", c.name, c.n) }
func (p Point) Dist2() int            { return p.X*p.X + p.Y*p.Y }
func (p *Point) Scale(k int) Point    { return Point{p.X * k, p.Y * k} }
func (t Temp) String() string         { return fmt.Sprintf("%.1f°C", float64(t)) }
func (s Square) Area() float64        { return s.Side * s.Side }
func (s Square) Name() string         { return "square" }
func (e *myErr) Error() string        { return fmt.Sprintf("my error %d", e.code) }
func (n Named) Describe(x int) string { return fmt.Sprintf("%s:%d", n.Label, x) }

// Interface values made in functions the compiler cannot see through: a
// method called on them is called through the itab, so the linker keeps it
// there (a devirtualized call leaves runtime.unreachableMethod in its place).
func makeShape() Shape           { return Square{2} }
func makeStringer() fmt.Stringer { return counter }
func makeInts() []int            { return []int{1, 2, 3} }

func add(a, b int) int           { return a + b }
func greet(name string) string   { return "hello, " + name }
func half(x float64) float64     { return x / 2 }
func halve32(x float32) float32  { return x / 2 }
func divmod(a, b int) (int, int) { return a / b, a % b }
func check(n int) (int, error)   { return n, nil }
func fails(n int) error          { return &myErr{n} }
func nothing()                   {}
func boom(msg string) int        { panic(msg) }
func boomErr() int               { panic(errors.New("wrapped failure")) }
func idx(xs []int, i int) int    { return xs[i] }
func boomMine(code int) int      { panic(&myErr{code}) }
func sum(xs ...int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
func name() string                                { return "gopher" }
func ints10(a, b, c, d, e, f, g, h, i, j int) int { return a + b + c + d + e + f + g + h + i + j }
func floats16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p float64) float64 {
	return a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p
}
func mixed(a int8, f float32, s string, b bool, u uint16, d float64) float64 {
	return float64(a) + float64(f) + float64(len(s)) + float64(u) + d + map[bool]float64{true: 1}[b]
}
func withSlice(xs []int, m map[string]int, ch chan int, fn func(int) int) int {
	return len(xs) + len(m) + cap(ch) + fn(1)
}
func withIface(e error, a any, p *Point) int          { return p.X }
func withStructs(p Pair, pt Point, w WithArr) float64 { return p.F + float64(pt.X+w.Arr[1]) }
func withOne(o One, z struct{}, c64 complex64, c128 complex128) int64 {
	return o.Arr[0] + int64(real(c64)) + int64(imag(c128))
}
func withBig(a, b, c, d int, big Big, e int) int { return a + big.F + e }
func manyResults() (int, string, float64, []int, error, Point, Big) {
	return 1, "two", 3, nil, nil, Point{4, 5}, Big{F: 6}
}
func arrayResult(x int) [3]int { return [3]int{x, x, x} }
func smallArgs(a bool, b int8, c int16, d int32, e uint8, f [2]byte, g int64) int64 {
	return int64(b) + int64(c) + int64(d) + int64(e) + int64(f[1]) + g
}
func uptr(p uintptr, q *int, r [0]string, s [1]string) uintptr { return p }

var (
	counter = Counter{n: 3, name: "c"}
	pt      = Point{3, 4}
	temp    = Temp(21.5)
	named   = Named{Counter{7, "inner"}, "outer"}
	sink    []any
)

func main() {
	shape := makeShape()
	err := fails(42)
	stringer := makeStringer()
	base := 10
	addBase := func(x int) int { return x + base }
	pc := &counter
	xs := makeInts()       // on the heap
	stackXs := []int{4, 5} // the compiler keeps this array on the stack
	local := Point{1, 2}   // and this struct
	wrapped := Wrapper{makeStringer(), 1}
	sink = append(sink, ints10, floats16, mixed, withSlice, withIface, withStructs, withOne, withBig, manyResults,
		arrayResult, smallArgs, uptr, divmod, check, nothing, boom, boomErr, idx, boomMine, sum, name, halve32, greet, half,
		pt.Dist2, pc.Add, pt.Scale, temp.String, named.Describe, counter.Value, strings.ToUpper, strconv.Itoa)
	fmt.Println(add(2, 3), greet("x"), half(5), halve32(3), sum(xs...), name())
	fmt.Println(shape.Area(), shape.Name(), err.Error(), stringer.String(), addBase(1), pc.Value(), pt.Dist2(), temp.String())
	if len(os.Args) > 5 {
		boom("never")
	}
	fmt.Println(sum(stackXs...), local.Dist2())
	fmt.Println("counter", counter.n, "base", base, len(sink)) // stop here
	fmt.Println("after", counter.n, base, local.X, stackXs[0], wrapped.tag)
}
