// wellknown: values of types a debugger shows specially (time.Time,
// time.Duration, named integers with constants), printed by the program
// itself as `name=value` right before the line marked BP:main.
package main

import (
	"fmt"
	"os"
	"time"
)

// Code has constants that are not powers of two: only exact matches are named.
type Code uint8

const (
	ByteConst Code = 255
	SmallCode Code = 7
)

// Flags has distinct single-bit constants: combinations are named too.
type Flags int

const (
	bitZero Flags = 1 << iota
	bitOne
	bitTwo
	bitFour Flags = 16
)

//go:noinline
func show(t0, tUTC, tFixed, tZone, tLocal, tNow, tFuture, tSouth, tSouthWinter time.Time, d1, d2, d3, d4, d5, dNeg time.Duration, c1, c2, c3 Code, f1, f2, f3, f4 Flags) int {
	fmt.Printf("t0=%v\ntUTC=%v\ntFixed=%v\ntZone=%v\ntLocal=%v\ntNow=%v\n", t0, tUTC, tFixed, tZone, tLocal, tNow.Round(0))
	fmt.Printf("tFuture=%v\ntSouth=%v\ntSouthWinter=%v\n", tFuture, tSouth, tSouthWinter)
	fmt.Printf("d1=%v\nd2=%v\nd3=%v\nd4=%v\nd5=%v\ndNeg=%v\n", d1, d2, d3, d4, d5, dNeg)
	fmt.Printf("c1=%d\nc2=%d\nc3=%d\nf1=%d\nf2=%d\nf3=%d\nf4=%d\n", c1, c2, c3, f1, f2, f3, f4)
	return len(tZone.Location().String()) // BP:main
}

func main() {
	tUTC := time.Date(1977, time.May, 25, 18, 0, 0, 0, time.UTC)
	tFixed := time.Date(2009, time.November, 10, 23, 0, 0, 123456789, time.FixedZone("XST", -(7*3600+30*60)))
	zone, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		zone = time.FixedZone("CEST", 2*3600)
	}
	tZone := time.Date(2024, time.July, 1, 12, 30, 0, 5000, zone)
	tLocal := tUTC.Local()
	tNow := time.Now()
	// After the zone files' last transition (2037): Go evaluates the POSIX rule at their end.
	tFuture := time.Date(2040, time.July, 1, 12, 0, 0, 0, zone)
	south, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		south = time.FixedZone("AEDT", 11*3600)
	}
	tSouth := time.Date(2040, time.January, 15, 8, 0, 0, 0, south)
	tSouthWinter := time.Date(2040, time.July, 15, 8, 0, 0, 0, south)
	show(time.Time{}, tUTC, tFixed, tZone, tLocal, tNow, tFuture, tSouth, tSouthWinter,
		1500*time.Millisecond, 2*time.Hour, 100*time.Millisecond, 1500*time.Nanosecond, 90*time.Second+time.Nanosecond, -3*time.Microsecond,
		ByteConst, SmallCode, 9, bitZero|bitOne, bitFour, bitTwo|bitFour|32, 0)
	os.Exit(0)
}
