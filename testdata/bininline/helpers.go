package main

// clamp is small enough to be inlined into compute.
func clamp(v, lo, hi int) int {
	if v < lo { // MARK:clampIf
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
