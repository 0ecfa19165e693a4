package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/tsf-go/tsf/internal/linalg"
)

// BenchConfig describes one training-step benchmark, the tsf side of
// ../shared/bench/torch_speed.py. Zero values mean the defaults given.
type BenchConfig struct {
	Model   string // "lstm" (default), "gru" or "rnn"
	Input   int    // default 1
	Hidden  int    // default 64
	Seq     int    // default 128
	Batch   int    // default 64
	Horizon int    // default 1
	Threads int    // GOMAXPROCS and linalg threads during the run; default: leave unchanged
	Steps   int    // timed steps; default 20
	Warmup  int    // untimed steps first; default 3
	Seed    uint64 // weights and data
	DType   DType  // element type, "float64" (default) or "float32"
}

// BenchResult is the outcome of Bench. Its JSON keys match torch_speed.py.
type BenchResult struct {
	Model        string  `json:"model"`
	Input        int     `json:"input"`
	Hidden       int     `json:"hidden"`
	Seq          int     `json:"seq"`
	Batch        int     `json:"batch"`
	Horizon      int     `json:"horizon"`
	DType        string  `json:"dtype"`
	Threads      int     `json:"threads"`
	Steps        int     `json:"steps"`
	MsStepMedian float64 `json:"ms_step_median"`
	MsStepMin    float64 `json:"ms_step_min"`
	MsStepMax    float64 `json:"ms_step_max"`
	SeqPerS      float64 `json:"seq_per_s"`
}

// TrainerOf is one full training step on fixed data in element type F, as
// timed by Bench: zero gradients, forward over the sequence, MSE on a
// linear head from the last hidden state, backward (full BPTT), Adam step.
// After the first call it allocates nothing.
type TrainerOf[F Float] struct {
	Net  *NetworkOf[F]
	Opt  AdamOf[F]
	X, Y []F // (Seq, Batch, Input), (Batch, Horizon)
	T, B int
	dOut []F
}

// NewTrainer builds the float64 network and random data of cfg (defaults
// filled); cfg.DType must be float64 or empty.
func NewTrainer(cfg BenchConfig) (*Trainer, error) { return NewTrainerOf[float64](cfg) }

// NewTrainerOf is NewTrainer in element type F: the same weights and data,
// drawn in float64 and rounded to F. cfg.DType must name F or be empty.
func NewTrainerOf[F Float](cfg BenchConfig) (*TrainerOf[F], error) {
	cfg = cfg.withDefaults()
	cell, err := ParseCell(cfg.Model)
	if err != nil {
		return nil, err
	}
	if cfg.Input < 1 || cfg.Hidden < 1 || cfg.Seq < 1 || cfg.Batch < 1 || cfg.Horizon < 1 {
		return nil, fmt.Errorf("models: bench sizes input %d, hidden %d, seq %d, batch %d, horizon %d; want all ≥ 1", cfg.Input, cfg.Hidden, cfg.Seq, cfg.Batch, cfg.Horizon)
	}
	net, err := NewOf[F](Config{Cell: cell, Input: cfg.Input, Hidden: cfg.Hidden, Output: cfg.Horizon,
		Seed: cfg.Seed, TorchInit: true, MaxSeq: cfg.Seq, MaxBatch: cfg.Batch, DType: cfg.DType})
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed+1))
	tr := &TrainerOf[F]{Net: net, T: cfg.Seq, B: cfg.Batch,
		X: make([]F, cfg.Seq*cfg.Batch*cfg.Input), Y: make([]F, cfg.Batch*cfg.Horizon),
		dOut: make([]F, cfg.Batch*cfg.Horizon)}
	for i := range tr.X {
		tr.X[i] = F(rng.NormFloat64())
	}
	for i := range tr.Y {
		tr.Y[i] = F(rng.NormFloat64())
	}
	return tr, nil
}

// Step runs one training step and returns the loss before the update.
func (tr *TrainerOf[F]) Step() float64 {
	tr.Net.ZeroGrad()
	pred := tr.Net.Forward(tr.X, tr.T, tr.B)
	loss := MSE(pred, tr.Y, tr.dOut)
	tr.Net.Backward(tr.dOut)
	tr.Opt.Step(tr.Net.Params())
	return loss
}

func (c BenchConfig) withDefaults() BenchConfig {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Model == "" {
		c.Model = "lstm"
	}
	def(&c.Input, 1)
	def(&c.Hidden, 64)
	def(&c.Seq, 128)
	def(&c.Batch, 64)
	def(&c.Horizon, 1)
	def(&c.Steps, 20)
	def(&c.Warmup, 3)
	return c
}

// Bench times cfg.Steps training steps after cfg.Warmup untimed ones, in
// the element type cfg.DType names, and returns the median, minimum and
// maximum milliseconds per step and the sequences per second at the
// median. It honours ctx between steps, and returns an error for a bad
// configuration or a cancelled context.
func Bench(ctx context.Context, cfg BenchConfig) (BenchResult, error) {
	cfg = cfg.withDefaults()
	if cfg.Steps < 1 || cfg.Warmup < 0 || cfg.Threads < 0 {
		return BenchResult{}, fmt.Errorf("models: bench steps %d, warmup %d, threads %d; want steps ≥ 1 and no negatives", cfg.Steps, cfg.Warmup, cfg.Threads)
	}
	dt, err := ParseDType(string(cfg.DType))
	if err != nil {
		return BenchResult{}, err
	}
	cfg.DType = dt
	if dt == Float32 {
		return benchOf[float32](ctx, cfg)
	}
	return benchOf[float64](ctx, cfg)
}

func benchOf[F Float](ctx context.Context, cfg BenchConfig) (BenchResult, error) {
	tr, err := NewTrainerOf[F](cfg)
	if err != nil {
		return BenchResult{}, err
	}
	threads := runtime.GOMAXPROCS(0)
	if cfg.Threads > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(cfg.Threads))
		defer linalg.SetThreads(linalg.SetThreads(cfg.Threads))
		threads = cfg.Threads
	}
	for i := 0; i < cfg.Warmup; i++ {
		if err := ctx.Err(); err != nil {
			return BenchResult{}, fmt.Errorf("models: bench: %w", err)
		}
		tr.Step()
	}
	times := make([]float64, cfg.Steps)
	for i := range times {
		if err := ctx.Err(); err != nil {
			return BenchResult{}, fmt.Errorf("models: bench: %w", err)
		}
		t0 := time.Now()
		tr.Step()
		times[i] = float64(time.Since(t0).Nanoseconds()) / 1e6
	}
	slices.Sort(times)
	med := times[len(times)/2]
	if len(times)%2 == 0 {
		med = (times[len(times)/2-1] + times[len(times)/2]) / 2
	}
	return BenchResult{Model: cfg.Model, DType: string(cfg.DType), Input: cfg.Input, Hidden: cfg.Hidden, Seq: cfg.Seq,
		Batch: cfg.Batch, Horizon: cfg.Horizon, Threads: threads, Steps: cfg.Steps,
		MsStepMedian: med, MsStepMin: times[0], MsStepMax: times[len(times)-1],
		SeqPerS: float64(cfg.Batch) / (med / 1e3)}, nil
}
