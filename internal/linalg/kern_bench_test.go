package linalg

import (
	"testing"
	"time"
)

func BenchmarkKernelOnly(b *testing.B) {
	if !fastKernel {
		b.Skip("no asm kernel")
	}
	const k = 256
	a := make([]float64, k*mr)
	bb := make([]float64, k*nr)
	c := make([]float64, mr*nr)
	for i := range a {
		a[i] = 1e-3
	}
	for i := range bb {
		bb[i] = 1e-3
	}
	for b.Loop() {
		kernAVX2(k, &a[0], &bb[0], &c[0], nr, 1, 1, 1, nr/4)
	}
	b.ReportMetric(2*k*mr*nr*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// FMA peak per core of the machine of docs/PERFORMANCE.md's first
// measurements (Zen 4, two 256-bit FMA pipes at 3.67 GHz): 2 pipes × 4
// float64 lanes × 2 flops × 3.67e9 = 58.7 GFLOP/s, twice that in float32
// (8 lanes). BenchmarkFMAPeak measures the machine at hand.
const (
	peak64 = 58.7
	peak32 = 117.4
)

// BenchmarkFMAPeak measures this machine's FMA throughput on one core:
// 12 independent register-only FMAs per iteration, no memory traffic.
// Each call is timed on its own (about 10 µs), and best-GFLOP/s is the
// fastest call: on a shared, loaded machine the mean measures the load.
func BenchmarkFMAPeak(b *testing.B) {
	if !fastKernel {
		b.Skip("no asm kernel")
	}
	const n = 1 << 11
	for _, c := range []struct {
		name  string
		lanes int
		f     func(int)
	}{{"float64", 4, fmaPeak}, {"float32", 8, fmaPeaks}} {
		b.Run(c.name, func(b *testing.B) {
			best := time.Duration(1 << 62)
			for b.Loop() {
				t0 := time.Now()
				c.f(n)
				best = min(best, time.Since(t0))
			}
			flop := float64(n) * 12 * float64(c.lanes) * 2
			b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			b.ReportMetric(flop/best.Seconds()/1e9, "best-GFLOP/s")
		})
	}
}

func BenchmarkKernelOnly32(b *testing.B) {
	if !fastKernel {
		b.Skip("no asm kernel")
	}
	const k = 256
	a := make([]float32, k*mr)
	bb := make([]float32, k*nr32)
	c := make([]float32, mr*nr32)
	for i := range a {
		a[i] = 1e-3
	}
	for i := range bb {
		bb[i] = 1e-3
	}
	for b.Loop() {
		kernAVX2s(k, &a[0], &bb[0], &c[0], nr32, 1, 1, 1, nr32/8)
	}
	gf := 2 * k * mr * nr32 * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(gf, "GFLOP/s")
	b.ReportMetric(100*gf/peak32, "%peak")
}
