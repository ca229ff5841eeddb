// condslots: integer locals of each size and signedness stepping through known
// values in a loop, for breakpoint conditions that compare a local with a
// constant (answered from the local's stack slot: breakpoints/conditions.ts).
// Before the statement marked CS:<name> of iteration i the local holds its start
// value plus i (the signed ones start below zero).
package main

import "fmt"

func walk(n int) {
	var i8 int8 = -3
	var u8 uint8 = 200
	var i16 int16 = -2
	var u16 uint16 = 65000
	var i32 int32 = -5
	var u32 uint32 = 4000000000
	var u64 uint64 = 18446744073709551000
	sum := 0
	for i := 0; i < n; i++ {
		i8++     // CS:i8
		u8++     // CS:u8
		i16++    // CS:i16
		u16++    // CS:u16
		i32++    // CS:i32
		u32++    // CS:u32
		u64++    // CS:u64
		sum += i // CS:sum
	}
	fmt.Println(i8, u8, i16, u16, i32, u32, u64, sum)
}

func main() {
	walk(10)
}
