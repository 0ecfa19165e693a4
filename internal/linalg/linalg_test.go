package linalg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// goKernel is the micro-kernel in plain Go: the specification kernAVX2 must
// meet, and a way to test the blocking, packing and threading on any CPU.
func goKernel(k int, a, b, c *float64, ldc int, alpha, beta float64, loadC, nv int) {
	as := unsafe.Slice(a, k*mr)
	bs := unsafe.Slice(b, k*nr)
	w := 4 * nv
	cs := unsafe.Slice(c, (mr-1)*ldc+w)
	var acc [mr * nr]float64
	for p := 0; p < k; p++ {
		for i := 0; i < mr; i++ {
			for j := 0; j < w; j++ {
				acc[i*nr+j] += as[p*mr+i] * bs[p*nr+j]
			}
		}
	}
	for i := 0; i < mr; i++ {
		for j := 0; j < w; j++ {
			v := alpha * acc[i*nr+j]
			if loadC != 0 {
				v += beta * cs[i*ldc+j]
			}
			cs[i*ldc+j] = v
		}
	}
}

// gemmFunc is one way of computing Gemm.
type gemmFunc func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)

// paths lists every code path that must agree with gonum: the public entry
// point, the blocked driver with the Go kernel, and, where the CPU has it,
// the blocked driver with the assembly kernel (bypassing the size cut-off).
func paths() map[string]gemmFunc {
	p := map[string]gemmFunc{
		"Gemm": Gemm[float64],
		"goKernel": func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
			gemmDirect(goKernel, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
	}
	p["packed"] = func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
		var pb PackedB[float64]
		pb.Pack(tB, k, n, b, ldb)
		if gk, gn := pb.Dims(); gk != k || gn != n {
			panic(fmt.Sprintf("PackedB.Dims() = %d, %d; want %d, %d", gk, gn, k, n))
		}
		GemmPacked(tA, m, alpha, a, lda, &pb, beta, c, ldc)
	}
	p["packedSerial"] = func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
		var pb PackedB[float64]
		pb.Pack(tB, k, n, b, ldb)
		GemmPackedSerial(tA, m, alpha, a, lda, &pb, beta, c, ldc)
	}
	if fastKernel {
		p["asm"] = func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
			gemmDirect(kernAVX2, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		}
	}
	return p
}

// gemmDirect is Gemm with the cut-off to the portable path removed.
func gemmDirect(kern kernel[float64], tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
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

type gemmCase struct {
	tA, tB        bool
	m, n, k       int
	alpha, beta   float64
	lda, ldb, ldc int // extra columns beyond the stored row
}

func (g gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,alpha=%g,beta=%g,pad=%d/%d/%d",
		g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.beta, g.lda, g.ldb, g.ldc)
}

// operands builds random A, B and C for g with leading dimensions padded by
// g.lda etc; the padding holds a sentinel that no path may touch in C.
func (g gemmCase) operands(rng *rand.Rand) (a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	ra, ca := g.m, g.k
	if g.tA {
		ra, ca = g.k, g.m
	}
	rb, cb := g.k, g.n
	if g.tB {
		rb, cb = g.n, g.k
	}
	lda, ldb, ldc = max(1, ca)+g.lda, max(1, cb)+g.ldb, max(1, g.n)+g.ldc
	fill := func(r, ld int) []float64 {
		s := make([]float64, r*ld)
		for i := range s {
			s[i] = rng.NormFloat64()
		}
		return s
	}
	a, b, c = fill(ra, lda), fill(rb, ldb), fill(g.m, ldc)
	for i := 0; i < g.m; i++ {
		for j := g.n; j < ldc; j++ {
			c[i*ldc+j] = sentinel
		}
		if g.beta == 0 {
			for j := 0; j < g.n; j++ {
				c[i*ldc+j] = math.NaN() // beta = 0 must overwrite, not scale
			}
		}
	}
	return a, lda, b, ldb, c, ldc
}

const sentinel = -12345.678

