package models

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no input", Config{Hidden: 2}, "Input"},
		{"no hidden", Config{Input: 1}, "Hidden"},
		{"bad cell", Config{Cell: 7, Input: 1, Hidden: 2}, "Cell"},
		{"negative layers", Config{Input: 1, Hidden: 2, Layers: -1}, "negative"},
		{"nan forget bias", Config{Input: 1, Hidden: 2, ForgetBias: math.NaN()}, "ForgetBias"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New(%+v) error = %v; want one mentioning %q", tc.cfg, err, tc.want)
			}
		})
	}
	if _, err := ParseCell("LSTM"); err != nil {
		t.Errorf("ParseCell(LSTM) = %v", err)
	}
	if _, err := ParseCell("tcn"); err == nil {
		t.Error("ParseCell(tcn) = nil error; want an error")
	}
}

func TestInit(t *testing.T) {
	const H = 16
	k := 1 / math.Sqrt(H)
	t.Run("uniform range and forget bias", func(t *testing.T) {
		n, _ := New(Config{Input: 3, Hidden: H, Layers: 2, Seed: 4})
		for _, p := range n.Params() {
			for i, v := range p.W {
				isForget := strings.HasPrefix(p.Name, "bias_") && i >= H && i < 2*H
				switch {
				case isForget && strings.HasPrefix(p.Name, "bias_ih"):
					if v != 1 {
						t.Fatalf("%s[%d] = %g; want forget bias 1", p.Name, i, v)
					}
				case isForget:
					if v != 0 {
						t.Fatalf("%s[%d] = %g; want 0", p.Name, i, v)
					}
				case math.Abs(v) > k:
					t.Fatalf("%s[%d] = %g outside ±%g", p.Name, i, v, k)
				}
			}
		}
	})
	t.Run("explicit zero and custom forget bias", func(t *testing.T) {
		z, _ := New(Config{Input: 1, Hidden: H, NoForgetBias: true})
		c, _ := New(Config{Input: 1, Hidden: H, ForgetBias: 2.5})
		if v := z.Param("bias_ih_l0").W[H]; v != 0 {
			t.Errorf("NoForgetBias: forget bias = %g; want 0", v)
		}
		if v := c.Param("bias_ih_l0").W[H]; v != 2.5 {
			t.Errorf("ForgetBias 2.5: forget bias = %g; want 2.5", v)
		}
	})
	t.Run("orthogonal", func(t *testing.T) {
		n, _ := New(Config{Cell: GRU, Input: 1, Hidden: H, Orthogonal: true, Seed: 9})
		w := n.Param("weight_hh_l0").W
		for g := 0; g < 3; g++ {
			m := w[g*H*H : (g+1)*H*H]
			for i := 0; i < H; i++ {
				for j := 0; j < H; j++ {
					d := 0.0
					for k := 0; k < H; k++ {
						d += m[i*H+k] * m[j*H+k]
					}
					want := 0.0
					if i == j {
						want = 1
					}
					if math.Abs(d-want) > 1e-12 {
						t.Fatalf("gate %d: (W Wᵀ)[%d][%d] = %g; want %g", g, i, j, d, want)
					}
				}
			}
		}
	})
	t.Run("chrono", func(t *testing.T) {
		const tmax = 100
		c, err := New(Config{Input: 2, Hidden: H, Layers: 2, Chrono: tmax, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := New(Config{Input: 2, Hidden: H, Layers: 2, Seed: 3})
		lo, hi := math.Inf(1), math.Inf(-1)
		for pi, p := range c.Params() {
			for i, v := range p.W {
				gate := strings.HasPrefix(p.Name, "bias_") && i < 2*H // input and forget blocks
				switch {
				case !gate:
					if v != plain.Params()[pi].W[i] {
						t.Fatalf("%s[%d] = %g; want %g as without Chrono", p.Name, i, v, plain.Params()[pi].W[i])
					}
				case strings.HasPrefix(p.Name, "bias_hh"):
					if v != 0 {
						t.Fatalf("%s[%d] = %g; want 0", p.Name, i, v)
					}
				case i >= H: // forget bias log(u), u in [1, tmax-1]
					if in := p.W[i-H]; in != -v {
						t.Fatalf("%s: input bias %g; want minus the forget bias %g", p.Name, in, v)
					}
					lo, hi = min(lo, v), max(hi, v)
				}
			}
		}
		if lo < 0 || hi > math.Log(tmax-1) || hi-lo < 0.5*math.Log(tmax-1) {
			t.Errorf("forget biases span [%g, %g]; want a spread within [0, log %d]", lo, hi, tmax-1)
		}
		g, _ := New(Config{Cell: GRU, Input: 2, Hidden: H, Chrono: tmax, Seed: 3})
		gp, _ := New(Config{Cell: GRU, Input: 2, Hidden: H, Seed: 3})
		for pi, p := range g.Params() {
			if maxDiff(p.W, gp.Params()[pi].W) != 0 {
				t.Errorf("GRU %s changed by Chrono", p.Name)
			}
		}
		if _, err := New(Config{Input: 1, Hidden: 2, Chrono: -1}); err == nil {
			t.Error("Chrono -1: no error")
		}
	})
	t.Run("seeded", func(t *testing.T) {
		a, _ := New(Config{Input: 2, Hidden: 5, Seed: 1})
		b, _ := New(Config{Input: 2, Hidden: 5, Seed: 1})
		c, _ := New(Config{Input: 2, Hidden: 5, Seed: 2})
		if maxDiff(a.Params()[0].W, b.Params()[0].W) != 0 {
			t.Error("same seed gave different weights")
		}
		if maxDiff(a.Params()[0].W, c.Params()[0].W) == 0 {
			t.Error("different seeds gave the same weights")
		}
	})
}

// TestDeterministicTraining: same seed and data → bit-identical weights.
func TestDeterministicTraining(t *testing.T) {
	train := func() []float64 {
		tr, err := NewTrainer(BenchConfig{Model: "lstm", Input: 2, Hidden: 6, Seq: 7, Batch: 5, Horizon: 3, Seed: 42})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 10; i++ {
			tr.Step()
		}
		var w []float64
		for _, p := range tr.Net.Params() {
			w = append(w, p.W...)
		}
		return w
	}
	a, b := train(), train()
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("weight %d differs between identical runs: %v vs %v", i, a[i], b[i])
		}
	}
}

