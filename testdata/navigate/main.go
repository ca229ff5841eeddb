// navigate: calls to pick from (stepInTargets), statements to jump to (goto)
// and several statement starts on one line (breakpointLocations). Every value
// the tests care about is printed, so a test sees what the program saw. The
// tests find lines by the NV: markers.
package main

import "fmt"

// A package variable: its increment is a load and a store in memory, so re-running
// the statement adds one again (a local's increment may be folded into a constant,
// even with -N -l).
var count int

func g(x int) int {
	return x * 2 // NV:g
}

func h() int {
	return 7 // NV:h
}

func f(a, b int) int {
	return a + b // NV:f
}

func main() {
	x := 3
	r := f(g(x), h()) // NV:calls
	fmt.Println("r", r)
	count++                     // NV:incr
	fmt.Println("count", count) // NV:print
	if count > 0 {
		inner := count * 10         // NV:inner
		fmt.Println("inner", inner) // NV:useinner
	}
	inc, dec := func(v int) int { return v + 1 }, func(v int) int { return v - 1 } // NV:closures
	fmt.Println("closures", inc(1), dec(1))                                        // NV:closurecalls
	fmt.Println("end", g(h()))                                                     // NV:end
}
