package models

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/internal/linalg"
)

// Tests of the float32 engine beyond the PyTorch parity of parity32_test.go:
// the DType setting, allocation-free training, the row split, and float32
// against float64 on the configurations PyTorch parity does not cover
// (truncation, resets, per-step heads, inline and GEMM input projections,
// several layers).

func TestDType(t *testing.T) {
	for _, s := range []string{"", "float64", "float32"} {
		d, err := ParseDType(s)
		if err != nil || (s == "float32") != (d == Float32) {
			t.Errorf("ParseDType(%q) = %q, %v", s, d, err)
		}
	}
	if _, err := ParseDType("float16"); err == nil || !strings.Contains(err.Error(), `"float16"`) {
		t.Errorf("ParseDType(float16) error = %v; want one naming the value", err)
	}
	if DTypeOf[float32]() != Float32 || DTypeOf[float64]() != Float64 {
		t.Error("DTypeOf is wrong")
	}
	if _, err := New(Config{Input: 1, Hidden: 2, DType: Float32}); err == nil || !strings.Contains(err.Error(), "NewOf[float32]") {
		t.Errorf("New with DType float32: error %v; want one pointing to NewOf[float32]", err)
	}
	if _, err := NewOf[float32](Config{Input: 1, Hidden: 2, DType: "float16"}); err == nil {
		t.Error("NewOf with DType float16: no error")
	}
	n, err := NewOf[float32](Config{Input: 1, Hidden: 2})
	if err != nil || n.Config().DType != Float32 {
		t.Errorf("NewOf[float32] with DType unset: %v, DType %q; want float32", err, n.Config().DType)
	}
	if _, err := Bench(context.Background(), BenchConfig{DType: "int8"}); err == nil {
		t.Error("Bench with DType int8: no error")
	}
}

// TestFloat32InitIsRoundedFloat64: same Config, same weights, rounded.
func TestFloat32InitIsRoundedFloat64(t *testing.T) {
	for _, cfg := range []Config{
		{Cell: LSTM, Input: 2, Hidden: 5, Layers: 2, Output: 3, Seed: 4, Orthogonal: true},
		{Cell: LSTM, Input: 1, Hidden: 7, Seed: 5, Chrono: 20},
		{Cell: GRU, Input: 3, Hidden: 4, Seed: 6, TorchInit: true},
	} {
		n64, _ := New(cfg)
		cfg.DType = Float32
		n32, err := NewOf[float32](cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range n64.Params() {
			for j, v := range p.W {
				if got := n32.Params()[i].W[j]; got != float32(v) {
					t.Fatalf("%v %s[%d] = %g in float32; want %g", cfg.Cell, p.Name, j, got, float32(v))
				}
			}
		}
	}
}

// normRel returns max|a − b| / max|b|.
func normRel(a []float32, b []float64) float64 {
	var d, m float64
	for i := range b {
		d = math.Max(d, math.Abs(float64(a[i])-b[i]))
		m = math.Max(m, math.Abs(b[i]))
	}
	return d / m
}

// TestFloat32MatchesFloat64 runs the same networks, data and two SGD steps
// in both types: outputs, input gradients and parameter gradients agree to
// float32 rounding (normwise 1e-5, as the PyTorch parity) on every code
// path: each cell, inline input (In ≤ 4) and the input GEMM, two layers,
// per-step heads, truncation and resets, and batches split across
// goroutines.
func TestFloat32MatchesFloat64(t *testing.T) {
	const H, T, B, O = 24, 20, 18, 3
	for _, cell := range []Cell{LSTM, GRU, RNN} {
		for _, in := range []int{1, 6} {
			for _, perStep := range []bool{false, true} {
				cfg := Config{Cell: cell, Input: in, Hidden: H, Layers: 2, Output: O, PerStep: perStep, Truncate: 12, Seed: 3}
				n64, _ := New(cfg)
				cfg.DType = Float32
				n32, _ := NewOf[float32](cfg)
				rng := rand.New(rand.NewPCG(8, 8))
				x := randSlice(rng, T*B*in, 1)
				rows := B
				if perStep {
					rows = T * B
				}
				y := randSlice(rng, rows*O, 1)
				d64, d32 := make([]float64, rows*O), make([]float32, rows*O)
				for _, n := range []interface{ ResetAt(t, b int) }{n64, n32} {
					n.ResetAt(9, 2)
					n.ResetAt(15, 11)
				}
				opt64, opt32 := SGD{LR: 0.1}, SGDOf[float32]{LR: 0.1}
				for step := range 2 {
					n64.ZeroGrad()
					n32.ZeroGrad()
					l64 := MSE(n64.Forward(x, T, B), y, d64)
					l32 := MSE(n32.Forward(to32(x), T, B), to32(y), d32)
					if math.Abs(l32-l64) > 1e-5*l64 {
						t.Errorf("%v in %d perStep %v step %d: loss %g in float32, %g in float64", cell, in, perStep, step, l32, l64)
					}
					what := []string{"outputs"}
					got := [][]float32{n32.Outputs()}
					want := [][]float64{n64.Outputs()}
					n64.Backward(d64)
					n32.Backward(d32)
					what = append(what, "input gradient")
					got, want = append(got, n32.InputGrad()), append(want, n64.InputGrad())
					for i, p := range n64.Params() {
						what = append(what, "gradient of "+p.Name)
						got, want = append(got, n32.Params()[i].G), append(want, p.G)
					}
					for i := range what {
						if r := normRel(got[i], want[i]); !(r <= 1e-5) {
							t.Errorf("%v in %d perStep %v step %d: %s differs by %.3g (normwise) from float64", cell, in, perStep, step, what[i], r)
						}
					}
					opt64.Step(n64.Params())
					opt32.Step(n32.Params())
				}
			}
		}
	}
}

// TestSplitChangesNothing32 is TestSplitChangesNothing in float32: the
// split by batch rows across goroutines changes no bit.
func TestSplitChangesNothing32(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("needs 2 CPUs to split a pass")
	}
	const I, H, T, B, O = 3, 32, 64, 18, 2
	run := func(cell Cell, procs int) []float32 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		n, err := NewOf[float32](Config{Cell: cell, Input: I, Hidden: H, Layers: 2, Output: O, PerStep: true, Truncate: 20, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(6, 6))
		x, y := to32(randSlice(rng, T*B*I, 1)), to32(randSlice(rng, T*B*O, 1))
		d := make([]float32, T*B*O)
		n.ResetAt(10, 3)
		n.ResetAt(40, 12)
		var got []float32
		opt := AdamOf[float32]{LR: 0.01}
		for range 2 {
			n.ZeroGrad()
			MSE(n.Forward(x, T, B), y, d)
			got = append(got, n.Outputs()...)
			n.Backward(d)
			got = append(got, n.InputGrad()...)
			for _, p := range n.Params() {
				got = append(got, p.G...)
			}
			opt.Step(n.Params())
		}
		return got
	}
	for _, cell := range []Cell{LSTM, GRU, RNN} {
		one, two := run(cell, 1), run(cell, 2)
		for i := range one {
			if math.Float32bits(one[i]) != math.Float32bits(two[i]) {
				t.Fatalf("%v: value %d is %v on 2 goroutines; want %v as on 1", cell, i, two[i], one[i])
			}
		}
	}
}

