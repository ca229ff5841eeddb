// valuesfmt: Go's own spelling of floats, complex numbers, quoted strings and
// runes (the oracle for the debugger's formatter). One request per input line:
//   f64 <bits hex> | f32 <bits hex> | q <bytes hex> | r <code point>
package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Fields(in.Text())
		switch f[0] {
		case "f64":
			b, _ := strconv.ParseUint(f[1], 16, 64)
			fmt.Fprintln(out, strconv.FormatFloat(math.Float64frombits(b), 'g', -1, 64))
		case "f32":
			b, _ := strconv.ParseUint(f[1], 16, 32)
			fmt.Fprintln(out, strconv.FormatFloat(float64(math.Float32frombits(uint32(b))), 'g', -1, 32))
		case "c128":
			re, _ := strconv.ParseUint(f[1], 16, 64)
			im, _ := strconv.ParseUint(f[2], 16, 64)
			fmt.Fprintf(out, "%v\n", complex(math.Float64frombits(re), math.Float64frombits(im)))
		case "q":
			var b []byte
			if len(f) > 1 {
				b, _ = hex.DecodeString(f[1])
			}
			fmt.Fprintln(out, strconv.Quote(string(b)))
		case "r":
			r, _ := strconv.ParseInt(f[1], 10, 32)
			fmt.Fprintln(out, strconv.QuoteRune(rune(r)))
		}
	}
}
