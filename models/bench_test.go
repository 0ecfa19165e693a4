package models

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/tsf-go/tsf/internal/linalg"
)

// benchStep is the helper behind the one-line benchmarks: one full
// training step (forward, MSE on the head, backward, Adam) per iteration.
func benchStep(b *testing.B, model string, input, hidden, seq, batch, horizon int) {
	tr, err := NewTrainer(BenchConfig{Model: model, Input: input, Hidden: hidden, Seq: seq, Batch: batch, Horizon: horizon})
	if err != nil {
		b.Fatal(err)
	}
	tr.Step() // warm-up: optimiser state
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.Step()
	}
	b.ReportMetric(float64(batch)*float64(b.N)/b.Elapsed().Seconds(), "seq/s")
}

// The configurations of ../shared/bench/configs.json.
func BenchmarkStepLSTMIn1H32S64B32(b *testing.B)    { benchStep(b, "lstm", 1, 32, 64, 32, 1) }
func BenchmarkStepLSTMIn1H64S128B64(b *testing.B)   { benchStep(b, "lstm", 1, 64, 128, 64, 12) }
func BenchmarkStepLSTMIn1H128S256B64(b *testing.B)  { benchStep(b, "lstm", 1, 128, 256, 64, 24) }
func BenchmarkStepLSTMIn1H256S128B128(b *testing.B) { benchStep(b, "lstm", 1, 256, 128, 128, 1) }
func BenchmarkStepLSTMIn8H64S96B32(b *testing.B)    { benchStep(b, "lstm", 8, 64, 96, 32, 24) }
func BenchmarkStepRNNIn1H32S64B32(b *testing.B)     { benchStep(b, "rnn", 1, 32, 64, 32, 1) }
func BenchmarkStepRNNIn1H64S128B64(b *testing.B)    { benchStep(b, "rnn", 1, 64, 128, 64, 12) }
func BenchmarkStepRNNIn1H256S128B128(b *testing.B)  { benchStep(b, "rnn", 1, 256, 128, 128, 1) }
func BenchmarkStepGRUIn1H64S128B64(b *testing.B)    { benchStep(b, "gru", 1, 64, 128, 64, 12) }

func TestBenchResultJSONKeys(t *testing.T) {
	r, err := Bench(context.Background(), BenchConfig{Model: "gru", Hidden: 4, Seq: 5, Batch: 3, Horizon: 2, Steps: 3, Warmup: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"batch", "dtype", "hidden", "horizon", "input", "model", "ms_step_max", "ms_step_median", "ms_step_min", "seq", "seq_per_s", "steps", "threads"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("BenchResult JSON keys = %v; want %v", keys, want)
	}
	if !(r.MsStepMin <= r.MsStepMedian && r.MsStepMedian <= r.MsStepMax && r.SeqPerS > 0) {
		t.Errorf("Bench result %+v: want min ≤ median ≤ max and seq/s > 0", r)
	}
	if r.DType != "float64" {
		t.Errorf("BenchResult.DType = %q; want float64 (the default)", r.DType)
	}
	if r.Steps != 3 || r.Threads != 1 || r.Model != "gru" || r.Input != 1 {
		t.Errorf("Bench result %+v does not echo its config", r)
	}
	if _, err := Bench(context.Background(), BenchConfig{Model: "tcn"}); err == nil {
		t.Error(`Bench(Model: "tcn") = nil error; want an error`)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Bench(ctx, BenchConfig{Hidden: 2, Seq: 2, Batch: 1}); err == nil {
		t.Error("Bench with a cancelled context = nil error; want an error")
	}
}

// TestTrainingStepAllocs proves that a training step allocates nothing
// after warm-up, for every cell, stacked and per-step, with truncation.
func TestTrainingStepAllocs(t *testing.T) {
	for _, cell := range []Cell{LSTM, GRU, RNN} {
		for _, perStep := range []bool{false, true} {
			n, _ := New(Config{Cell: cell, Input: 3, Hidden: 8, Layers: 2, Output: 2, PerStep: perStep, Truncate: 4})
			const T, B = 6, 4
			x := make([]float64, T*B*3)
			for i := range x {
				x[i] = float64(i%7) / 7
			}
			rows := B
			if perStep {
				rows = T * B
			}
			y, d := make([]float64, rows*2), make([]float64, rows*2)
			var opt Adam
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
				t.Errorf("%v perStep=%v: %g allocations per training step; want 0", cell, perStep, a)
			}
		}
	}
}

// TestLargeStepAllocs covers the sizes where the element-wise work is
// split across goroutines.
func TestLargeStepAllocs(t *testing.T) {
	tr, err := NewTrainer(BenchConfig{Model: "lstm", Input: 2, Hidden: 40, Seq: 8, Batch: 37, Horizon: 3})
	if err != nil {
		t.Fatal(err)
	}
	tr.Step()
	if a := testing.AllocsPerRun(10, func() { tr.Step() }); a != 0 {
		t.Errorf("%g allocations per large training step; want 0", a)
	}
}

func TestTBPTTAllocs(t *testing.T) {
	n, _ := New(Config{Input: 2, Hidden: 6, Output: 1, PerStep: true})
	s, _ := NewTBPTT(n, 3, 5, 2)
	x := make([]float64, 3*2*2)
	y, d := make([]float64, 3*2), make([]float64, 3*2)
	var opt SGD
	opt.Momentum = 0.9
	step := func() {
		n.ZeroGrad()
		MSE(s.Step(x), y, d)
		s.Backward(d)
		opt.Step(n.Params())
	}
	step()
	step()
	if a := testing.AllocsPerRun(20, step); a != 0 {
		t.Errorf("%g allocations per TBPTT step; want 0", a)
	}
}

// benchInfer is the helper behind the inference benchmarks: forecasting
// 10,000 windows of seq steps with Predict per iteration (the tsf side of
// docs/bench/torch_infer.py).
func benchInfer(b *testing.B, cell Cell, input, hidden, seq, horizon int) {
	const windows = 10000
	n, err := New(Config{Cell: cell, Input: input, Hidden: hidden, Output: horizon, TorchInit: true, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	x := randSlice(rand.New(rand.NewPCG(2, 2)), seq*windows*input, 1)
	n.Predict(x, seq, windows)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n.Predict(x, seq, windows)
	}
	b.ReportMetric(windows*float64(b.N)/b.Elapsed().Seconds(), "windows/s")
}

func BenchmarkInfer10kLSTMIn1H32S64(b *testing.B)  { benchInfer(b, LSTM, 1, 32, 64, 1) }
func BenchmarkInfer10kLSTMIn1H64S128(b *testing.B) { benchInfer(b, LSTM, 1, 64, 128, 12) }
func BenchmarkInfer10kLSTMIn8H64S96(b *testing.B)  { benchInfer(b, LSTM, 8, 64, 96, 24) }
func BenchmarkInfer10kRNNIn1H64S128(b *testing.B)  { benchInfer(b, RNN, 1, 64, 128, 12) }

// TestPredictAllocs: forecasting allocates nothing after the first call.
func TestPredictAllocs(t *testing.T) {
	if linalg.Kernel() == "portable" {
		t.Skip("the portable Gemm (gonum's Dgemm) allocates for its goroutines on products this large")
	}
	n, _ := New(Config{Input: 2, Hidden: 8, Output: 3})
	const T, B = 5, PredictChunk + 7
	x := make([]float64, T*B*2)
	n.Predict(x, T, B)
	if a := testing.AllocsPerRun(5, func() { n.Predict(x, T, B) }); a != 0 {
		t.Errorf("%g allocations per Predict; want 0", a)
	}
}
