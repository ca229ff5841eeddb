// generics: one generic function instantiated with three shapes (int, int32,
// float64; Celsius shares float64's), a generic type with a method, and
// values of generic types. main prints each value's %T and %#v (the oracle)
// before the line marked BP:values.
package main

import (
	"fmt"
	"os"
)

type Number interface {
	~int | ~int32 | ~float64
}

type Celsius float64

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

type Stack[T any] struct {
	items []T
}

func (s *Stack[T]) Push(x T) { // BP:pushEntry
	s.items = append(s.items, x) // BP:push
}

func sumOf[T Number](xs []T) T { // BP:sumEntry
	var acc T
	for _, x := range xs {
		acc += x // BP:sumBody
	}
	return acc
}

func main() {
	p := Pair[string, int]{Key: "a", Val: 1}
	q := Pair[int, []string]{Key: 2, Val: []string{"x", "y"}}
	s := &Stack[string]{}
	s.Push("one") // BP:pushCall
	s.Push("two")
	ns := Stack[Pair[string, int]]{items: []Pair[string, int]{p}}
	fmt.Printf("p=%T %#v\nq=%T %#v\ns=%T %#v\nns=%T %#v\n", p, p, q, q, s, s, ns, ns)
	os.Stdout.Sync()
	fmt.Println("values printed")    // BP:values
	i := sumOf([]int{1, 2, 3})       // BP:callInt
	i32 := sumOf([]int32{4, 5})      // BP:callInt32
	f := sumOf([]float64{1.5, 2.25}) // BP:callFloat
	c := sumOf([]Celsius{10, 0.5})   // BP:callCelsius
	fmt.Printf("sums %v %v %v %v\n", i, i32, f, c)
	os.Exit(int(i) + int(i32))
}
