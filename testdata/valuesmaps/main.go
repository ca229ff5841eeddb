// valuesmaps: maps of several shapes, for both runtime layouts (Swiss tables
// in Go 1.24+, buckets before). Built with go1.22.12, `grow` is stopped in the
// middle of an incremental growth (old buckets not all evacuated).
package main

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"unsafe"
)

type K struct {
	A int
	B string
}

// hmap mirrors the start of runtime.hmap (Go <= 1.23) to report growth.
type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
}

func main() {
	small := map[string]int{"x": 1, "y": 2}
	grow := make(map[int]int)
	for k := 0; k < 53; k++ {
		grow[k] = k * 10
	}
	structKeys := map[K]int{{1, "a"}: 1, {2, "b"}: 2, {3, "c"}: 3}
	big := make(map[int]string)
	for k := 0; k < 3000; k++ {
		big[k] = fmt.Sprint("v", k)
	}
	var wideKey [20]int64
	wideKey[0] = 9
	wide := map[[20]int64]bool{wideKey: true}

	if strings.HasPrefix(runtime.Version(), "go1.22") || strings.HasPrefix(runtime.Version(), "go1.23") {
		h := *(**hmap)(unsafe.Pointer(&grow))
		fmt.Printf("growing=%t B=%d\n", h.oldbuckets != nil, h.B)
	}
	fmt.Printf("small=%v\nstructKeys=%v\nwide=%d\n", small, structKeys, len(wide))
	keys := make([]int, 0, len(grow))
	for k := range grow {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		fmt.Printf("grow[%d]=%d\n", k, grow[k])
	}
	keys = keys[:0]
	for k := range big {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		fmt.Printf("big[%d]=%q\n", k, big[k])
	}
	fmt.Println("end") // BP:main
}
