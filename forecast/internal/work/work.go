package work

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// Safely runs f, turning a panic into an error so that one series' failure
// never costs the others.
func Safely[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			v, err = zero, fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// Pool runs do(0..n-1) on workers goroutines until done or cancelled.
func Pool(ctx context.Context, n, workers int, do func(int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ch := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ch {
				do(i)
			}
		}()
	}
	for i := range n {
		select {
		case ch <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(ch)
	wg.Wait()
}
