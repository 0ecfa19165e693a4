package linalg

import (
	"math"
	"math/rand/v2"
	"testing"
)

// lstmCellRef is the unfused float32 path the models package runs without
// LSTMCell: a Go loop for the input, Sigmoid and Tanh calls, Go loops for
// c and h.
func lstmCellRef(g, bias, w []float32, x float32, cp, c, tc, h []float32) {
	n := len(h)
	for j := range g[:4*n] {
		if w != nil {
			g[j] += bias[j] + x*w[j]
		} else {
			g[j] += bias[j]
		}
	}
	Sigmoid(g[:2*n], g[:2*n])
	Tanh(g[2*n:3*n], g[2*n:3*n])
	Sigmoid(g[3*n:4*n], g[3*n:4*n])
	for j := range c[:n] {
		c[j] = g[n+j]*cp[j] + g[j]*g[2*n+j]
	}
	Tanh(tc[:n], c[:n])
	for j := range h {
		h[j] = g[3*n+j] * tc[j]
	}
}

func rand32(r *rand.Rand, n int, scale float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64() * scale)
	}
	return s
}

func same32(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d] = %g, want %g (bit for bit)", what, i, got[i], want[i])
		}
	}
}

func TestLSTMCellMatchesLoops(t *testing.T) {
	if !fastKernel {
		t.Skip("no AVX2/FMA here: LSTMCell always reports false")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{8, 16, 24, 64, 128} {
		for _, input := range []bool{false, true} {
			for _, scale := range []float64{0.5, 4, 60} { // saturating gates too
				g := rand32(r, 4*n, scale)
				bias, cp := rand32(r, 4*n, scale), rand32(r, n, scale)
				var w []float32
				if input {
					w = rand32(r, 4*n, scale)
				}
				x := float32(r.NormFloat64())
				g2 := append([]float32(nil), g...)
				c, tc, h := make([]float32, n), make([]float32, n), make([]float32, n)
				c2, tc2, h2 := make([]float32, n), make([]float32, n), make([]float32, n)
				if !LSTMCell(g, bias, w, x, cp, c, tc, h) {
					t.Fatalf("n=%d: LSTMCell did not run", n)
				}
				lstmCellRef(g2, bias, w, x, cp, c2, tc2, h2)
				same32(t, "gates", g, g2)
				same32(t, "c", c, c2)
				same32(t, "tanh(c)", tc, tc2)
				same32(t, "h", h, h2)
			}
		}
	}
}

func TestRNNCellMatchesLoops(t *testing.T) {
	if !fastKernel {
		t.Skip("no AVX2/FMA here: RNNCell always reports false")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{8, 32, 256} {
		for _, input := range []bool{false, true} {
			pre, bias := rand32(r, n, 3), rand32(r, n, 3)
			var w []float32
			if input {
				w = rand32(r, n, 3)
			}
			x := float32(r.NormFloat64())
			want := append([]float32(nil), pre...)
			for j := range want {
				if w != nil {
					want[j] += bias[j] + x*w[j]
				} else {
					want[j] += bias[j]
				}
			}
			Tanh(want, want)
			h := make([]float32, n)
			if !RNNCell(pre, bias, w, x, h) {
				t.Fatalf("n=%d: RNNCell did not run", n)
			}
			same32(t, "pre", pre, want)
			same32(t, "h", h, want)
		}
	}
}

func TestCellFallback(t *testing.T) {
	g := make([]float32, 4*12)
	s := make([]float32, 12)
	if LSTMCell(g, g, nil, 1, s, s, s, s) || RNNCell(s, s, nil, 1, s) {
		t.Error("a hidden size of 12 (not a multiple of 8) ran the kernel")
	}
	g64 := make([]float64, 4*8)
	s64 := make([]float64, 8)
	if LSTMCell(g64, g64, nil, 1, s64, s64, s64, s64) || RNNCell(s64, s64, nil, 1, s64) {
		t.Error("float64 ran the float32 kernel")
	}
}
