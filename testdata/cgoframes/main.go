// cgoframes: Go calls C (outer → middle → leaf, compiled without frame
// pointers), and leaf calls back into Go (goCallback), so a stop in the
// callback or at the int3 in leaf has C frames between Go frames. The C
// frames have no Go tables: only gcc's .eh_frame describes them.
package main

/*
#cgo CFLAGS: -O2 -fomit-frame-pointer
extern int goCallback(int);

__attribute__((noinline)) static int leaf(int x) {
	volatile int pad[8];
	pad[x & 7] = x;
	if (x < 0) __asm__ volatile("int3");
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

import (
	"fmt"
	"os"
)

//export goCallback
func goCallback(x C.int) C.int {
	return x * 3 // MARK:callback
}

func main() {
	n := 1
	if len(os.Args) > 1 {
		n = -1 // leaf stops at its int3
	}
	fmt.Println(int(C.outer(C.int(n))))
}