// TestStepByStepEqualsBatched: running one step at a time with the state
// carried gives the same outputs as one Forward over the sequence.
func TestStepByStepEqualsBatched(t *testing.T) {
	for _, cell := range []Cell{RNN, LSTM, GRU} {
		const I, H, T, B = 2, 3, 5, 2
		n, _ := New(Config{Cell: cell, Input: I, Hidden: H, Layers: 2, Seed: 8})
		x := randSlice(rand.New(rand.NewPCG(1, 1)), T*B*I, 1)
		n.Forward(x, T, B)
		full := append([]float64(nil), n.Outputs()...)
		s := n.NewState(B)
		n.SetState(s)
		for step := 0; step < T; step++ {
			n.Forward(x[step*B*I:(step+1)*B*I], 1, B)
			if d := maxDiff(n.Outputs(), full[step*B*H:(step+1)*B*H]); d != 0 {
				t.Errorf("%v step %d: step-by-step differs from batched by %g", cell, step, d)
			}
			n.FinalState(s)
		}
	}
}

func TestMLPGradCheck(t *testing.T) {
	for _, act := range []Activation{ReLU, Tanh} {
		const W, I, B = 4, 2, 3
		m, err := NewMLP(MLPConfig{Window: W, Input: I, Hidden: []int{5, 4}, Output: 2, Activation: act, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(2, 2))
		x := randSlice(rng, W*B*I, 1)
		y := randSlice(rng, B*2, 1)
		d := make([]float64, B*2)
		m.ZeroGrad()
		MSE(m.Forward(x, W, B), y, d)
		m.Backward(d)
		for _, p := range m.Params() {
			num := numGrad(p.W, func() float64 { return MSE(m.Forward(x, W, B), y, nil) })
			if e := relErr(p.G, num); !(e < gradTol) {
				t.Errorf("MLP act %d grad %s: relative error %g; want < %g", act, p.Name, e, gradTol)
			}
		}
	}
	if _, err := NewMLP(MLPConfig{Input: 1}); err == nil {
		t.Error("NewMLP without Window = nil error; want an error")
	}
}

// TestMLPWindowLayout: the window is flattened step-major per batch row.
func TestMLPWindowLayout(t *testing.T) {
	m, _ := NewMLP(MLPConfig{Window: 2, Input: 1, Hidden: []int{1}, Activation: Tanh})
	x := []float64{1, 2, 3, 4} // (T=2, B=2, 1): row 0 = [1 3], row 1 = [2 4]
	m.Forward(x, 2, 2)
	if got := m.acts[0]; maxDiff(got, []float64{1, 3, 2, 4}) != 0 {
		t.Errorf("flattened window = %v; want [1 3 2 4]", got)
	}
}

func TestDiagnostics(t *testing.T) {
	const T, B = 40, 4
	n, _ := New(Config{Cell: RNN, Input: 1, Hidden: 8, Seed: 3})
	x := randSlice(rand.New(rand.NewPCG(3, 3)), T*B, 1)
	d := make([]float64, B)
	n.ZeroGrad()
	MSE(n.Forward(x, T, B), make([]float64, B), d)
	n.Backward(d)
	norms := make([]float64, T)
	n.HiddenGradNorms(norms, 0)
	// The head reads h_T: its gradient norm equals the batch mean of ‖dOut·W‖.
	w := n.Param("head.weight").W
	want := 0.0
	for b := 0; b < B; b++ {
		s := 0.0
		for _, v := range w {
			s += (d[b] * v) * (d[b] * v)
		}
		want += math.Sqrt(s) / B
	}
	if math.Abs(norms[T-1]-want) > 1e-12 {
		t.Errorf("HiddenGradNorms[T-1] = %g; want %g", norms[T-1], want)
	}
	// A small-weight tanh RNN forgets: the gradient vanishes going back.
	if !(norms[0] < 1e-3*norms[T-1]) {
		t.Errorf("‖∂L/∂h_0‖ = %g, ‖∂L/∂h_T‖ = %g; want a vanishing gradient", norms[0], norms[T-1])
	}

	l, _ := New(Config{Cell: LSTM, Input: 1, Hidden: 8, ForgetBias: 20})
	l.Forward(x, T, B)
	fg := make([]float64, T)
	l.GateMeans(fg, 0, 1)
	for t2, v := range fg {
		if !(v > 0.999 && v < 1) {
			t.Fatalf("forget gate mean at step %d = %g with forget bias 20; want ≈ 1", t2, v)
		}
	}
	if got := LSTM.GateNames(); strings.Join(got, "") != "ifgo" {
		t.Errorf("LSTM.GateNames() = %v", got)
	}
}

func TestOptimizers(t *testing.T) {
	p := &Param{Name: "w", Shape: []int{2}, W: []float64{1, -2}, G: []float64{0.5, -1}}
	var sgd SGD
	sgd.LR, sgd.Momentum = 0.1, 0.9
	sgd.Step([]*Param{p})
	sgd.Step([]*Param{p})
	// v1 = g, v2 = 0.9 g + g = 1.9 g; w = w0 - 0.1 (g + 1.9 g)
	if want := 1 - 0.1*2.9*0.5; math.Abs(p.W[0]-want) > 1e-15 {
		t.Errorf("SGD momentum: w = %g; want %g", p.W[0], want)
	}
	q := &Param{Name: "w", Shape: []int{1}, W: []float64{1}, G: []float64{0.3}}
	a := &Adam{LR: 0.1, WeightDecay: 0.01}
	a.Step([]*Param{q})
	// First Adam step moves by LR·sign(g) (bias-corrected), after decay.
	if want := 1*(1-0.1*0.01) - 0.1*0.3/(0.3+1e-8); math.Abs(q.W[0]-want) > 1e-12 {
		t.Errorf("Adam first step: w = %.15g; want %.15g", q.W[0], want)
	}
	ps := []*Param{{W: []float64{0, 0}, G: []float64{3, 4}}}
	if n := ClipGlobalNorm(ps, 1); n != 5 {
		t.Errorf("ClipGlobalNorm returned %g; want 5", n)
	}
	if n := GradNorm(ps); math.Abs(n-1) > 1e-15 {
		t.Errorf("norm after clipping = %g; want 1", n)
	}
}

func TestSchedules(t *testing.T) {
	if got := (StepDecay{Base: 1, Gamma: 0.5, Every: 2}).LR(5); got != 0.25 {
		t.Errorf("StepDecay.LR(5) = %g; want 0.25", got)
	}
	c := Cosine{Base: 1, Min: 0, Total: 10}
	if got := c.LR(5); math.Abs(got-0.5) > 1e-15 {
		t.Errorf("Cosine.LR(5) = %g; want 0.5", got)
	}
	if got := c.LR(10); got != 0 {
		t.Errorf("Cosine.LR(10) = %g; want 0", got)
	}
	p := &Plateau{LR: 1, Patience: 2, Factor: 0.1}
	var reducedAt []int
	for i, loss := range []float64{5, 4, 4, 4, 4, 3, 3, 3, 3} {
		if _, r := p.Observe(loss); r {
			reducedAt = append(reducedAt, i)
		}
	}
	if len(reducedAt) != 2 || reducedAt[0] != 4 || reducedAt[1] != 8 || math.Abs(p.LR-0.01) > 1e-15 {
		t.Errorf("Plateau reduced at %v to %g; want at [4 8] to 0.01", reducedAt, p.LR)
	}
}

func TestPanics(t *testing.T) {
	n, _ := New(Config{Input: 2, Hidden: 3})
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"short x", func() { n.Forward(make([]float64, 5), 2, 2) }},
		{"backward first", func() { m, _ := New(Config{Input: 1, Hidden: 1}); m.Backward([]float64{1}) }},
		{"wrong dOut", func() { n.Forward(make([]float64, 8), 2, 2); n.Backward(make([]float64, 3)) }},
		{"state rows", func() { n.SetState(n.NewState(3)); n.Forward(make([]float64, 8), 2, 2) }},
		{"loss lengths", func() { MSE([]float64{1}, []float64{1, 2}, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "models: ") {
					t.Errorf("panic = %v; want a \"models: \" message", r)
				}
			}()
			tc.f()
		})
	}
}

