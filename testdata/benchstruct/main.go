// benchstruct: a tree of structs five levels deep (Level1 → … → Leaf), every node
// named by its path from t, for the expand-a-struct and first-evaluate benchmarks.
package main

import "fmt"

type Leaf struct {
	Name  string
	N     int
	Ratio float64
	Tags  [2]string
}

type Level4 struct {
	Name string
	A, B Leaf
}

type Level3 struct {
	Name string
	A, B Level4
}

type Level2 struct {
	Name string
	A, B Level3
}

type Level1 struct {
	Name string
	A, B Level2
}

// leaf: N is the path read as binary digits, A = 0 and B = 1 (t.A.B.A.B → 0b0101 = 5).
func leaf(path string, n int) Leaf {
	return Leaf{Name: path, N: n, Ratio: float64(n) / 2, Tags: [2]string{path + "/0", path + "/1"}}
}

func level4(p string, n int) Level4 {
	return Level4{Name: p, A: leaf(p+".A", 2*n), B: leaf(p+".B", 2*n+1)}
}

func level3(p string, n int) Level3 {
	return Level3{Name: p, A: level4(p+".A", 2*n), B: level4(p+".B", 2*n+1)}
}

func level2(p string, n int) Level2 {
	return Level2{Name: p, A: level3(p+".A", 2*n), B: level3(p+".B", 2*n+1)}
}

func main() {
	t := Level1{Name: "t", A: level2("t.A", 0), B: level2("t.B", 1)}
	fmt.Println(t.Name, t.B.A.B.A.N) // BENCH:tree
}
