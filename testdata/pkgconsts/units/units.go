// Package units declares the constants main reads as units.Name.
package units

// Size is a named integer type with constants.
type Size int64

const (
	Byte Size = 1
	KiB  Size = 1024 * Byte
	MiB  Size = 1024 * KiB
)

// Limit is an untyped integer constant; Ratio an untyped float one (Go writes no DWARF for floats).
const (
	Limit = 1 << 40
	Ratio = 0.5
	Name  = "units"
)

// Scale multiplies n by s.
func Scale(n int64, s Size) int64 { return n * int64(s) }
