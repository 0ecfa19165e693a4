package linalg

import (
	"math/rand/v2"
	"testing"
)

// The kernel work of one LSTM training step (full BPTT over T steps, batch
// B, hidden H, input 1), with every product and activation in this package
// and the element-wise arithmetic in plain loops: a floor for models/ to
// compare with PyTorch's step time (shared/bench/README.md: h64/s128/b64
// 47 ms, h256/s128/b128 589 ms at two threads). Not a model: the weights are
// random and no loss is computed.
func BenchmarkLSTMStepKernelsH64B64T128(b *testing.B)   { benchLSTMStep(b, 1, 64, 64, 128) }
func BenchmarkLSTMStepKernelsH256B128T128(b *testing.B) { benchLSTMStep(b, 1, 256, 128, 128) }
func BenchmarkLSTMStepKernels2H64B64T128(b *testing.B)  { benchLSTMStep(b, 2, 64, 64, 128) }
func BenchmarkLSTMStepKernels2H256B128T128(b *testing.B) {
	benchLSTMStep(b, 2, 256, 128, 128)
}

func benchLSTMStep(b *testing.B, threads, H, B, T int) {
	defer SetThreads(SetThreads(threads))
	G := 4 * H
	rng := rand.New(rand.NewPCG(12, 12))
	randn := func(n int, s float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64() * s
		}
		return v
	}
	x := randn(T*B, 1)
	wih, whh, bias := randn(G, 0.1), randn(G*H, 0.1), randn(G, 0.1) // (G, 1), (G, H), (G)
	gates := make([]float64, T*B*G)                                 // activations per step
	hs := make([]float64, (T+1)*B*H)                                // h_0..h_T
	cs := make([]float64, (T+1)*B*H)
	tc := make([]float64, T*B*H) // tanh(c_t)
	dA := make([]float64, T*B*G) // pre-activation gradients
	dh, dc := make([]float64, B*H), make([]float64, B*H)
	dwhh, dwih := make([]float64, G*H), make([]float64, G)
	var wT, w PackedB[float64]
	b.ReportAllocs()
	for b.Loop() {
		// Forward.
		Gemm(false, true, T*B, G, 1, 1, x, 1, wih, 1, 0, gates, G)
		wT.Pack(true, H, G, whh, H)
		for t := 0; t < T; t++ {
			p := gates[t*B*G : (t+1)*B*G]
			GemmPacked(false, B, 1, hs[t*B*H:(t+1)*B*H], H, &wT, 1, p, G)
			for r := 0; r < B; r++ {
				row := p[r*G : (r+1)*G]
				for j := range row {
					row[j] += bias[j]
				}
				Sigmoid(row[:2*H], row[:2*H])
				Tanh(row[2*H:3*H], row[2*H:3*H])
				Sigmoid(row[3*H:], row[3*H:])
				cp := cs[t*B*H+r*H : t*B*H+(r+1)*H]
				c := cs[(t+1)*B*H+r*H : (t+1)*B*H+(r+1)*H]
				for j := range c {
					c[j] = row[H+j]*cp[j] + row[j]*row[2*H+j]
				}
				tcr := tc[t*B*H+r*H : t*B*H+(r+1)*H]
				Tanh(tcr, c)
				h := hs[(t+1)*B*H+r*H : (t+1)*B*H+(r+1)*H]
				for j := range h {
					h[j] = row[3*H+j] * tcr[j]
				}
			}
		}
		// Backward, from a unit gradient on h_T.
		for i := range dh {
			dh[i], dc[i] = 1, 0
		}
		w.Pack(false, G, H, whh, H)
		for t := T - 1; t >= 0; t-- {
			p := gates[t*B*G : (t+1)*B*G]
			d := dA[t*B*G : (t+1)*B*G]
			for r := 0; r < B; r++ {
				for j := 0; j < H; j++ {
					k := r*H + j
					i, f, g, o := p[r*G+j], p[r*G+H+j], p[r*G+2*H+j], p[r*G+3*H+j]
					tv := tc[t*B*H+k]
					dcv := dc[k] + dh[k]*o*(1-tv*tv)
					d[r*G+j] = dcv * g * i * (1 - i)
					d[r*G+H+j] = dcv * cs[t*B*H+k] * f * (1 - f)
					d[r*G+2*H+j] = dcv * i * (1 - g*g)
					d[r*G+3*H+j] = dh[k] * tv * o * (1 - o)
					dc[k] = dcv * f
				}
			}
			GemmPacked(false, B, 1, d, G, &w, 0, dh, H)
		}
		Gemm(true, false, G, H, T*B, 1, dA, G, hs[:T*B*H], H, 0, dwhh, H)
		Gemm(true, false, G, 1, T*B, 1, dA, G, x, 1, 0, dwih, 1)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/step")
}
