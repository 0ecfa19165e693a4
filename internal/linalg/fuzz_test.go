package linalg

import (
	"math/rand/v2"
	"testing"
)

// FuzzGemm compares every path with gonum on fuzzed shapes, transposes,
// scalars and padding. `go test -fuzz FuzzGemm ./internal/linalg/` explores;
// plain `go test` runs the seeds.
func FuzzGemm(f *testing.F) {
	f.Add(false, false, uint8(5), uint8(13), uint8(7), 1.0, 0.0, uint8(0), uint64(1))
	f.Add(true, true, uint8(17), uint8(1), uint8(33), -0.5, 2.0, uint8(7), uint64(2))
	f.Add(true, false, uint8(64), uint8(200), uint8(3), 2.0, 1.0, uint8(3), uint64(3))
	f.Add(false, true, uint8(130), uint8(8), uint8(255), 1.0, -1.0, uint8(1), uint64(4))
	f.Fuzz(func(t *testing.T, tA, tB bool, m, n, k uint8, alpha, beta float64, pad uint8, seed uint64) {
		if alpha != alpha || beta != beta || alpha > 1e100 || alpha < -1e100 || beta > 1e100 || beta < -1e100 {
			t.Skip("scalars outside the compared range")
		}
		g := gemmCase{tA: tA, tB: tB, m: int(m), n: int(n), k: int(k), alpha: alpha, beta: beta,
			lda: int(pad & 3), ldb: int(pad >> 2 & 3), ldc: int(pad >> 4 & 3)}
		for name, fn := range paths() {
			check(t, name, g, fn, rand.New(rand.NewPCG(seed, seed)))
		}
	})
}
