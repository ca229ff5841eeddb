// firstwatch: a struct tree three levels deep (Outer → Mid → Leaf) and a flag, for the
// first evaluate at a stop: each node's N is its path read as binary digits (A = 0, B = 1).
package main

import "fmt"

type Leaf struct {
	Name  string
	N     int
	Ratio float64
}

type Mid struct {
	Name string
	A, B Leaf
}

type Outer struct {
	Name string
	A, B Mid
}

func main() {
	t := Outer{
		Name: "t",
		A:    Mid{Name: "t.A", A: Leaf{"t.A.A", 0, 0}, B: Leaf{"t.A.B", 1, 0.5}},
		B:    Mid{Name: "t.B", A: Leaf{"t.B.A", 2, 1}, B: Leaf{"t.B.B", 3, 1.5}},
	}
	ok := true
	for i := 0; i < 2; i++ {
		fmt.Printf("%d %d %d %v\n", i, t.A.A.N, t.B.A.N, ok) // stop here
	}
}