// check compares got with gonum's result on the same operands, element by
// element, to 1e-12 of the magnitude sum |alpha|·Σ|a||b| + |beta·c| that
// bounds any summation order's rounding error.
func check(t *testing.T, name string, g gemmCase, f gemmFunc, rng *rand.Rand) {
	t.Helper()
	a, lda, b, ldb, c0, ldc := g.operands(rng)
	want := append([]float64(nil), c0...)
	portable.Dgemm(trans(g.tA), trans(g.tB), g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, want, ldc)
	got := append([]float64(nil), c0...)
	f(g.tA, g.tB, g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, got, ldc)
	at := func(i, p int) float64 {
		if g.tA {
			return a[p*lda+i]
		}
		return a[i*lda+p]
	}
	bt := func(p, j int) float64 {
		if g.tB {
			return b[j*ldb+p]
		}
		return b[p*ldb+j]
	}
	bad := 0
	for i := 0; i < g.m; i++ {
		for j := 0; j < ldc; j++ {
			w, v := want[i*ldc+j], got[i*ldc+j]
			if j >= g.n {
				if v != sentinel {
					t.Errorf("%s(%v): C[%d,%d] outside the matrix changed to %g", name, g, i, j, v)
					bad++
				}
				continue
			}
			var mag float64
			for p := 0; p < g.k; p++ {
				mag += math.Abs(at(i, p) * bt(p, j))
			}
			mag *= math.Abs(g.alpha)
			if g.beta != 0 {
				mag += math.Abs(g.beta * c0[i*ldc+j])
			}
			if math.IsNaN(v) || math.Abs(v-w) > 1e-12*mag+1e-300 {
				t.Errorf("%s(%v): C[%d,%d] = %.17g; want %.17g", name, g, i, j, v, w)
				bad++
			}
			if bad > 5 {
				t.FailNow()
			}
		}
	}
}

// splitAll makes every product large enough to split over goroutines,
// with two threads, and returns the function that undoes it.
func splitAll() func() {
	prevVol, prevThreads := parMinVolume, SetThreads(2)
	parMinVolume = 0
	return func() {
		parMinVolume = prevVol
		SetThreads(prevThreads)
	}
}

func TestGemmEdgeSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	sizes := []int{0, 1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 16, 17}
	for name, f := range paths() {
		t.Run(name, func(t *testing.T) {
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					for _, m := range sizes {
						for _, n := range sizes {
							for _, k := range sizes {
								g := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: 1.5, beta: 0.5,
									lda: rng.IntN(3), ldb: rng.IntN(3), ldc: rng.IntN(3)}
								switch rng.IntN(4) {
								case 0:
									g.beta = 0
								case 1:
									g.alpha, g.beta = -1, 1
								}
								check(t, name, g, f, rng)
							}
						}
					}
				}
			}
		})
	}
}

func TestGemmAlphaBeta(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for name, f := range paths() {
		for _, alpha := range []float64{0, 1, -1, 0.37} {
			for _, beta := range []float64{0, 1, -1, 2.5} {
				g := gemmCase{m: 9, n: 27, k: 33, alpha: alpha, beta: beta, ldc: 3, lda: 1}
				t.Run(fmt.Sprintf("%s/alpha=%g/beta=%g", name, alpha, beta), func(t *testing.T) {
					check(t, name, g, f, rng)
				})
			}
		}
	}
}

// TestGemmRandom draws shapes that cross the cache blocks and the
// threading split, with every transpose and padded leading dimensions.
func TestGemmRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	defer splitAll()()
	n := 60
	if testing.Short() {
		n = 15
	}
	for name, f := range paths() {
		t.Run(name, func(t *testing.T) {
			for range n {
				size := func() int {
					if rng.IntN(3) == 0 {
						return 1 + rng.IntN(300)
					}
					return 1 + rng.IntN(40)
				}
				g := gemmCase{tA: rng.IntN(2) == 0, tB: rng.IntN(2) == 0, m: size(), n: size(), k: size(),
					alpha: rng.NormFloat64(), beta: rng.NormFloat64(),
					lda: rng.IntN(5), ldb: rng.IntN(5), ldc: rng.IntN(5)}
				if rng.IntN(4) == 0 {
					g.beta = 0
				}
				check(t, name, g, f, rng)
			}
		})
	}
}

