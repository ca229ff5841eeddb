// Program setexpr prints, after its stop, every value a setExpression test
// assigns: fields of elements of slices behind pointers, *p, a[i], nested
// fields, whole structs and arrays, pointers, nil maps, channels, functions
// and interfaces, named types, and a receive-only channel.
package main

import (
	"fmt"
	"os"
)

type Qty int

type Celsius float64

type Line struct {
	Name  string
	Qty   int
	Price float64
}

type Person struct {
	Name string
	Age  int
}

type Order struct {
	ID    int
	Items []Line
	Ship  struct {
		City string
		Zip  [2]int
	}
	Owner *Person
	Note  any
	Err   error
	Tags  map[string]int
	Done  chan bool
	Hook  func(int) int
}

type inner struct{ g int }

type mid struct{ f inner }

type outer struct{ f mid }

func double(x int) int { return 2 * x }

func main() {
	o := &Order{ID: 1, Items: []Line{{"pen", 2, 1.5}, {"cup", 1, 4}}, Tags: map[string]int{"new": 1}, Done: make(chan bool, 1), Hook: double}
	o.Ship.City = "Oslo"
	o.Note = "first"
	o.Err = fmt.Errorf("failed")
	a := [4]int{1, 2, 3, 4}
	i := 2
	p := &o.Items[0].Qty
	n := 5
	var q Qty = 3
	var c Celsius = 1.5
	f := 2.5
	var f32 float32 = 0.5
	other := Line{"ink", 9, 0.5}
	zip := [2]int{8, 9}
	person := &Person{"zed", 40}
	var anyv any = 1
	var text any = "boxed"
	m := map[string]int{"a": 1}
	var s outer
	extra := []int{1, 2}
	var recvOnly <-chan bool
	// Never run: a local the program never reassigns may be folded into its uses (even with -N -l).
	if len(os.Args) > 5 {
		i, n, q, c, f, f32, person, anyv, text, m, extra = i+1, n+1, q+1, c+1, f+1, f32+1, nil, nil, nil, nil, nil
		a[0]++
		other.Qty++
		zip[0]++
		s.f.f.g++
		recvOnly = o.Done
	}
	fmt.Println("stop", len(os.Args)) // stop here
	fmt.Printf("items %s/%d %s/%d\n", o.Items[0].Name, o.Items[0].Qty, o.Items[1].Name, o.Items[1].Qty)
	fmt.Printf("p %d\n", *p)
	fmt.Printf("a %v i %d\n", a, i)
	fmt.Printf("s.f.f.g %d\n", s.f.f.g)
	fmt.Printf("zip %v owner %v\n", o.Ship.Zip, o.Owner)
	fmt.Printf("n %d q %d c %g f %g f32 %g\n", n, q, c, f, f32)
	fmt.Printf("tags nil %t len %d\n", o.Tags == nil, len(o.Tags))
	fmt.Printf("note %v anyv %v err %v\n", o.Note, anyv, o.Err)
	fmt.Printf("m %v\n", m)
	fmt.Printf("done nil %t hook nil %t\n", o.Done == nil, o.Hook == nil)
	fmt.Printf("extra nil %t\n", extra == nil)
	fmt.Printf("recvOnly set %t\n", recvOnly != nil)
	fmt.Println(person, text, other)
}