// TestTrainingStepAllocs32: a float32 training step allocates nothing after
// warm-up, for every cell, stacked and per-step, with truncation, in
// TBPTT, split across goroutines, and in Predict.
func TestTrainingStepAllocs32(t *testing.T) {
	for _, cell := range []Cell{LSTM, GRU, RNN} {
		for _, perStep := range []bool{false, true} {
			n, _ := NewOf[float32](Config{Cell: cell, Input: 3, Hidden: 8, Layers: 2, Output: 2, PerStep: perStep, Truncate: 4})
			const T, B = 6, 4
			x := make([]float32, T*B*3)
			for i := range x {
				x[i] = float32(i%7) / 7
			}
			rows := B
			if perStep {
				rows = T * B
			}
			y, d := make([]float32, rows*2), make([]float32, rows*2)
			var opt AdamOf[float32]
			norms := make([]float64, T)
			step := func() {
				n.ZeroGrad()
				MSE(n.Forward(x, T, B), y, d)
				n.Backward(d)
				ClipGlobalNorm(n.Params(), 1)
				opt.Step(n.Params())
				n.HiddenGradNorms(norms, 0)
				n.GateMeans(norms, 1, 0)
			}
			step()
			if a := testing.AllocsPerRun(20, step); a != 0 {
				t.Errorf("%v perStep=%v: %g allocations per float32 training step; want 0", cell, perStep, a)
			}
		}
	}
	tr, err := NewTrainerOf[float32](BenchConfig{Model: "lstm", Input: 2, Hidden: 40, Seq: 8, Batch: 37, Horizon: 3})
	if err != nil {
		t.Fatal(err)
	}
	tr.Step()
	if a := testing.AllocsPerRun(10, func() { tr.Step() }); a != 0 {
		t.Errorf("%g allocations per large float32 training step; want 0", a)
	}
	n, _ := NewOf[float32](Config{Input: 2, Hidden: 6, Output: 1, PerStep: true})
	s, _ := NewTBPTT(n, 3, 5, 2)
	x := make([]float32, 3*2*2)
	y, d := make([]float32, 3*2), make([]float32, 3*2)
	opt := SGDOf[float32]{Momentum: 0.9}
	step := func() {
		n.ZeroGrad()
		MSE(s.Step(x), y, d)
		s.Backward(d)
		opt.Step(n.Params())
	}
	step()
	step()
	if a := testing.AllocsPerRun(20, step); a != 0 {
		t.Errorf("%g allocations per float32 TBPTT step; want 0", a)
	}
	if linalg.Kernel() == "portable" {
		return // gonum's Sgemm allocates for its goroutines on large products
	}
	p, _ := NewOf[float32](Config{Input: 2, Hidden: 8, Output: 3})
	const T, B = 5, PredictChunk + 7
	px := make([]float32, T*B*2)
	p.Predict(px, T, B)
	if a := testing.AllocsPerRun(5, func() { p.Predict(px, T, B) }); a != 0 {
		t.Errorf("float32 Predict allocates %g times per call; want 0", a)
	}
}

