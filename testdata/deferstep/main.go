package main

import (
	"errors"
	"fmt"
)

func mayPanic(n int) int {
	if n > 2 {
		panic(fmt.Sprintf("too big: %d", n)) // BP panic
	}
	return n * 2
}

func safe(n int) (r int, err error) {
	defer func() {
		if x := recover(); x != nil { // BP recover
			err = errors.New(fmt.Sprint(x))
			r = -1
		}
	}()
	r = mayPanic(n) // BP call
	return r, nil
}

func cleanup(name string) {
	fmt.Println("cleanup", name) // BP cleanup
}

func work(name string) int {
	defer cleanup(name)
	v := len(name) // BP work
	return v
}

func main() {
	banner() // BP banner
	fmt.Println(work("abc"))
	for i := 1; i < 5; i++ {
		r, err := safe(i) // BP loop
		fmt.Println(r, err)
	}
	var m map[string]int
	defer fmt.Println("deferred in main")
	m["x"] = 1 // BP nilmap
	fmt.Println("unreachable")
}

func banner() {
	fmt.Println("start")
}
