package linalg

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The Gemm shapes of a recurrent layer with G = 4 gates (LSTM), hidden H and
// batch B, row-major, one benchmark line per shape, in the transpose forms
// models/ calls. Each runs sub-benchmarks side by side: path=portable1 and
// path=portable2 (gonum's pure-Go Dgemm with GOMAXPROCS 1 and 2),
// path=fast1 (Gemm on one thread), path=fast2 (Gemm on two threads) and
// path=packed1/packed2 (GemmPacked with op(B) packed beforehand, as for a
// weight matrix reused over time steps), so `benchstat -col /path` compares
// them. Metric: GFLOP/s = 2mnk / time.
//
//	go test -run '^$' -bench . -benchtime 100x -count 5 ./internal/linalg/

// The forms models/ uses, with PyTorch's weight layout W (4H×H):
// forward recurrent product per step, h (B×H) · Wᵀ.
func BenchmarkRecurrentH32B64(b *testing.B)   { benchGemm(b, false, true, 64, 4*32, 32) }
func BenchmarkRecurrentH64B64(b *testing.B)   { benchGemm(b, false, true, 64, 4*64, 64) }
func BenchmarkRecurrentH128B64(b *testing.B)  { benchGemm(b, false, true, 64, 4*128, 128) }
func BenchmarkRecurrentH256B64(b *testing.B)  { benchGemm(b, false, true, 64, 4*256, 256) }
func BenchmarkRecurrentH256B128(b *testing.B) { benchGemm(b, false, true, 128, 4*256, 256) }

// Backward dh per step: dGates (B×4H) · W.
func BenchmarkDhH32B64(b *testing.B)   { benchGemm(b, false, false, 64, 32, 4*32) }
func BenchmarkDhH64B64(b *testing.B)   { benchGemm(b, false, false, 64, 64, 4*64) }
func BenchmarkDhH128B64(b *testing.B)  { benchGemm(b, false, false, 64, 128, 4*128) }
func BenchmarkDhH256B64(b *testing.B)  { benchGemm(b, false, false, 64, 256, 4*256) }
func BenchmarkDhH256B128(b *testing.B) { benchGemm(b, false, false, 128, 256, 4*256) }

// Weight gradient over a 32-step chunk: dGatesᵀ (4H×32B) · h (32B×H).
func BenchmarkWeightGradH32B64(b *testing.B)  { benchGemm(b, true, false, 4*32, 32, 32*64) }
func BenchmarkWeightGradH64B64(b *testing.B)  { benchGemm(b, true, false, 4*64, 64, 32*64) }
func BenchmarkWeightGradH128B64(b *testing.B) { benchGemm(b, true, false, 4*128, 128, 32*64) }
func BenchmarkWeightGradH256B64(b *testing.B) { benchGemm(b, true, false, 4*256, 256, 32*64) }

// The other layout, W (H×4H): h · W forward and dGates · Wᵀ backward.
func BenchmarkRecurrentNoTransH256B64(b *testing.B) { benchGemm(b, false, false, 64, 4*256, 256) }
func BenchmarkDhTransH64B64(b *testing.B)           { benchGemm(b, false, true, 64, 64, 4*64) }
func BenchmarkDhTransH256B64(b *testing.B)          { benchGemm(b, false, true, 64, 256, 4*256) }

// Input projection of a whole sequence: x (128B×In) · Wxᵀ (In×4H).
func BenchmarkInputIn1H64B64(b *testing.B)  { benchGemm(b, false, true, 128*64, 4*64, 1) }
func BenchmarkInputIn8H64B64(b *testing.B)  { benchGemm(b, false, true, 128*64, 4*64, 8) }
func BenchmarkInputIn1H256B64(b *testing.B) { benchGemm(b, false, true, 128*64, 4*256, 1) }

// Input-weight gradient and input gradient of a 32-step chunk with In = 1:
// dGatesᵀ (4H×32B) · x (32B×1) and dGates (32B×4H) · Wx (4H×1).
func BenchmarkInputGradIn1H256B64(b *testing.B) { benchGemm(b, true, false, 4*256, 1, 32*64) }
func BenchmarkDxIn1H256B64(b *testing.B)        { benchGemm(b, false, false, 32*64, 1, 4*256) }

// Head: h (B×H) · Wyᵀ (H×horizon).
func BenchmarkHeadH64B64(b *testing.B)   { benchGemm(b, false, true, 64, 12, 64) }
func BenchmarkHeadH256B128(b *testing.B) { benchGemm(b, false, true, 128, 24, 256) }

