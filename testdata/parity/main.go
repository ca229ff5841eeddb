// Values the differential run against Delve found shown wrongly: a channel's
// closed flag, an argument of a caller frame that arrived in a register, a
// slice whose data pointer is nil but whose length is not, a reflect.Value,
// a generic function's type dictionary, and a range-over-func loop body
// (rangefunc.go), whose frame is a closure the compiler made. The program
// prints each value as fmt shows it (name=value lines) before it stops.
package main

import (
	"fmt"
	"reflect"
	"unsafe"
)

var sink int

//go:noinline
func leaf() {
	sink++ // BP:leaf
}

//go:noinline
func middle(n int, s string) {
	leaf()
}

func generic[T any](x T) {
	y := x
	fmt.Println("generic", y) // BP:generic
}

func main() {
	open := make(chan struct{})
	closed := make(chan int, 2)
	closed <- 4
	close(closed)
	good := []int{1, 2, 3}
	bad := unsafe.Slice((*int)(nil), 0)
	// A slice header with a length but a nil data pointer (only unsafe makes one).
	*(*[3]uintptr)(unsafe.Pointer(&bad)) = [3]uintptr{0, 3, 3}
	rv := reflect.ValueOf(42)
	rs := reflect.ValueOf("held")
	var rz reflect.Value
	fmt.Printf("openClosed=%v\n", isClosed(open))
	fmt.Printf("closedClosed=%v\n", true)
	fmt.Printf("closedLen=%d\n", len(closed))
	fmt.Printf("badLen=%d\n", len(bad))
	fmt.Printf("badNil=%v\n", unsafe.SliceData(bad) == nil)
	fmt.Printf("good=%v\n", good)
	fmt.Printf("rv=%v\n", rv)
	fmt.Printf("rvString=%s\n", rv.String())
	fmt.Printf("rs=%q\n", rs)
	fmt.Printf("rz=%v\n", rz)
	fmt.Printf("n=%d\n", 3)
	fmt.Printf("s=%q\n", "in a register")
	rangeBody()
	middle(3, "in a register")
	generic(7)
	fmt.Println(open != nil, closed != nil, len(good), len(bad), rv.Kind(), rs.Kind(), rz.IsValid()) // BP:main
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
