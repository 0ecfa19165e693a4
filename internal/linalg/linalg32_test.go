package linalg

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// The float32 path against a float64 reference computed from the same
// float32 operands. The float32 result of any summation order is within
// γ_(k+2) ≈ (k+2)·2⁻²⁴ of the magnitude |alpha|·Σ|a||b| + |beta·c| of the
// exact value (Higham, Accuracy and Stability, §3.5); an indexing or packing
// mistake is off by a whole term, far beyond that.

// goKernel32 is goKernel for float32: the specification kernAVX2s meets.
func goKernel32(k int, a, b, c *float32, ldc int, alpha, beta float32, loadC, nv int) {
	as := unsafe.Slice(a, k*mr)
	bs := unsafe.Slice(b, k*nr32)
	w := 8 * nv
	cs := unsafe.Slice(c, (mr-1)*ldc+w)
	var acc [mr * nr32]float32
	for p := 0; p < k; p++ {
		for i := 0; i < mr; i++ {
			for j := 0; j < w; j++ {
				acc[i*nr32+j] += as[p*mr+i] * bs[p*nr32+j]
			}
		}
	}
	for i := 0; i < mr; i++ {
		for j := 0; j < w; j++ {
			v := alpha * acc[i*nr32+j]
			if loadC != 0 {
				v += beta * cs[i*ldc+j]
			}
			cs[i*ldc+j] = v
		}
	}
}

type gemmFunc32 func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

func gemmDirect32(kern kernel[float32], tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	gemmFast(Threads(), kern, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

func paths32() map[string]gemmFunc32 {
	p := map[string]gemmFunc32{
		"Gemm":     Gemm[float32],
		"portable": portableGemm[float32],
		"goKernel": func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			gemmDirect32(goKernel32, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		"packed": func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			var pb PackedB[float32]
			pb.Pack(tB, k, n, b, ldb)
			GemmPacked(tA, m, alpha, a, lda, &pb, beta, c, ldc)
		},
		"packedSerial": func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			var pb PackedB[float32]
			pb.Pack(tB, k, n, b, ldb)
			GemmPackedSerial(tA, m, alpha, a, lda, &pb, beta, c, ldc)
		},
	}
	if fastKernel {
		p["asm"] = func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			gemmDirect32(kernAVX2s, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		}
	}
	return p
}

func to32(s []float64) []float32 {
	out := make([]float32, len(s))
	for i, v := range s {
		out[i] = float32(v)
	}
	return out
}

// check32 runs f in float32 on g's operands and compares every element of C
// with the float64 product of the same (float32) values.
func check32(t *testing.T, name string, g gemmCase, f gemmFunc32, rng *rand.Rand) {
	t.Helper()
	a64, lda, b64, ldb, c64, ldc := g.operands(rng)
	a, b, c0 := to32(a64), to32(b64), to32(c64)
	alpha, beta := float32(g.alpha), float32(g.beta)
	got := append([]float32(nil), c0...)
	f(g.tA, g.tB, g.m, g.n, g.k, alpha, a, lda, b, ldb, beta, got, ldc)
	at := func(i, p int) float64 {
		if g.tA {
			return float64(a[p*lda+i])
		}
		return float64(a[i*lda+p])
	}
	bt := func(p, j int) float64 {
		if g.tB {
			return float64(b[j*ldb+p])
		}
		return float64(b[p*ldb+j])
	}
	bad := 0
	for i := 0; i < g.m; i++ {
		for j := 0; j < ldc; j++ {
			v := float64(got[i*ldc+j])
			if j >= g.n {
				if v != float64(float32(sentinel)) {
					t.Errorf("%s(%v): C[%d,%d] outside the matrix changed to %g", name, g, i, j, v)
					bad++
				}
				continue
			}
			var s, mag float64
			for p := 0; p < g.k; p++ {
				s += at(i, p) * bt(p, j)
				mag += math.Abs(at(i, p) * bt(p, j))
			}
			want := float64(alpha) * s
			mag *= math.Abs(float64(alpha))
			if beta != 0 {
				want += float64(beta) * float64(c0[i*ldc+j])
				mag += math.Abs(float64(beta) * float64(c0[i*ldc+j]))
			}
			if tol := float64(g.k+2) * 0x1p-24 * mag; math.IsNaN(v) || math.Abs(v-want) > tol+1e-37 {
				t.Errorf("%s(%v): C[%d,%d] = %.9g; want %.9g (tol %.3g)", name, g, i, j, v, want, tol)
				bad++
			}
			if bad > 5 {
				t.FailNow()
			}
		}
	}
}

func TestGemm32EdgeSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 21))
	sizes := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 25, 33}
	for name, f := range paths32() {
		for _, m := range sizes {
			for _, n := range sizes {
				for _, k := range []int{0, 1, 3, 8, 13} {
					for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
						g := gemmCase{tA: tr[0], tB: tr[1], m: m, n: n, k: k, alpha: 1.5, beta: 0.5, lda: 1, ldb: 2, ldc: 3}
						check32(t, name, g, f, rng)
					}
				}
			}
		}
	}
}

