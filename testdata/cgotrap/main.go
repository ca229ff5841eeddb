// cgotrap: Go calls C (outer → leaf, built without frame pointers) and leaf
// executes an int3 of its own: the program stops inside C, on the thread's
// system stack, with the goroutine in its cgo call below.
package main

/*
#cgo CFLAGS: -O2 -fomit-frame-pointer
__attribute__((noinline)) static int leaf(int x) {
	volatile int pad[8];
	pad[x & 7] = x;
	__asm__ volatile("int3");
	return pad[x & 7] * 3;
}

__attribute__((noinline)) static int outer(int x) {
	return leaf(x + 1) + 1;
}
*/
import "C"

import "fmt"

func main() {
	fmt.Println(int(C.outer(1)))
}
