// cgoframes: Go calls C (outer → middle → leaf, compiled without frame
// pointers), and leaf calls back into Go (goCallback): a Go→C→Go stack whose
// C frames have no Go tables; only gcc's .eh_frame describes them.
package main

/*
#cgo CFLAGS: -O2 -fomit-frame-pointer
extern int goCallback(int);

__attribute__((noinline)) static int leaf(int x) {
	volatile int pad[8];
	pad[x & 7] = x;
	return goCallback(pad[x & 7] + 1) + 1;
}

__attribute__((noinline)) static int middle(int x) {
	volatile long pad[5];
	pad[x & 3] = x;
	return leaf((int)pad[x & 3] * 2) + 1;
}

__attribute__((noinline)) static int outer(int x) {
	return middle(x + 1) + 1;
}
*/
import "C"

import "fmt"

//export goCallback
func goCallback(x C.int) C.int {
	return x * 3 // MARK:callback
}

func main() {
	fmt.Println(int(C.outer(1)))
}
