// Expressions where the evaluator once answered a wrong type or refused what
// Go accepts (found by holding it to dlv dap at the same stop): method
// expressions not called (T.M, (*T).M, I.M), an interface's method
// expression called (I.M(x)), variadic calls with no variadic argument
// (f(), f(g()) where g's results fill the other parameters), and a
// constant string indexed or sliced; complex division as the runtime
// divides, and floats divided by a constant zero; literals of generic types; and completions of an interface's
// methods. After the stop the program prints each
// expression's value and type itself (ROW/TYPE lines) for the test to hold
// the debugger's answers to.
package main

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
)

type Shape interface {
	Area() float64
	Name() string
}

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }
func (r Rect) Name() string  { return "rect" }
func (r *Rect) Scale(k float64) {
	r.W *= k
	r.H *= k
}

type MyInt int

func (m MyInt) Double() MyInt { return m * 2 }

func sum(xs ...int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

func sumFrom(base int, xs ...int) int { return base + sum(xs...) }

func pairSum(a, b int, xs ...int) int { return a + b + sum(xs...) }

func two() (int, int) { return 3, 4 }

// The calls through an interface: the linker keeps Area and Name in Rect's itab.
func describe(s Shape) string { return fmt.Sprint(s.Name(), s.Area()) }

var gsh Shape = Rect{2, 3}

// Perimeter is never called through an interface (the itab of Sq for Perim holds
// runtime.unreachableMethod for it), only directly, so the binary has Sq.Perimeter's code.
type Perim interface{ Perimeter() float64 }

type Sq struct{ S float64 }

func (q Sq) Perimeter() float64 { return 4 * q.S }

var gp Perim = Sq{3}

// A struct embedding an interface, and an error: the debug console completes their methods.
type Tagged struct {
	Shape
	Tag string
}

var (
	gtagged       = Tagged{gsh, "t"}
	gerr    error = errors.New("gaps")
)

// Func values of these signatures: the binary then has the func types that tell ...int from []int.
var (
	vSum     func(...int) int           = sum
	vSumFrom func(int, ...int) int      = sumFrom
	vPairSum func(int, int, ...int) int = pairSum
)

// Generic types, instantiated: the debug console makes their literals.
type Box[T any] struct{ V T }

func (b Box[T]) Get() T { return b.V }

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// A slice of funcs: fns[0](2) is an index and a call, not a conversion.
var fns = []func(int) int{func(x int) int { return x * 3 }}

var (
	gbox  = Box[int]{V: 1}
	gpair = Pair[string, []int]{"p", []int{1, 2}}
)

// What main.Box[int]{}.V is (a package cannot name itself in Go).
var main_Box_int_zero = Box[int]{}.V

func name(f any) string { return runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name() }

func main() {
	// Method expressions the program uses, so the wrappers Go generates for them are linked.
	fa, fb, fc, fd, fe := Shape.Area, (*Rect).Area, Rect.Area, (*Rect).Scale, MyInt.Double
	r := &Rect{1, 2}
	// Complex division as Go's runtime does it, and floats divided by a constant zero (IEEE, no error).
	c1, c2, cz, cinf := complex(1, 2), complex(3, 4), complex(0, 0), complex(math.Inf(1), 1)
	c64a, c64b := complex64(complex(1, 3)), complex64(complex(7, -2))
	c11, c13, cbig := complex(1, 1), complex(1, 3), complex(1, 1e300)
	fl, zero := 2.5, 0.0
	mine := MyInt(21)
	fmt.Println(describe(gsh), vSum(1), vSumFrom(1), vPairSum(1, 2), fa(gsh), fb(r), fc(*r), mine)
	fd(r, 1)
	_ = fe
	fmt.Println("evalgaps stop") // evalgaps stop
	row := func(e string, v any) { fmt.Printf("ROW %s = %v\nTYPE %s = %T\n", e, v, e, v) }
	fn := func(e string, f any) { fmt.Printf("ROW %s = %s\nTYPE %s = %T\n", e, name(f), e, f) }
	fn("Shape.Area", Shape.Area)
	fn("Shape.Name", Shape.Name)
	fn("(*Rect).Area", (*Rect).Area)
	fn("Rect.Area", Rect.Area)
	fn("(*Rect).Scale", (*Rect).Scale)
	fn("MyInt.Double", MyInt.Double)
	fn("main.MyInt.Double", MyInt.Double)
	row("Shape.Area(gsh)", Shape.Area(gsh))
	row("Shape.Name(gsh)", Shape.Name(gsh))
	row("MyInt.Double(mine)", MyInt.Double(mine))
	row("gp.Perimeter()", gp.(Sq).Perimeter())
	row("sum()", sum())
	row("sumFrom(5)", sumFrom(5))
	row("pairSum(two())", pairSum(two()))
	row(`"abc"[1]`, "abc"[1])
	row(`"abc"[1:]`, "abc"[1:])
	row(`len("héllo"[1:])`, len("héllo"[1:]))
	row(`"abc"[1] + 1`, "abc"[1]+1)
	row("c1 / c2", c1/c2)
	row("c2 / c1", c2/c1)
	row("c11 / c13", c11/c13)
	row("c11 / cbig", c11/cbig)
	row("c1 / cz", c1/cz)
	row("cinf / c2", cinf/c2)
	row("c2 / cinf", c2/cinf)
	row("c64a / c64b", c64a/c64b)
	row("fl / 0", fl/0)
	row("-fl / 0", -fl/0)
	row("zero / 0", zero/0)
	row("Box[int]{V: 3}.V", Box[int]{V: 3}.V)
	row("main.Box[int]{}.V + gbox.V", main_Box_int_zero+gbox.V)
	row(`Pair[string, []int]{"k", nil}.Key`, Pair[string, []int]{"k", nil}.Key)
	row("len(Pair[string, []int]{Val: gpair.Val}.Val)", len(Pair[string, []int]{Val: gpair.Val}.Val))
	row("Box[int](gbox).V", Box[int](gbox).V)
	row("(*Box[int])(&gbox).V", (*Box[int])(&gbox).V)
	row("Pair[string, []int](gpair).Key", Pair[string, []int](gpair).Key)
	row("(*Pair[string, []int])(&gpair).Val[1]", (*Pair[string, []int])(&gpair).Val[1])
	row("fns[0](2)", fns[0](2))
	fmt.Println(describe(*r), mine, gtagged.Tag, gerr, gbox.Get())
}
