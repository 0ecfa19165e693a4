// Package workpool is the one bounded worker pool of tsf and tsf-beam:
// every loop that runs its items in parallel runs them here, on at most a
// given number of goroutines. Each item writes its own result (a slot of a
// slice indexed by the item), so the results never depend on the number of
// workers or on the order in which the items finish.
//
// The compute kernels are not built on it: internal/linalg's GEMM threads
// and the row split of models' recurrent layers are persistent goroutines
// handed partitions of one matrix product at a time through atomics, where
// a goroutine or a channel send per call would cost their zero-allocation,
// microsecond-scale steps.
package workpool

import (
	"context"
	"runtime"
	"sync"
)

// Size returns the number of workers for a requested count: n, or
// runtime.GOMAXPROCS(0) when n is 0 or negative.
func Size(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// For runs do(i) for every i in [0, n) on at most Size(workers)
// goroutines, handing the indices out in order, and returns when every
// call it started has returned. Once ctx is done it starts no more calls
// (those running finish as do sees fit); do(i) is then never called for
// the indices not yet handed out.
func For(ctx context.Context, n, workers int, do func(i int)) {
	if n <= 0 {
		return
	}
	ch := make(chan int)
	var wg sync.WaitGroup
	for range min(Size(workers), n) {
		wg.Go(func() {
			for i := range ch {
				do(i)
			}
		})
	}
feed:
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		select {
		case ch <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
}

// Group runs functions as they come, on at most a fixed number of
// goroutines at once: for work that arrives one item at a time (a Beam
// bundle's elements) rather than as a slice.
type Group struct {
	sem chan struct{}
	wg  sync.WaitGroup
}

// NewGroup returns a Group of Size(workers) goroutines.
func NewGroup(workers int) *Group {
	return &Group{sem: make(chan struct{}, Size(workers))}
}

// Go runs f on a goroutine of the group, waiting for one to be free.
func (g *Group) Go(f func()) {
	g.sem <- struct{}{}
	g.wg.Go(func() {
		defer func() { <-g.sem }()
		f()
	})
}

// Wait waits for every function started by Go to return.
func (g *Group) Wait() { g.wg.Wait() }