func benchGemm(b *testing.B, tA, tB bool, m, n, k int) {
	rng := rand.New(rand.NewPCG(7, 7))
	g := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: 1, beta: 1}
	a, lda, bb, ldb, c, ldc := g.operands(rng)
	for i := range c {
		c[i] = 0
	}
	run := func(name string, threads int, f gemmFunc) {
		b.Run("path="+name, func(b *testing.B) {
			prev := SetThreads(threads)
			defer SetThreads(prev)
			if strings.HasPrefix(name, "portable") {
				// gonum's Dgemm spreads large products over GOMAXPROCS
				// goroutines; bound that to the thread count.
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads))
			}
			b.ReportAllocs()
			f(tA, tB, m, n, k, 1, a, lda, bb, ldb, 1, c, ldc) // warm up
			b.ResetTimer()
			for b.Loop() {
				f(tA, tB, m, n, k, 1, a, lda, bb, ldb, 1, c, ldc)
			}
			b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
	portable := func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
		portable.Dgemm(trans(tA), trans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
	run("portable1", 1, portable)
	run("portable2", 2, portable)
	run("fast1", 1, Gemm[float64])
	run("fast2", 2, Gemm[float64])
	var pb PackedB[float64]
	pb.Pack(tB, k, n, bb, ldb)
	packed := func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
		GemmPacked(tA, m, alpha, a, lda, &pb, beta, c, ldc)
	}
	run("packed1", 1, packed)
	run("packed2", 2, packed)
}

// Speed-ups measured by alternating the paths call by call in one loop, so
// all see the same machine load (the shared machine is rarely quiet), with
// one thread each (gonum at GOMAXPROCS 1) or two (Speedup2: SetThreads(2),
// gonum at GOMAXPROCS 2). Metrics: GFLOP/s of each path and the ratios to
// gonum's.
func BenchmarkSpeedupRecurrentH64B64(b *testing.B)  { benchSpeedup(b, 1, false, true, 64, 4*64, 64) }
func BenchmarkSpeedupRecurrentH256B64(b *testing.B) { benchSpeedup(b, 1, false, true, 64, 4*256, 256) }
func BenchmarkSpeedupRecurrentH256B128(b *testing.B) {
	benchSpeedup(b, 1, false, true, 128, 4*256, 256)
}
func BenchmarkSpeedupDhH64B64(b *testing.B)         { benchSpeedup(b, 1, false, false, 64, 64, 4*64) }
func BenchmarkSpeedupDhH256B64(b *testing.B)        { benchSpeedup(b, 1, false, false, 64, 256, 4*256) }
func BenchmarkSpeedupWeightGradH64B64(b *testing.B) { benchSpeedup(b, 1, true, false, 4*64, 64, 32*64) }
func BenchmarkSpeedupWeightGradH256B64(b *testing.B) {
	benchSpeedup(b, 1, true, false, 4*256, 256, 32*64)
}

func BenchmarkSpeedup2RecurrentH128B64(b *testing.B) { benchSpeedup(b, 2, false, true, 64, 4*128, 128) }
func BenchmarkSpeedup2RecurrentH256B64(b *testing.B) { benchSpeedup(b, 2, false, true, 64, 4*256, 256) }
func BenchmarkSpeedup2RecurrentH256B128(b *testing.B) {
	benchSpeedup(b, 2, false, true, 128, 4*256, 256)
}
func BenchmarkSpeedup2DhH256B64(b *testing.B) { benchSpeedup(b, 2, false, false, 64, 256, 4*256) }
func BenchmarkSpeedup2WeightGradH256B64(b *testing.B) {
	benchSpeedup(b, 2, true, false, 4*256, 256, 32*64)
}

func benchSpeedup(b *testing.B, threads int, tA, tB bool, m, n, k int) {
	rng := rand.New(rand.NewPCG(11, 11))
	g := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: 1, beta: 1}
	a, lda, bb, ldb, c, ldc := g.operands(rng)
	clear(c)
	defer SetThreads(SetThreads(threads))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads))
	var pb PackedB[float64]
	pb.Pack(tB, k, n, bb, ldb)
	var tp, tf, tk time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		portable.Dgemm(trans(tA), trans(tB), m, n, k, 1, a, lda, bb, ldb, 1, c, ldc)
		t1 := time.Now()
		Gemm(tA, tB, m, n, k, 1, a, lda, bb, ldb, 1, c, ldc)
		t2 := time.Now()
		GemmPacked(tA, m, 1, a, lda, &pb, 1, c, ldc)
		t3 := time.Now()
		tp, tf, tk = tp+t1.Sub(t0), tf+t2.Sub(t1), tk+t3.Sub(t2)
	}
	flop := 2 * float64(m) * float64(n) * float64(k) * float64(b.N) / 1e9
	b.ReportMetric(flop/tp.Seconds(), "portable-GFLOP/s")
	b.ReportMetric(flop/tf.Seconds(), "fast-GFLOP/s")
	b.ReportMetric(flop/tk.Seconds(), "packed-GFLOP/s")
	b.ReportMetric(tp.Seconds()/tf.Seconds(), "fast-speedup")
	b.ReportMetric(tp.Seconds()/tk.Seconds(), "packed-speedup")
}
