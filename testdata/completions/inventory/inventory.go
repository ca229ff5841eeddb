// Package inventory is a second package for completions after "inventory.".
package inventory

import "fmt"

// Stock is an exported global.
var Stock = map[string]int{"pen": 3}

var hidden = 7

// Item is an exported type with methods.
type Item struct {
	Name string
	Qty  int
}

// Describe has a value receiver.
func (it Item) Describe() string { return fmt.Sprintf("%s x%d", it.Name, it.Qty) }

// Restock has a pointer receiver.
func (it *Item) Restock(n int) { it.Qty += n + hidden - hidden }

// NewItem is an exported function.
func NewItem(name string) *Item { return &Item{Name: name, Qty: 1} }

func helper() int { return hidden }

// Count uses helper so that it stays in the binary.
func Count() int { return helper() + len(Stock) }
