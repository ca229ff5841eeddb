// benchvalues: a 1,000,000-element slice (s[i] == i) and a 100,000-entry map (m[k] == 2k).
package main

import "fmt"

func main() {
	s := make([]int, 1000000)
	for i := range s {
		s[i] = i
	}
	m := make(map[int]int, 100000)
	for k := 0; k < 100000; k++ {
		m[k] = 2 * k
	}
	fmt.Println(len(s), len(m)) // BENCH:values
}
