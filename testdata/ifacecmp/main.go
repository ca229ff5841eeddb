// ifacecmp: comparisons of interface values with non-interface values and
// with each other (the spec's "Comparison operators"). Before the stop the
// program prints each comparison's result as Go computes it ("ROW expr =
// value"); the debugger must give the same at the stop.
package main

import "fmt"

type T struct{ a int }

func (T) String() string { return "t" }

type P struct{ a int }

func (*P) String() string { return "p" }

type U struct{ s string }

func (U) String() string { return "u" }

type Named interface {
	String() string
	Name() string
}

type N struct{ n int }

func (N) String() string { return "n" }
func (N) Name() string   { return "N" }

func row(expr string, v bool) { fmt.Printf("ROW %s = %v\n", expr, v) }

func main() {
	t, t2, u, nv := T{1}, T{2}, U{"x"}, N{3}
	p := P{1}
	pp := &p
	var s fmt.Stringer = T{1}
	var sp fmt.Stringer = pp
	var snil fmt.Stringer
	var named Named = nv
	var sn fmt.Stringer = nv
	var e error
	var a any = 1
	n := 1
	row("s == t", s == t)
	row("t == s", t == s)
	row("s == t2", s == t2)
	row("s != t2", s != t2)
	row("s == u", s == u)
	row("sp == pp", sp == pp)
	row("s == pp", s == pp)
	row("snil == t", snil == t)
	row("a == n", a == n)
	row("a == t", a == t)
	row("a == s", a == s)
	row("s == sp", s == sp)
	row("named == sn", named == sn)
	row("sn == named", sn == named)
	row("named == nv", named == nv)
	row("e == nil", e == nil)
	fmt.Println("stop", n, a, e, snil) // stop here
}