// TestFloat32Learns: a float32 LSTM fits a sine as well as the float64 one
// (same weights, data and Adam steps), so float32 rounding does not stall
// training.
func TestFloat32Learns(t *testing.T) {
	const T, B, steps = 16, 32, 150
	x := make([]float64, T*B)
	y := make([]float64, B)
	for b := 0; b < B; b++ {
		for s := 0; s <= T; s++ {
			v := math.Sin(0.4*float64(b+s)) * 0.8
			if s < T {
				x[s*B+b] = v
			} else {
				y[b] = v
			}
		}
	}
	cfg := Config{Input: 1, Hidden: 16, Seed: 7}
	n64, _ := New(cfg)
	cfg.DType = Float32
	n32, _ := NewOf[float32](cfg)
	x32, y32 := to32(x), to32(y)
	d64, d32 := make([]float64, B), make([]float32, B)
	opt64, opt32 := Adam{LR: 0.01}, AdamOf[float32]{LR: 0.01}
	var l64, l32, first float64
	for i := range steps {
		n64.ZeroGrad()
		l64 = MSE(n64.Forward(x, T, B), y, d64)
		n64.Backward(d64)
		opt64.Step(n64.Params())
		n32.ZeroGrad()
		l32 = MSE(n32.Forward(x32, T, B), y32, d32)
		n32.Backward(d32)
		opt32.Step(n32.Params())
		if i == 0 {
			first = l64
		}
	}
	if !(l64 < first/20) || math.Abs(l32-l64) > 0.05*l64 {
		t.Errorf("loss after %d Adam steps: float64 %g (from %g), float32 %g; want a 20-fold drop and float32 within 5%%", steps, l64, first, l32)
	}
}

// TestMaster32: the float64 face of a float32 network trains like the
// float32 network itself, allocates nothing per step after the first, and
// loading master weights is copying into Params.
func TestMaster32(t *testing.T) {
	const T, B = 10, 6
	cfg := Config{Cell: GRU, Input: 2, Hidden: 12, Output: 2, Seed: 9, DType: Float32}
	n32, _ := NewOf[float32](cfg)
	ref, _ := NewOf[float32](cfg)
	m := NewMaster32(n32)
	rng := rand.New(rand.NewPCG(3, 3))
	x, y := randSlice(rng, T*B*2, 1), randSlice(rng, B*2, 1)
	x32, y32 := to32(x), to32(y)
	d, d32 := make([]float64, B*2), make([]float32, B*2)
	var opt Adam
	var opt32 AdamOf[float32]
	step := func() float64 {
		m.ZeroGrad()
		l := MSE(m.Forward(x, T, B), y, d)
		m.Backward(d)
		ClipGlobalNorm(m.Params(), 10)
		opt.Step(m.Params())
		return l
	}
	for i := range 20 {
		l := step()
		ref.ZeroGrad()
		lr := MSE(ref.Forward(x32, T, B), y32, d32)
		ref.Backward(d32)
		ClipGlobalNorm(ref.Params(), 10)
		opt32.Step(ref.Params())
		if math.Abs(l-lr) > 1e-4*lr {
			t.Fatalf("step %d: loss %g with float64 master weights, %g in pure float32", i, l, lr)
		}
	}
	if a := testing.AllocsPerRun(10, func() { step() }); a != 0 {
		t.Errorf("Master32 training step allocates %g times; want 0", a)
	}
	// Loading: master weights copied in are what the next Forward uses.
	for k, p := range ref.Params() {
		for i, v := range p.W {
			m.Params()[k].W[i] = float64(v)
		}
	}
	got, want := m.Forward(x, T, B), ref.Forward(x32, T, B)
	for i := range want {
		if got[i] != float64(want[i]) {
			t.Fatalf("output %d after loading: %g; want %g", i, got[i], want[i])
		}
	}
}
