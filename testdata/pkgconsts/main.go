// pkgconsts: package-level constants in expressions: typed and untyped, of
// this package and of another, and a local that shadows one.
package main

import (
	"fmt"
	"os"

	"example.com/testdata/pkgconsts/units"
)

type Color uint8

const (
	Red Color = iota + 1
	Green
	Blue
)

const (
	Answer         = 42
	Big            = 1 << 62
	Neg      int16 = -7
	Letter         = 'x'
	Huge           = 1 << 70 // overflows int: Go writes no DWARF for it
	Greeting       = "hi"
	Shadowed       = 100
)

func twice(n int) int { return 2 * n }

func show(c Color, s units.Size) string { return fmt.Sprint(c, " ", s) }

func main() {
	c := Green
	n := 3
	fmt.Println("start", c, n, Answer, Neg, Letter)
	Shadowed := 5
	if len(os.Args) > 1 { // never taken: c and n are variables the program reads, not folded constants
		c, n = Red, 0
	}
	fmt.Println("at", Shadowed, units.KiB, twice(n), show(Blue, units.MiB), units.Scale(2, units.KiB)) // stop here
	_ = Big
	_ = float64(Huge)
	_ = units.Limit
	_ = units.Ratio
	_ = Greeting + units.Name
	fmt.Println("end", c, n)
}
