// cgonested: callbacks inside callbacks. main.main → C outer → Go goOuter →
// C inner → Go goInner: two runtime.cgocallback frames, each with its own C
// frames on the same thread's system stack (the second g0.sched.sp saved by
// the first callback's frame).
package main

/*
#cgo CFLAGS: -O2 -fomit-frame-pointer
extern int goOuter(int);
extern int goInner(int);

__attribute__((noinline)) static int inner(int x) {
	volatile int pad[4];
	pad[x & 3] = x;
	return goInner(pad[x & 3] + 1) + 1;
}

__attribute__((noinline)) static int outer(int x) {
	volatile long pad[3];
	pad[x & 1] = x;
	return goOuter((int)pad[x & 1] * 2) + 1;
}

*/
import "C"

import "fmt"

//export goOuter
func goOuter(x C.int) C.int {
	return C.inner(x+1) * 2
}

//export goInner
func goInner(x C.int) C.int {
	return x * 3 // MARK:inner
}

func main() {
	fmt.Println(int(C.outer(1)))
}
