package linalg

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The float32 products of a recurrent layer at hidden 256, in the forms
// models/ runs them (see bench_test.go for the float64 ones), on one
// thread: path=fast (Gemm) and path=packed (GemmPacked with op(B) packed
// beforehand, as for the weights reused over the time steps). Metrics:
// GFLOP/s = 2mnk / time and %peak of the float32 FMA peak per core
// (peak32, 117.4 GFLOP/s), over all calls, and best-GFLOP/s and best-%peak
// from the fastest call (on a loaded machine the mean measures the load;
// compare with BenchmarkFMAPeak's best-GFLOP/s, this machine's ceiling).
//
//	go test -run '^$' -bench 'Gemm32' -benchtime 200x -count 5 ./internal/linalg/

// Forward recurrent product per step: h (B×H) · W_hhᵀ (H×4H), B = 64 rows
// (one of the two parts of a 128-row batch) and 128.
func BenchmarkGemm32RecurrentH256B64(b *testing.B)  { benchGemm32(b, false, true, 64, 4*256, 256) }
func BenchmarkGemm32RecurrentH256B128(b *testing.B) { benchGemm32(b, false, true, 128, 4*256, 256) }

// Backward dh per step: dGates (B×4H) · W_hh (4H×H).
func BenchmarkGemm32DhH256B64(b *testing.B) { benchGemm32(b, false, false, 64, 256, 4*256) }

// Weight gradient over a 32-step chunk: dGatesᵀ (4H×32B) · h (32B×H).
func BenchmarkGemm32WeightGradH256B64(b *testing.B) {
	benchGemm32(b, true, false, 4*256, 256, 32*64)
}

// The same four shapes in float64, side by side with the float32 ones:
// %peak is of peak64.
func BenchmarkGemm64RecurrentH256B64(b *testing.B)  { benchGemm64(b, false, true, 64, 4*256, 256) }
func BenchmarkGemm64RecurrentH256B128(b *testing.B) { benchGemm64(b, false, true, 128, 4*256, 256) }
func BenchmarkGemm64DhH256B64(b *testing.B)         { benchGemm64(b, false, false, 64, 256, 4*256) }
func BenchmarkGemm64WeightGradH256B64(b *testing.B) {
	benchGemm64(b, true, false, 4*256, 256, 32*64)
}

func benchGemm32(b *testing.B, tA, tB bool, m, n, k int) {
	g := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: 1, beta: 1}
	a, lda, bb, ldb, c, ldc := g.operands(rand.New(rand.NewPCG(7, 7)))
	clear(c)
	benchGemmT(b, tA, tB, m, n, k, to32(a), lda, to32(bb), ldb, to32(c), ldc, peak32)
}

func benchGemm64(b *testing.B, tA, tB bool, m, n, k int) {
	g := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: 1, beta: 1}
	a, lda, bb, ldb, c, ldc := g.operands(rand.New(rand.NewPCG(7, 7)))
	clear(c)
	benchGemmT(b, tA, tB, m, n, k, a, lda, bb, ldb, c, ldc, peak64)
}

func benchGemmT[T Float](b *testing.B, tA, tB bool, m, n, k int, a []T, lda int, bb []T, ldb int, c []T, ldc int, peak float64) {
	defer SetThreads(SetThreads(1))
	var pb PackedB[T]
	pb.Pack(tB, k, n, bb, ldb)
	run := func(name string, f func()) {
		b.Run("path="+name, func(b *testing.B) {
			b.ReportAllocs()
			f()
			b.ResetTimer()
			best := time.Duration(1 << 62)
			for b.Loop() {
				t0 := time.Now()
				f()
				best = min(best, time.Since(t0))
			}
			flop := 2 * float64(m) * float64(n) * float64(k)
			gf := flop * float64(b.N) / b.Elapsed().Seconds() / 1e9
			b.ReportMetric(gf, "GFLOP/s")
			b.ReportMetric(100*gf/peak, "%peak")
			b.ReportMetric(flop/best.Seconds()/1e9, "best-GFLOP/s")
			b.ReportMetric(100*flop/best.Seconds()/1e9/peak, "best-%peak")
		})
	}
	run("fast", func() { Gemm(tA, tB, m, n, k, 1, a, lda, bb, ldb, 1, c, ldc) })
	run("packed", func() { GemmPacked(tA, m, 1, a, lda, &pb, 1, c, ldc) })
}
