// dwvalues: one program holding every Go kind, used by the DWARF decoder
// tests (types, variables, lexical blocks, closures, generics).
package main

import (
	"errors"
	"fmt"
	"os"
	"unsafe"
)

// Point is a small struct used as a map key and embedded elsewhere.
type Point struct {
	X, Y int
}

// Named is embedded by pointer.
type Named struct {
	Name string
}

// Item has nested and embedded structs.
type Item struct {
	Point
	*Named
	ID    int64
	Tags  []string
	Inner struct {
		A uint8
		B [3]uint16
	}
	Price float64
}

// Node is a cyclic linked list type.
type Node struct {
	Value int
	Next  *Node
}

// Shape is a non-empty interface.
type Shape interface {
	Area() float64
	Name() string
}

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }
func (r Rect) Name() string   { return "rect" }

// MyInt is a named basic type.
type MyInt int

// Ints is a named slice type.
type Ints []int

// Handler is a named func type.
type Handler func(string, ...int) (int, error)

// Pair is a generic struct.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// Order holds one of everything.
type Order struct {
	Items    []Item
	ByPoint  map[Point]string
	Counts   map[string]int
	Head     *Node
	Any      any
	Shape    Shape
	Err      error
	Done     chan bool
	Results  chan<- int
	OnEvent  func(int) bool
	Raw      unsafe.Pointer
	Z64      complex64
	Z128     complex128
	Flags    [4]bool
	Ptr      uintptr
	Small    int8
	Medium   int16
	Word     int32
	U        uint
	U8       uint8
	U16      uint16
	U32      uint32
	U64      uint64
	F32      float32
	Rn       rune
	By       byte
	Mi       MyInt
	Is       Ints
	H        Handler
	P        Pair[string, int]
	Matrix   [2][3]int
	Empty    struct{}
	Children []*Order
}

var counter = 7
var globalOrder *Order
var greeting = "hello"
var table = map[string]int{"a": 1, "b": 2}

// Max is a generic function.
func Max[T int | float64 | string](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func makeCounter(start int) func() int {
	n := start
	return func() int {
		n++ // captured by reference
		return n
	}
}

func shadow(x int) (result int, err error) {
	y := x * 2
	if x > 0 {
		y := y + 1 // shadows the outer y
		result = y
		for i := 0; i < 2; i++ {
			z := i + y
			result += z
		}
	} else {
		err = errors.New("non-positive")
	}
	result += y
	return
}

func build(n int) *Order {
	head := &Node{Value: 1}
	head.Next = &Node{Value: 2, Next: head}
	o := &Order{
		Items: []Item{{Point: Point{1, 2}, Named: &Named{"first"}, ID: 10, Tags: []string{"x", "y"}, Price: 1.5}},
		ByPoint: map[Point]string{{1, 2}: "a", {3, 4}: "b"},
		Counts:  map[string]int{"one": 1, "two": 2},
		Head:    head,
		Any:     42,
		Shape:   Rect{2, 3},
		Err:     errors.New("boom"),
		Done:    make(chan bool, 1),
		Results: make(chan int, 2),
		OnEvent: func(i int) bool { return i > n },
		Z64:     complex(1, 2),
		Z128:    complex(3, 4),
		Flags:   [4]bool{true, false, true, false},
		Small:   -8, Medium: -16, Word: -32, U: 1, U8: 8, U16: 16, U32: 32, U64: 64,
		F32: 3.25, Rn: 'é', By: 'b', Mi: 5, Is: Ints{1, 2, 3},
		H:      func(s string, xs ...int) (int, error) { return len(s) + len(xs), nil },
		P:      Pair[string, int]{"k", 9},
		Matrix: [2][3]int{{1, 2, 3}, {4, 5, 6}},
	}
	o.Raw = unsafe.Pointer(head)
	o.Ptr = uintptr(o.Raw)
	o.Children = []*Order{{Counts: map[string]int{}}}
	return o
}

func describe(s Shape, items ...Item) string {
	total := s.Area()
	for _, it := range items {
		total += it.Price
	}
	return fmt.Sprintf("%s %.1f", s.Name(), total)
}

func main() {
	o := build(len(os.Args))
	globalOrder = o
	next := makeCounter(counter)
	a, err := shadow(next())
	m := Max(3, 4) + Max(len(greeting), 1)
	f := Max(1.5, 2.5)
	s := Max("a", "b")
	p := Pair[int, string]{Key: m, Val: s}
	fmt.Println(a, err, m, f, s, p, describe(o.Shape, o.Items...), len(table), o.Counts["one"])
}
