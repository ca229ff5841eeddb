// Prints the directory its own binary is in and that directory's permissions:
// what another user of the machine could do with a binary built for a session.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	exe, err := os.Executable()
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	dir := filepath.Dir(exe)
	st, err := os.Stat(dir)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Printf("dir=%s mode=%s\n", dir, st.Mode())
}