// TestGemmBlocks covers products larger than one cache block in every
// dimension, serially and split over two goroutines by rows and by columns.
func TestGemmBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	defer splitAll()()
	cases := []gemmCase{
		{m: mcBlock + 3, n: ncBlock + 5, k: kcBlock + 7, alpha: 1, beta: 0.5, ldc: 1},
		{tA: true, tB: true, m: mcBlock*2 + 1, n: 29, k: 2*kcBlock + 1, alpha: -0.5, beta: 0, lda: 2},
		{tA: true, m: 37, n: 301, k: 97, alpha: 2, beta: 1, ldb: 1},  // split by columns
		{tB: true, m: 301, n: 37, k: 97, alpha: 2, beta: -1, ldc: 2}, // split by rows
	}
	for _, th := range []int{1, 2, 3} {
		prev := SetThreads(th)
		for name, f := range paths() {
			for _, g := range cases {
				t.Run(fmt.Sprintf("threads=%d/%s/%v", th, name, g), func(t *testing.T) {
					check(t, name, g, f, rng)
				})
			}
		}
		SetThreads(prev)
	}
}

func TestGemmConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	g := gemmCase{m: 64, n: 200, k: 128, alpha: 1, beta: 0}
	a, lda, b, ldb, c0, ldc := g.operands(rng)
	want := append([]float64(nil), c0...)
	portable.Dgemm(trans(g.tA), trans(g.tB), g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, want, ldc)
	errs := make(chan string, 4)
	for range 4 {
		go func() {
			c := make([]float64, len(c0))
			for range 20 {
				Gemm(false, false, g.m, g.n, g.k, 1, a, lda, b, ldb, 0, c, ldc)
				for i := range c {
					if math.Abs(c[i]-want[i]) > 1e-10 {
						errs <- fmt.Sprintf("C[%d] = %g; want %g", i, c[i], want[i])
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

func TestGemmAllocs(t *testing.T) {
	if !fastKernel {
		t.Skip("portable path: gonum's Dgemm allocates for its goroutines")
	}
	rng := rand.New(rand.NewPCG(6, 6))
	for _, th := range []int{1, 2} {
		for _, g := range []gemmCase{
			{m: 64, n: 128, k: 32, alpha: 1, beta: 1},
			{tA: true, m: 64, n: 256, k: 512, alpha: 1, beta: 0},
			{tB: true, m: 64, n: 64, k: 256, alpha: 1, beta: 1},
			{tA: true, m: 256, n: 1, k: 512, alpha: 1, beta: 1}, // matrix-vector
			{m: 1, n: 256, k: 512, alpha: 1, beta: 0},
		} {
			prev := SetThreads(th)
			a, lda, b, ldb, c, ldc := g.operands(rng)
			allocs := testing.AllocsPerRun(20, func() {
				Gemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, c, ldc)
			})
			SetThreads(prev)
			if allocs != 0 {
				t.Errorf("threads=%d Gemm(%v) allocates %g times per call; want 0", th, g, allocs)
			}
		}
	}
}

func TestGemmPackedAllocs(t *testing.T) {
	if !fastKernel {
		t.Skip("portable path: gonum's Dgemm allocates for its goroutines")
	}
	rng := rand.New(rand.NewPCG(8, 8))
	for _, th := range []int{1, 2} {
		g := gemmCase{tB: true, m: 64, n: 512, k: 128, alpha: 1, beta: 1}
		prev := SetThreads(th)
		a, lda, b, ldb, c, ldc := g.operands(rng)
		var pb PackedB[float64]
		pb.Pack(g.tB, g.k, g.n, b, ldb)
		allocs := testing.AllocsPerRun(20, func() {
			pb.Pack(g.tB, g.k, g.n, b, ldb)
			GemmPacked(g.tA, g.m, g.alpha, a, lda, &pb, g.beta, c, ldc)
		})
		SetThreads(prev)
		if allocs != 0 {
			t.Errorf("threads=%d Pack and GemmPacked(%v) allocate %g times per call; want 0", th, g, allocs)
		}
	}
}

func TestGemmPanics(t *testing.T) {
	s := make([]float64, 100)
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"negative m", func() { Gemm(false, false, -1, 2, 2, 1, s, 2, s, 2, 0, s, 2) }, "negative"},
		{"short lda", func() { Gemm(false, false, 3, 4, 5, 1, s, 4, s, 4, 0, s, 4) }, "leading dimension of a"},
		{"short ldb transposed", func() { Gemm(false, true, 3, 4, 5, 1, s, 5, s, 4, 0, s, 4) }, "leading dimension of b"},
		{"short ldc", func() { Gemm(false, false, 3, 4, 5, 1, s, 5, s, 4, 0, s, 3) }, "leading dimension of c"},
		{"short c", func() { Gemm(false, false, 3, 4, 5, 1, s, 5, s, 4, 0, s[:9], 4) }, "c has 9 elements"},
		{"short a", func() { Gemm(true, false, 3, 4, 5, 1, s[:14], 3, s, 4, 0, s, 4) }, "a has 14 elements"},
		{"short packed b", func() { new(PackedB[float64]).Pack(true, 5, 4, s[:18], 5) }, "b has 18 elements"},
		{"packed short c", func() {
			var p PackedB[float64]
			p.Pack(false, 5, 4, s, 4)
			GemmPacked(false, 3, 1, s, 5, &p, 0, s[:11], 4)
		}, "c has 11 elements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.HasPrefix(msg, "linalg: ") || !strings.Contains(msg, tt.want) {
					t.Errorf("panic %v; want a linalg: panic mentioning %q", r, tt.want)
				}
			}()
			tt.f()
		})
	}
}

