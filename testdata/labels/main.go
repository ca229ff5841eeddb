// Goroutines with pprof labels.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"sync"
)

func job(name string) string {
	return "done " + name
}

func main() {
	var wg sync.WaitGroup
	for _, name := range []string{"alpha", "beta"} {
		wg.Add(1)
		go pprof.Do(context.Background(), pprof.Labels("job", name, "team", "core"), func(ctx context.Context) {
			defer wg.Done()
			fmt.Println(job(name))
		})
	}
	wg.Wait()
}
