// Package mathx holds inlinable helpers, one of them generic.
package mathx

// Abs returns |x|.
func Abs(x int) int {
	if x < 0 { // MARK:absIf
		return -x
	}
	return x
}

// Max is a generic helper.
func Max[T int | float64](a, b T) T {
	if a > b {
		return a
	}
	return b
}