func TestSetThreads(t *testing.T) {
	prev := SetThreads(3)
	defer SetThreads(prev)
	if got := Threads(); got != 3 {
		t.Errorf("Threads() = %d after SetThreads(3); want 3", got)
	}
	if got := SetThreads(0); got != 3 {
		t.Errorf("SetThreads(0) = %d; want the previous 3", got)
	}
	if got := Threads(); got < 1 {
		t.Errorf("Threads() = %d after SetThreads(0); want GOMAXPROCS ≥ 1", got)
	}
}

// TestKernel checks the run-time CPU detection against the kernel's own
// view of the CPU on Linux.
func TestKernel(t *testing.T) {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil || runtime.GOARCH != "amd64" {
		t.Skip("needs /proc/cpuinfo on amd64")
	}
	var flags []string
	for _, line := range strings.Split(string(info), "\n") {
		if strings.HasPrefix(line, "flags") {
			flags = strings.Fields(line)
			break
		}
	}
	has := func(f string) bool { return slices.Contains(flags, f) }
	want := "portable"
	if kernelName != "portable" && has("avx2") && has("fma") {
		want = "avx2-fma"
	}
	if got := Kernel(); got != want {
		t.Errorf("Kernel() = %q with CPU flags avx2=%v fma=%v; want %q", got, has("avx2"), has("fma"), want)
	}
}

// TestGemmPackedRowsIndependent: a row of C from GemmPacked does not depend
// on how many other rows are computed with it, nor on the thread count, bit
// for bit. The recurrent layers rely on it: a batch split across goroutines
// and a sequence run one step at a time give the same numbers.
func TestGemmPackedRowsIndependent(t *testing.T) {
	defer func(v int) { parMinVolume = v }(parMinVolume)
	parMinVolume = 1
	rng := rand.New(rand.NewPCG(3, 3))
	for _, s := range []struct{ m, n, k int }{{37, 29, 300}, {8, 1024, 256}, {64, 12, 1}, {5, 7, 3}} {
		a, b := make([]float64, s.m*s.k), make([]float64, s.n*s.k)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		var pb PackedB[float64]
		pb.Pack(true, s.k, s.n, b, s.k)
		all := make([]float64, s.m*s.n)
		GemmPacked(false, s.m, 1, a, s.k, &pb, 0, all, s.n)
		for _, split := range []int{1, 3, s.m - 1} {
			if split <= 0 || split >= s.m {
				continue
			}
			part := make([]float64, s.m*s.n)
			GemmPackedSerial(false, split, 1, a, s.k, &pb, 0, part, s.n)
			GemmPacked(false, s.m-split, 1, a[split*s.k:], s.k, &pb, 0, part[split*s.n:], s.n)
			for i := range all {
				if math.Float64bits(all[i]) != math.Float64bits(part[i]) {
					t.Fatalf("m=%d n=%d k=%d split at row %d: element %d = %v; want %v as in one call", s.m, s.n, s.k, split, i, part[i], all[i])
				}
			}
		}
	}
}
