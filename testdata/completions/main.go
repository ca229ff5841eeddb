// Program completions gives the debug console's completions something to
// offer: arguments and locals, package globals and functions, a second
// package, a struct with an embedded struct and an embedded pointer, methods
// on values and pointers, and a non-ASCII name.
package main

import (
	"fmt"
	"os"

	"example.com/testdata/completions/inventory"
)

type Base struct {
	ID      int
	Created string
}

func (b Base) Label() string { return fmt.Sprint("base ", b.ID) }

func (b *Base) Touch() { b.Created = "now" }

type Audit struct {
	Reviewer string
}

func (a *Audit) Sign() string { return "signed by " + a.Reviewer }

type Order struct {
	Base
	*Audit
	Items    []inventory.Item
	Customer string
	total    float64
}

func (o Order) Total() float64 { return o.total }

func (o *Order) AddItem(it inventory.Item) { o.Items = append(o.Items, it) }

var orderCount = 1

var größe = 3

func process(order *Order, discount float64) float64 {
	subtotal := order.Total() * (1 - discount)
	first := order.Items[0]
	fmt.Println("processing", order.Customer, first.Describe(), subtotal, größe) // stop here
	return subtotal
}

func main() {
	o := &Order{Base: Base{ID: 7}, Audit: &Audit{Reviewer: "ann"}, Customer: "bob", total: 10}
	o.AddItem(*inventory.NewItem("pen"))
	o.Touch()
	o.Items[0].Restock(2)
	fmt.Println(o.Label(), o.Sign(), inventory.Count(), orderCount)
	fmt.Println(process(o, 0.5))
	os.Exit(0)
}
