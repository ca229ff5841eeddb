package main

import (
	"fmt"
	"runtime"

	"example.com/testdata/bininline/mathx"
)

// where reports its caller's stack, as the runtime sees it.
//
//go:noinline
func where() int {
	pcs := make([]uintptr, 16)
	n := runtime.Callers(2, pcs)
	fmt.Printf("RAW")
	for _, pc := range pcs[:n] {
		fmt.Printf(" %x", pc)
	}
	fmt.Println()
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		fmt.Printf("FRAME %x %s %s:%d\n", f.PC, f.Function, f.File, f.Line)
		if !more || f.Function == "main.main" {
			break
		}
	}
	return n
}

func leaf(x int) int {
	return where() + x // MARK:leafCall
}

func mid(x int) int {
	return leaf(x) * 2 // MARK:midCall
}

//go:noinline
func top(x int) int {
	y := mid(x) // MARK:topCall
	return mathx.Abs(y)
}
