package main

import (
	"fmt"
	"io"
)

// report prints the results; it lives in its own file.
func report(w io.Writer, n int, sum, area float64) {
	if n > 0 {
		fmt.Fprintf(w, "n=%d sum=%.3f area=%.3f\n", n, sum, area) // MARK:reportPrint
	}
	for _, s := range []string{"a", "b"} { // MARK:rangeHeader
		fmt.Fprint(w, s)
	}
	fmt.Fprintln(w)
}
