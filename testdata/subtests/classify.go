// Package subtests is the code under a table-driven test: the subtests test
// stops in Classify for one case only, with a `$test` condition.
package subtests

func Classify(n int) string {
	kind := "zero"
	if n < 0 {
		kind = "negative"
	} else if n > 0 {
		kind = "positive"
	}
	return kind
}
