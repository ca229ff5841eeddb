// The Variables view's String() and Error() texts: values whose type has
// such a method (value and pointer receivers, through interfaces), values
// fmt would not call them on, nil ones, and one whose String() never returns.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type Person struct {
	Name string
	Age  int
}

func (p Person) String() string { return p.Name + " (" + fmt.Sprint(p.Age) + ")" }

// Counter's String has a pointer receiver: fmt calls it on a *Counter, not on a Counter.
type Counter struct{ n int }

func (c *Counter) String() string { return "counter " + strings.Repeat("|", c.n) }

type codeError struct{ code int }

func (e *codeError) Error() string { return fmt.Sprintf("code %d", e.code) }

// Both: fmt prefers Error() to String().
type Both struct{}

func (Both) Error() string  { return "as error" }
func (Both) String() string { return "as stringer" }

// Stuck's String never returns (it waits on a channel no one sends on).
type Stuck struct{ ch chan int }

func (s Stuck) String() string { return fmt.Sprint(<-s.ch) }

func show(temp Celsius, who Person, cnt Counter, pcnt *Counter, err error, none error, both Both, str fmt.Stringer, nilp *Counter) {
	fmt.Println(temp, who, pcnt, err, none, both, str, nilp == nil, cnt.n) // stop here
}

var keep fmt.Stringer

func wait(s Stuck, who Person) {
	keep = s // keeps Stuck.String in the binary
	fmt.Println("waiting", who) // stop in wait
}

func main() {
	c := &Counter{n: 3}
	show(21.5, Person{"Ada", 36}, Counter{n: 2}, c, &codeError{7}, nil, Both{}, Celsius(-4), nil)
	if len(os.Args) > 1 {
		wait(Stuck{ch: make(chan int)}, Person{"Bob", 41})
	}
	fmt.Println("done", errors.New("x"))
}
