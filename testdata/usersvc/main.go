// A small order service written the way users write Go: embedded structs,
// interfaces holding values and pointers, wrapped errors, a recovered panic
// with a custom value, closures over per-iteration loop variables. The
// debugger stops at the line marked usersvc stop; then the program prints, for each row
// of test/e2e/userPrograms.test.ts, the Go value (%v, %q for strings) and type (%T).
package main

import (
	"errors"
	"fmt"
	"time"
)

type Status int

const (
	Pending Status = iota
	Paid
	Shipped
)

func (s Status) String() string { return [...]string{"pending", "paid", "shipped"}[s] }

type Money struct {
	Cents    int64
	Currency string
}

type LineItem struct {
	SKU   string
	Qty   int
	Price Money
}

type Customer struct {
	ID   int
	Name string
}

type NotFoundError struct {
	Kind string
	ID   uint64
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s %d not found", e.Kind, e.ID) }

type Validator interface{ Validate() error }

type qtyValidator struct{ max int }

func (q qtyValidator) Validate() error { return nil }

type PanicValue struct {
	Code int
	Msg  string
}

type Store struct {
	index *[4]uint64
	grid  [2][3]int
}

func find(id uint64) error { return fmt.Errorf("find: %w", &NotFoundError{Kind: "order", ID: id}) }

func main() {
	items := []LineItem{{SKU: "A-1", Qty: 2, Price: Money{1999, "EUR"}}, {SKU: "B-2", Qty: 1, Price: Money{500, "EUR"}}}
	byStatus := map[Status][]LineItem{Paid: items}
	meta := map[string]any{"who": &Customer{ID: 2, Name: "Bob 日本"}, "n": 3}
	s := &Store{index: &[4]uint64{7, 11, 13, 17}, grid: [2][3]int{{1, 2, 3}, {4, 5, 6}}}
	var getErr error = &NotFoundError{Kind: "order", ID: 42}
	wrapped := errors.Join(find(7), getErr)
	var ifaceVal Validator = qtyValidator{max: 1}
	var pv any
	func() {
		defer func() { pv = recover() }()
		panic(PanicValue{Code: 3, Msg: "negative"})
	}()
	var funcs []func() int
	for i := 0; i < 3; i++ {
		funcs = append(funcs, func() int { return i * i })
	}
	unicode := "naïve café 🍕"
	runes := []rune(unicode)
	raw := []byte(unicode[:6])
	elapsed := 1500 * time.Millisecond
	type tally struct {
		n   int
		tag string
	}
	tl := tally{n: 2, tag: "x"}
	fmt.Println(len(byStatus), len(meta), s.grid[0][0], wrapped != nil, ifaceVal, pv, len(funcs), len(runes), len(raw), elapsed, tl) // usersvc stop
	row := func(expr string, v any) {
		if str, ok := v.(string); ok {
			fmt.Printf("ROW %s = %q\nTYPE %s = %T\n", expr, str, expr, v)
			return
		}
		fmt.Printf("ROW %s = %v\nTYPE %s = %T\n", expr, v, expr, v)
	}
	row(`pv.(PanicValue).Msg`, pv.(PanicValue).Msg)
	row(`pv.(PanicValue).Code + 1`, pv.(PanicValue).Code+1)
	row(`getErr.(*NotFoundError).ID`, getErr.(*NotFoundError).ID)
	row(`ifaceVal.(qtyValidator).max`, ifaceVal.(qtyValidator).max)
	row(`meta["who"].(*Customer).Name`, meta["who"].(*Customer).Name)
	row(`meta["n"].(int) * 2`, meta["n"].(int)*2)
	row(`s.grid[1][2]`, s.grid[1][2])
	row(`s.index[2]`, s.index[2])
	row(`len(s.index[1:])`, len(s.index[1:]))
	row(`byStatus[Paid][0].SKU`, byStatus[Paid][0].SKU)
	row(`byStatus[Paid][1].Price.Cents * 2`, byStatus[Paid][1].Price.Cents*2)
	row(`unicode[6]`, unicode[6])
	row(`len(runes)`, len(runes))
	row(`runes[2] == 'ï'`, runes[2] == 'ï')
	row(`string(raw)`, string(raw))
	row(`funcs[2]()`, funcs[2]())
	row(`int(Shipped) - int(Paid)`, int(Shipped)-int(Paid))
	row(`tally{n: 5, tag: "y"}.tag`, tally{n: 5, tag: "y"}.tag)
	row(`tl.n + tally{n: 5}.n`, tl.n+tally{n: 5}.n)
	row(`tally(tl).tag`, tally(tl).tag)
}
