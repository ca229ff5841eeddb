// values: one of every Go kind, printed by the program itself (%#v, the
// oracle) right before the line marked BP:main where the tests stop.
package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"unsafe"
)

// counter is a package-level variable.
var counter = 7

type Point struct{ X, Y int }

type Named struct{ Name string }

type Item struct {
	SKU   string
	Qty   int
	Price float64
}

type Base struct {
	ID  int
	Tag string
}

type Order struct {
	Base
	*Named
	Items []Item
	Total float64
	Ship  struct {
		City string
		Zip  [2]int
	}
	Note *string
}

type Node struct {
	Value int
	Next  *Node
}

type Shape interface{ Area() float64 }

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }

type Celsius float64

type Weekday int

// Big is larger than 128 bytes: maps store it indirectly.
type Big struct{ A [20]int64 }

func sortedKeys[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}

func main() {
	b := true
	i8, i16, i32, i64, n := int8(-8), int16(-16), int32(-32), int64(-64), 42
	u8, u16, u32, u64, up := uint8(200), uint16(60000), uint32(4000000000), uint64(18446744073709551615), uintptr(0x1234)
	f32, f64 := float32(3.25), 1e-7
	c64, c128 := complex64(complex(1, -2)), complex(3.5, 4)
	r, by := 'é', byte('b')
	s := "héllo\n\"world\"\t\x01"
	temp, day := Celsius(36.6), Weekday(3)

	arr := [4]int{1, 2, 3, 4}
	matrix := [2][3]int{{1, 2, 3}, {4, 5, 6}}
	sl := make([]int, 3, 4)
	sl[0], sl[1], sl[2] = 1, 2, 3
	var nilSlice []int
	empty := []string{}
	items := []Item{{"A-1", 2, 1.5}, {"B-2", 1, 20}}
	note := "fragile"
	o := Order{Base: Base{7, "vip"}, Named: &Named{"Ann"}, Items: items, Total: 23, Note: &note}
	o.Ship.City = "Oslo"
	o.Ship.Zip = [2]int{1, 2}
	po := &o
	var nilPtr *Order

	m := map[string]int{"a": 1, "b": 2}
	var nilMap map[string]int
	pm := map[Point]string{{1, 2}: "a", {3, 4}: "b"}
	big := make(map[int]int)
	for k := 0; k < 2000; k++ {
		big[k] = k * k
	}
	bigVals := map[int]Big{1: {A: [20]int64{1, 2}}, 2: {A: [20]int64{3}}}

	var e any = 42
	var es any = "x"
	var ep any = &Point{5, 6}
	var eStruct any = Point{7, 8}
	var sh Shape = Rect{2, 3}
	var nilAny any
	err := errors.New("boom")
	var nilErr error

	ch := make(chan int, 5)
	ch <- 10
	ch <- 20
	ch <- 30
	<-ch
	var nilCh chan int

	base := 10
	add := func(x int) int { return x + base }
	upper := strings.ToUpper
	var nilFn func()

	raw := unsafe.Pointer(&n)
	pn := &n

	head := &Node{Value: 1}
	head.Next = &Node{Value: 2, Next: &Node{Value: 3}}
	head.Next.Next.Next = head

	huge := make([]int, 1000000)
	for k := range huge {
		huge[k] = k
	}
	long := strings.Repeat("0123456789", 10000)

	// The oracle: the program's own view of its values.
	fmt.Printf("b=%#v\ni8=%#v\ni16=%#v\ni32=%#v\ni64=%#v\nn=%#v\n", b, i8, i16, i32, i64, n)
	fmt.Printf("u8=%#v\nu16=%#v\nu32=%#v\nu64=%#v\nup=%#v\n", u8, u16, u32, u64, up)
	fmt.Printf("f32=%#v\nf64=%#v\nc64=%#v\nc128=%#v\nr=%#v\nby=%#v\ns=%#v\ntemp=%#v\nday=%#v\n", f32, f64, c64, c128, r, by, s, temp, day)
	fmt.Printf("arr=%#v\nmatrix=%#v\nsl=%#v\nnilSlice=%#v\nempty=%#v\nitems=%#v\n", arr, matrix, sl, nilSlice, empty, items)
	fmt.Printf("o=%#v\npo=%#v\nnilPtr=%#v\n", o, po, nilPtr)
	fmt.Printf("m=%#v\nnilMap=%#v\npm=%#v\n", m, nilMap, pm)
	fmt.Printf("e=%#v\nes=%#v\nep=%#v\neStruct=%#v\nsh=%#v\nnilAny=%#v\nerr=%#v\nnilErr=%#v\n", e, es, ep, eStruct, sh, nilAny, err, nilErr)
	fmt.Printf("ch=%d/%d\nnilCh=%t\nadd=%d\nupper=%s\nnilFn=%t\nraw=%#v\npn=%#v\n", len(ch), cap(ch), nilCh == nil, add(1), upper("x"), nilFn == nil, raw, pn)
	fmt.Printf("head=%d,%d,%d,%d\n", head.Value, head.Next.Value, head.Next.Next.Value, head.Next.Next.Next.Value)
	fmt.Printf("huge=%d,%d\nlong=%d\n", len(huge), huge[999999], len(long))
	for _, k := range sortedKeys(big) {
		fmt.Printf("big[%d]=%d\n", k, big[k])
	}
	for _, k := range sortedKeys(bigVals) {
		fmt.Printf("bigVals[%d]=%#v\n", k, bigVals[k])
	}
	fmt.Printf("counter=%#v\n", counter)
	os.Stdout.Sync()
	fmt.Println("end") // BP:main
}
