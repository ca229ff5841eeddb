// Ends in a panic or a fatal error chosen by the first argument; the tests
// compare the debugger's exception stop with what Go itself prints.
package main

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

type MyErr struct{ Code int }

func (e *MyErr) Error() string { return fmt.Sprintf("my error %d", e.Code) }

func index(s []int, i int) int {
	return s[i]
}

func fail(mode string) {
	switch mode {
	case "custom":
		panic(&MyErr{Code: 42})
	case "errorsnew":
		panic(errors.New("boom"))
	case "errorf":
		panic(fmt.Errorf("wrapped: %w", errors.New("inner")))
	case "string":
		panic("something bad")
	case "int":
		panic(7)
	case "nilmap":
		var m map[string]int
		m["x"] = 1
	case "index":
		s := []int{1, 2, 3}
		fmt.Println(index(s, len(mode)+2))
	case "nilptr":
		var p *MyErr
		fmt.Println(p.Code)
	case "divide":
		zero := len(mode) - len(mode)
		fmt.Println(10 / zero)
	case "deadlock":
		ch := make(chan int)
		<-ch
	case "mapwrites":
		m := map[int]int{}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					m[i%64] = i
				}
			}()
		}
		wg.Wait()
	case "recovered":
		func() {
			defer func() { fmt.Println("recovered:", recover()) }()
			panic("caught")
		}()
		var p *MyErr
		func() {
			defer func() { fmt.Println("recovered:", recover() != nil) }()
			fmt.Println(p.Code)
		}()
	}
}

func main() {
	fmt.Println("mode", os.Args[1])
	fail(os.Args[1])
	fmt.Println("end")
}
