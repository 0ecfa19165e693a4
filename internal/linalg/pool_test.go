package linalg

import (
	"testing"
	"time"
)

var sink float64

func spin(d time.Duration) {
	t0 := time.Now()
	for time.Since(t0) < d {
		sink += 1
	}
}

// BenchmarkPoolHandoff measures handing an empty job to a blocked worker
// and waiting for it, after 50 µs of work on the calling goroutine, as between
// the time steps of a recurrent layer.
func BenchmarkPoolHandoff(b *testing.B) {
	ensureWorkers(1)
	ws := newWorkspace[float64]()
	j := &job[float64]{done: ws.done} // m = 0: an empty job
	var total time.Duration
	for b.Loop() {
		spin(50 * time.Microsecond)
		t0 := time.Now()
		jobs <- j
		<-ws.done
		total += time.Since(t0)
	}
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "ns/handoff")
}
