// binclosure: closures, goroutines, defer, generics and loops, used by the
// binary decoder tests.
package main

import (
	"fmt"
	"sync"
)

// Number is a constraint for the generic functions below.
type Number interface {
	~int | ~int64 | ~float64
}

// Map applies f to every element (generic function).
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs { // MARK:mapRange
		out = append(out, f(x))
	}
	return out
}

// Sum adds numbers (generic with a constraint).
func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

// Stack is a generic type with methods.
type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

func (s *Stack[T]) Pop() (T, bool) {
	var zero T
	if len(s.items) == 0 {
		return zero, false
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, true
}

func makeAdder(base int) func(int) int {
	return func(x int) int {
		return base + x // MARK:adderBody
	}
}

func worker(id int, jobs <-chan int, results chan<- string, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- fmt.Sprintf("w%d:%d", id, j*j)
	}
}

func main() {
	add3 := makeAdder(3)
	squares := Map([]int{1, 2, 3}, func(x int) int {
		return add3(x * x) // MARK:closureBody
	})
	names := Map(squares, func(x int) string { return fmt.Sprint(x) })
	fmt.Println(squares, names, Sum([]float64{1.5, 2.5}), Sum(squares))

	var st Stack[string]
	st.Push("a")
	st.Push("b")
	v, _ := st.Pop()

	jobs := make(chan int, 4)
	results := make(chan string, 4)
	var wg sync.WaitGroup
	for w := 1; w <= 2; w++ {
		wg.Add(1)
		go worker(w, jobs, results, &wg)
	}
	for i := 0; i < 4; i++ {
		jobs <- i
	}
	close(jobs)
	go func() {
		wg.Wait()
		close(results) // MARK:goClosure
	}()
	n := 0
	for range results {
		n++
	}
	defer func() {
		fmt.Println("deferred", v, n)
	}()
}
