// Functions whose results the return-values test reads after stepping out of
// them: unnamed results, named ones, an error. main prints what they returned.
package main

import (
	"errors"
	"fmt"
)

func pair(s string) (string, int) {
	n := len(s) * 14
	return "left", n
}

func divide(a, b int) (q int, err error) {
	if b == 0 {
		err = errors.New("division by zero")
		return
	}
	q = a / b
	return
}

func ratio(a, b float64) float64 {
	r := a / b
	return r
}

func main() {
	s, n := pair("abc")
	q, err := divide(7, 2)
	_, err2 := divide(1, 0)
	r := ratio(5, 2)
	fmt.Println(s, n, q, err, err2, r)
}
