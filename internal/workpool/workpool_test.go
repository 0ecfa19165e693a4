package workpool

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// TestForBounded: every index is done once, never more than the workers
// at a time, with the same results whatever their number.
func TestForBounded(t *testing.T) {
	var want []int
	for _, workers := range []int{1, 2, 3, 8, 0} {
		out := make([]int, 50)
		var running, peak atomic.Int32
		For(context.Background(), len(out), workers, func(i int) {
			r := running.Add(1)
			for p := peak.Load(); r > p && !peak.CompareAndSwap(p, r); p = peak.Load() {
			}
			out[i] += i * i
			running.Add(-1)
		})
		if workers > 0 && int(peak.Load()) > workers {
			t.Errorf("workers %d: %d ran at once", workers, peak.Load())
		}
		if want == nil {
			want = out
		} else if !slices.Equal(out, want) {
			t.Errorf("workers %d: %v; want %v", workers, out, want)
		}
	}
}

// TestForCancel: once ctx is done no further call starts.
func TestForCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var done []int
	For(ctx, 100, 1, func(i int) {
		mu.Lock()
		done = append(done, i)
		mu.Unlock()
		if i == 4 {
			cancel()
		}
	})
	if !slices.Equal(done, []int{0, 1, 2, 3, 4}) {
		t.Errorf("ran %v; want 0..4", done)
	}
	n := 0
	For(ctx, 10, 2, func(int) { n++ })
	if n != 0 {
		t.Errorf("a cancelled For ran %d calls", n)
	}
}

// TestGroup: at most the group's size run at once, and Wait waits for all.
func TestGroup(t *testing.T) {
	g := NewGroup(2)
	var running, peak, total atomic.Int32
	for range 20 {
		g.Go(func() {
			r := running.Add(1)
			for p := peak.Load(); r > p && !peak.CompareAndSwap(p, r); p = peak.Load() {
			}
			total.Add(1)
			running.Add(-1)
		})
	}
	g.Wait()
	if total.Load() != 20 || peak.Load() > 2 {
		t.Errorf("total %d, peak %d; want 20, at most 2", total.Load(), peak.Load())
	}
}