func TestGemm32AlphaBeta(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 22))
	for name, f := range paths32() {
		for _, ab := range [][2]float64{{1, 0}, {1, 1}, {-2, 0.25}, {0, 3}, {0, 0}, {0.5, -1}} {
			g := gemmCase{m: 13, n: 29, k: 17, alpha: ab[0], beta: ab[1], ldc: 2}
			check32(t, name, g, f, rng)
		}
	}
}

// TestGemm32Blocks crosses the kc, mc and nc block edges, split over two
// goroutines, in the shapes of a recurrent layer at hidden 256 and beyond.
func TestGemm32Blocks(t *testing.T) {
	defer splitAll()()
	rng := rand.New(rand.NewPCG(23, 23))
	cases := []gemmCase{
		{tB: true, m: 64, n: 4 * 64, k: 64, alpha: 1, beta: 1},                 // recurrent product
		{m: 66, n: 130, k: 4*64 + 3, alpha: 1, beta: 0},                        // dh
		{tA: true, m: 4 * 33, n: 33, k: kcBlock + 37, alpha: 1, beta: 1},       // weight gradient
		{m: mcBlock + 5, n: ncBlock + 29, k: kcBlock + 1, alpha: 1, beta: 0.5}, // every block edge
		{tA: true, tB: true, m: 70, n: 75, k: 2*kcBlock + 3, alpha: -1, beta: 0, ldb: 3},
	}
	if testing.Short() {
		cases = cases[:3]
	}
	for name, f := range paths32() {
		if name == "portable" {
			continue
		}
		for _, g := range cases {
			check32(t, name, g, f, rng)
		}
	}
}

// TestGemm32MatchesFloat64 checks that the float32 and float64 paths compute
// the same product: on operands exact in float32, with sums small enough to
// be exact in both, they agree bit for bit.
func TestGemm32MatchesFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 24))
	const m, n, k = 37, 61, 300
	a64, b64 := make([]float64, m*k), make([]float64, k*n)
	for i := range a64 {
		a64[i] = float64(rng.IntN(17) - 8)
	}
	for i := range b64 {
		b64[i] = float64(rng.IntN(17)-8) / 4
	}
	c64 := make([]float64, m*n)
	c32 := make([]float32, m*n)
	Gemm(false, true, m, n, k, 1, a64, k, b64, k, 0, c64, n)
	Gemm(false, true, m, n, k, 1, to32(a64), k, to32(b64), k, 0, c32, n)
	for i := range c64 {
		if float64(c32[i]) != c64[i] {
			t.Fatalf("C[%d]: float32 %g, float64 %g", i, c32[i], c64[i])
		}
	}
}

