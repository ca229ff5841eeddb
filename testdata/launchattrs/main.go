// launchattrs: prints what the launch attributes gave it (arguments, a few
// environment variables, its working directory), one `name=value` per line.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	wd, _ := os.Getwd()
	fmt.Printf("args=%s\n", strings.Join(os.Args[1:], "|"))
	for _, k := range []string{"GDA_FROM_ENV", "GDA_FROM_FILE", "GDA_BOTH", "HOME"} {
		v, ok := os.LookupEnv(k)
		fmt.Printf("%s=%s set=%t\n", k, v, ok)
	}
	fmt.Printf("cwd=%s\n", wd)
}
