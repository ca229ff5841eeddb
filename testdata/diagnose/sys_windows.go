package main

// Built only for Windows (by its file name).
func windowsOnly() int {
	return 3
}