func TestGemm32Allocs(t *testing.T) {
	if !fastKernel {
		t.Skip("portable path: gonum's Sgemm allocates for its goroutines")
	}
	rng := rand.New(rand.NewPCG(25, 25))
	for _, th := range []int{1, 2} {
		for _, g := range []gemmCase{
			{m: 64, n: 128, k: 32, alpha: 1, beta: 1},
			{tA: true, m: 1024, n: 256, k: 2048, alpha: 1, beta: 1},
			{tB: true, m: 64, n: 64, k: 256, alpha: 1, beta: 1},
			{tA: true, m: 256, n: 1, k: 512, alpha: 1, beta: 1},
			{m: 1, n: 256, k: 512, alpha: 1, beta: 0},
		} {
			prev := SetThreads(th)
			a64, lda, b64, ldb, c64, ldc := g.operands(rng)
			a, b, c := to32(a64), to32(b64), to32(c64)
			var pb PackedB[float32]
			pb.Pack(g.tB, g.k, g.n, b, ldb)
			allocs := testing.AllocsPerRun(5, func() {
				Gemm(g.tA, g.tB, g.m, g.n, g.k, 1, a, lda, b, ldb, float32(g.beta), c, ldc)
				pb.Pack(g.tB, g.k, g.n, b, ldb)
				GemmPacked(g.tA, g.m, 1, a, lda, &pb, float32(g.beta), c, ldc)
			})
			SetThreads(prev)
			if allocs != 0 {
				t.Errorf("threads=%d float32 Gemm/GemmPacked(%v) allocate %g times per call; want 0", th, g, allocs)
			}
		}
	}
}

func TestActivations32(t *testing.T) {
	x64 := activationInputs()
	x := to32(x64)
	for _, v := range []float32{87, -87, 88, -88, 89, -89, 0.5, -0.5, math.Nextafter32(0.5, 0), math.Nextafter32(0.5, 1), 1e-30, -1e-30, 1e-45} {
		x = append(x, v)
	}
	tests := []struct {
		name string
		f    func(dst, x []float32)
		ref  func(float64) float64
	}{
		{"Sigmoid", Sigmoid[float32], func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }},
		{"Tanh", Tanh[float32], math.Tanh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			worst := 0.0
			for _, n := range []int{0, 1, 3, 7, 8, 9, 15, 17, len(x)} {
				got := make([]float32, n)
				tt.f(got, x[:n])
				inPlace := append([]float32(nil), x[:n]...)
				tt.f(inPlace, inPlace)
				for i, v := range x[:n] {
					want := tt.ref(float64(v))
					g := float64(got[i])
					if math.Float32bits(got[i]) != math.Float32bits(inPlace[i]) {
						t.Fatalf("%s(%g): %g out of place, %g in place", tt.name, v, got[i], inPlace[i])
					}
					switch {
					case math.IsNaN(want) || math.IsNaN(g):
						if !(math.IsNaN(want) && math.IsNaN(g)) {
							t.Fatalf("%s(%g) = %g; want %g", tt.name, v, g, want)
						}
						continue
					case math.Abs(want) < 1e-37:
						if math.Abs(g) > 1e-37 {
							t.Fatalf("%s(%g) = %g; want %g", tt.name, v, g, want)
						}
						continue
					case want == 0 && g == 0:
						if math.Signbit(g) != math.Signbit(want) {
							t.Fatalf("%s(%g) = %g; want %g", tt.name, v, g, want)
						}
						continue
					}
					rel := math.Abs(g-want) / math.Abs(want)
					worst = max(worst, rel)
					if rel > 4e-7 {
						t.Fatalf("%s(%.9g) = %.9g; want %.9g (relative error %.3g)", tt.name, v, g, want, rel)
					}
				}
			}
			t.Logf("%s float32: worst relative error %.3g (%.2f units of 2⁻²⁴)", tt.name, worst, worst/0x1p-24)
		})
	}
}

func TestActivation32Allocs(t *testing.T) {
	x := make([]float32, 1029)
	for i := range x {
		x[i] = float32(i%17) - 8
	}
	if a := testing.AllocsPerRun(10, func() { Sigmoid(x, x); Tanh(x, x) }); a != 0 {
		t.Errorf("float32 activations allocate %g times per call; want 0", a)
	}
}
