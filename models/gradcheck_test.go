package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(rng *rand.Rand, n int, scale float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = scale * rng.NormFloat64()
	}
	return s
}

// randomState returns a state of B rows for n with every hidden (and cell)
// value drawn from N(0, scale²).
func randomState(n *Network, rng *rand.Rand, B int, scale float64) *State {
	s := n.NewState(B)
	copy(s.H, randSlice(rng, len(s.H), scale))
	if s.C != nil {
		copy(s.C, randSlice(rng, len(s.C), scale))
	}
	return s
}

// relErr is ‖a−b‖ / max(‖a‖, ‖b‖, 1e-12) over whole tensors.
func relErr(a, b []float64) float64 {
	var d, na, nb float64
	for i := range a {
		d += (a[i] - b[i]) * (a[i] - b[i])
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	return math.Sqrt(d) / math.Max(math.Max(math.Sqrt(na), math.Sqrt(nb)), 1e-12)
}

// numGrad returns central differences of f with respect to every element of v.
func numGrad(v []float64, f func() float64) []float64 {
	const h = 1e-6
	g := make([]float64, len(v))
	for i := range v {
		old := v[i]
		v[i] = old + h
		fp := f()
		v[i] = old - h
		fm := f()
		v[i] = old
		g[i] = (fp - fm) / (2 * h)
	}
	return g
}

const gradTol = 1e-6

func TestGradCheckNetwork(t *testing.T) {
	type tc struct {
		cell     Cell
		layers   int
		perStep  bool
		truncate int
		resets   bool
	}
	var cases []tc
	for _, c := range []Cell{RNN, LSTM, GRU} {
		cases = append(cases,
			tc{c, 1, false, 0, false}, tc{c, 2, false, 0, false}, tc{c, 2, true, 0, false},
			tc{c, 1, true, 3, false}, tc{c, 2, true, 0, true})
	}
	for _, c := range cases {
		for _, I := range []int{1, 3} { // In = 1 has its own element-wise code
			name := fmt.Sprintf("%v/L%d/perstep=%v/trunc=%d/resets=%v/in=%d", c.cell, c.layers, c.perStep, c.truncate, c.resets, I)
			t.Run(name, func(t *testing.T) {
				const H, T, B, O = 5, 6, 3, 2
				rng := rand.New(rand.NewPCG(7, 7))
				n, err := New(Config{Cell: c.cell, Input: I, Hidden: H, Layers: c.layers, Output: O,
					PerStep: c.perStep, Truncate: c.truncate, Seed: 3, TorchInit: true})
				if err != nil {
					t.Fatal(err)
				}
				// Larger weights than the default so that gradients through
				// many steps are not negligible.
				for _, p := range n.Params() {
					for i := range p.W {
						p.W[i] *= 2
					}
				}
				x := randSlice(rng, T*B*I, 1)
				s0 := randomState(n, rng, B, 0.5)
				n.SetState(s0)
				if c.resets {
					n.ResetAt(2, 1)
					n.ResetAt(4, 0)
					n.ResetAt(4, 2)
				}
				rows := B
				if c.perStep {
					rows = T * B
				}
				y := randSlice(rng, rows*O, 1)
				dOut := make([]float64, rows*O)
				loss := func() float64 { return MSE(n.Forward(x, T, B), y, nil) }

				n.ZeroGrad()
				MSE(n.Forward(x, T, B), y, dOut)
				n.Backward(dOut)
				dx := append([]float64(nil), n.InputGrad()...)
				ds := n.NewState(B)
				n.InitialStateGrad(ds)
				analytic := map[string][]float64{}
				for _, p := range n.Params() {
					analytic[p.Name] = append([]float64(nil), p.G...)
				}

				if c.truncate > 0 {
					// Truncated gradients are not the gradient of the loss;
					// compare with full BPTT from the detached state at T-k.
					checkTruncated(t, n, x, y, T, B, c.truncate, analytic, dx)
					return
				}
				for _, p := range n.Params() {
					num := numGrad(p.W, loss)
					if e := relErr(analytic[p.Name], num); !(e < gradTol) {
						t.Errorf("grad %s: relative error %g; want < %g", p.Name, e, gradTol)
					}
				}
				if e := relErr(dx, numGrad(x, loss)); !(e < gradTol) {
					t.Errorf("grad x: relative error %g; want < %g", e, gradTol)
				}
				if e := relErr(ds.H, numGrad(s0.H, loss)); !(e < gradTol) {
					t.Errorf("grad h0: relative error %g; want < %g", e, gradTol)
				}
				if s0.C != nil {
					if e := relErr(ds.C, numGrad(s0.C, loss)); !(e < gradTol) {
						t.Errorf("grad c0: relative error %g; want < %g", e, gradTol)
					}
				}
			})
		}
	}
}

// checkTruncated verifies truncated BPTT with k steps: dL/dx is exactly
// zero before T-k, and every gradient equals that of full BPTT over the
// last k steps started from the (detached) state at T-k, with the loss
// restricted to those steps.
func checkTruncated(t *testing.T, n *Network, x, y []float64, T, B, k int, analytic map[string][]float64, dx []float64) {
	t.Helper()
	I, O := n.cfg.Input, n.cfg.Output
	for i := 0; i < (T-k)*B*I; i++ {
		if dx[i] != 0 {
			t.Fatalf("truncated dL/dx[%d] (step %d) = %g; want exactly 0", i, i/(B*I), dx[i])
		}
	}
	nonzero := false
	for _, v := range dx[(T-k)*B*I:] {
		nonzero = nonzero || v != 0
	}
	if !nonzero {
		t.Fatal("truncated dL/dx is zero inside the window too")
	}
	s := n.NewState(B)
	n.StateAt(T-k, s)
	// The reference: a fresh Forward over the last k steps from s. The loss
	// of the earlier per-step outputs is constant with respect to all
	// parameters once the window state is detached, except through the
	// head: the head gradient of those rows is kept in the truncated case.
	ref, _ := New(n.cfg)
	for i, p := range ref.Params() {
		copy(p.W, n.Params()[i].W)
	}
	ref.cfg.Truncate = 0
	ref.SetState(s)
	ref.ZeroGrad()
	yk := y[(T-k)*B*O:]
	dOut := make([]float64, len(yk))
	out := ref.Forward(x[(T-k)*B*I:], k, B)
	MSE(out, yk, dOut)
	scale := float64(len(yk)) / float64(len(y)) // the mean runs over all T steps
	for i := range dOut {
		dOut[i] *= scale
	}
	ref.Backward(dOut)
	for _, p := range ref.Params() {
		if p.Name == "head.weight" || p.Name == "head.bias" {
			continue
		}
		if e := relErr(analytic[p.Name], p.G); !(e < 1e-12) {
			t.Errorf("truncated grad %s differs from the windowed reference: relative error %g", p.Name, e)
		}
	}
}

func TestGradCheckLosses(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pred, target := randSlice(rng, 17, 1), randSlice(rng, 17, 1)
	for _, tc := range []struct {
		name string
		f    func(p, y, g []float64) float64
	}{
		{"MSE", MSE[float64]},
		{"MAE", MAE[float64]},
		{"Huber", func(p, y, g []float64) float64 { return Huber(p, y, g, 0.7) }},
		{"Pinball0.9", func(p, y, g []float64) float64 { return Pinball(p, y, g, 0.9) }},
		{"Pinball0.1", func(p, y, g []float64) float64 { return Pinball(p, y, g, 0.1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := make([]float64, len(pred))
			tc.f(pred, target, g)
			num := numGrad(pred, func() float64 { return tc.f(pred, target, nil) })
			if e := relErr(g, num); !(e < gradTol) {
				t.Errorf("%s gradient: relative error %g; want < %g", tc.name, e, gradTol)
			}
		})
	}
}

func TestLossValues(t *testing.T) {
	p, y := []float64{1, 2, 4}, []float64{1, 0, 5}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"MSE", MSE(p, y, nil), (0 + 4 + 1) / 3.0},
		{"MAE", MAE(p, y, nil), (0 + 2 + 1) / 3.0},
		{"Huber1", Huber(p, y, nil, 1), (0 + 1.5 + 0.5) / 3},
		{"Pinball0.9", Pinball(p, y, nil, 0.9), (0 + 0.1*2 + 0.9*1) / 3},
	} {
		if math.Abs(tc.got-tc.want) > 1e-15 {
			t.Errorf("%s(%v, %v) = %g; want %g", tc.name, p, y, tc.got, tc.want)
		}
	}
}