// TestParallelRowsMatchSerial: splitting the element-wise work of large
// steps across goroutines gives the same numbers as doing it on one.
func TestParallelRowsMatchSerial(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: the parallel path is never taken")
	}
	for _, cell := range []Cell{RNN, LSTM, GRU} {
		run := func(procs int) []float64 {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			const I, H, T, B = 2, 40, 6, 37 // B*H ≥ parMinElems, uneven split
			n, _ := New(Config{Cell: cell, Input: I, Hidden: H, Layers: 2, Output: 3, PerStep: true, Seed: 5})
			rng := rand.New(rand.NewPCG(6, 6))
			x := randSlice(rng, T*B*I, 1)
			y := randSlice(rng, T*B*3, 1)
			d := make([]float64, len(y))
			n.ResetAt(3, 5)
			MSE(n.Forward(x, T, B), y, d)
			n.Backward(d)
			out := append([]float64(nil), n.Outputs()...)
			for _, p := range n.Params() {
				out = append(out, p.G...)
			}
			return append(out, n.InputGrad()...)
		}
		if d := maxDiff(run(1), run(2)); d > 1e-14 {
			t.Errorf("%v: parallel and serial element-wise passes differ by %g", cell, d)
		}
	}
}

// TestPredictMatchesForward: chunked inference equals one big Forward,
// with and without a carried state and per-step outputs.
func TestPredictMatchesForward(t *testing.T) {
	for _, cell := range []Cell{LSTM, GRU, RNN} {
		for _, I := range []int{2, 6} { // input added inline, input GEMM
			for _, perStep := range []bool{false, true} {
				const H, T, B = 3, 4, PredictChunk + 37
				n, _ := New(Config{Cell: cell, Input: I, Hidden: H, Layers: 2, Output: 2, PerStep: perStep, Seed: 2})
				rng := rand.New(rand.NewPCG(9, 9))
				x := randSlice(rng, T*B*I, 1)
				n.SetState(randomState(n, rng, B, 1))
				want := append([]float64(nil), n.Forward(x, T, B)...)
				got := n.Predict(x, T, B)
				if d := maxDiff(got, want); d > 1e-14 { // GEMM blocking may round differently
					t.Errorf("%v input %d perStep=%v: Predict differs from Forward by %g", cell, I, perStep, d)
				}
				n.SetState(nil)
				got = n.Predict(x[:T*7*I], T, 7) // one chunk, zero state
				if d := maxDiff(got, n.Forward(x[:T*7*I], T, 7)); d > 1e-14 {
					t.Errorf("%v input %d perStep=%v: Predict of 7 rows differs from Forward by %g", cell, I, perStep, d)
				}
			}
		}
	}
}

// model is the method set forecast/ relies on: both networks have it.
type model interface {
	Forward(x []float64, T, B int) []float64
	Backward(dOut []float64)
	Params() []*Param
	ZeroGrad()
}

var (
	_ model = (*Network)(nil)
	_ model = (*MLP)(nil)
)
