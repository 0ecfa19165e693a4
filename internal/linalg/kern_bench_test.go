package linalg

import "testing"

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
