package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/tsf-go/tsf/models"
	"github.com/urfave/cli/v2"
)

func newBenchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "time one training step of an RNN or LSTM forecaster (the PyTorch comparison)",
		Description: `Times --steps full training steps (forward over the sequence, linear head on
the last hidden state, MSE, full backpropagation through time, Adam) on fixed
random data, after a few untimed warm-up steps, and reports the median,
minimum and maximum milliseconds per step. The flags mirror
../shared/bench/torch_speed.py, and --json prints one JSON line with the same
keys, so ../shared/bench/compare.sh can put tsf and PyTorch side by side.

--dtype float32 runs the whole step in float32 (PyTorch's default dtype):
products, activations, gradients and the Adam update.

Examples:
   tsf bench --model lstm --hidden 64 --seq 128 --batch 64 --horizon 12
   tsf bench --model rnn --threads 2 --steps 50 --json
   tsf bench --model lstm --hidden 256 --batch 128 --dtype float32
   ../shared/bench/compare.sh ./tsf
   TSF_ARGS='--dtype float32' TORCH_DTYPE=float32 ../shared/bench/compare.sh ./tsf ../shared/bench/configs_f32.json`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Value: "lstm", Usage: "recurrent `CELL`: lstm, gru or rnn"},
			&cli.IntFlag{Name: "input", Value: 1, Usage: "input `FEATURES`"},
			&cli.IntFlag{Name: "hidden", Value: 64, Usage: "hidden `UNITS`"},
			&cli.IntFlag{Name: "seq", Value: 128, Usage: "sequence `LENGTH`"},
			&cli.IntFlag{Name: "batch", Value: 64, Usage: "`SEQUENCES` per step"},
			&cli.IntFlag{Name: "horizon", Value: 1, Usage: "head `OUTPUTS`"},
			&cli.IntFlag{Name: "threads", Usage: "`THREADS` (GOMAXPROCS) during the run (default: all CPUs)"},
			&cli.IntFlag{Name: "steps", Value: 20, Usage: "timed `STEPS`"},
			&cli.IntFlag{Name: "warmup", Value: 3, Usage: "untimed `STEPS` first (0 means the default)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random `SEED` of weights and data"},
			&cli.StringFlag{Name: "dtype", Value: "float64", Usage: "element `TYPE`: float64 or float32"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object (the keys of torch_speed.py)"},
			// Hidden: the memory check of docs/PERFORMANCE.md.
			&cli.IntFlag{Name: "tbptt-stream", Hidden: true, Usage: "instead, train stateful TBPTT over a generated series of `N` steps"},
			&cli.IntFlag{Name: "predict", Hidden: true, Usage: "instead, time forecasting `N` windows (Network.Predict; docs/bench/torch_infer.py)"},
			&cli.IntFlag{Name: "k1", Hidden: true, Value: 32, Usage: "TBPTT: new `STEPS` per update"},
			&cli.IntFlag{Name: "k2", Hidden: true, Value: 64, Usage: "TBPTT: `STEPS` backpropagated through"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("tsf bench takes only flags", "unexpected argument %q", c.Args().First())
			}
			cfg := models.BenchConfig{Model: c.String("model"), Input: c.Int("input"), Hidden: c.Int("hidden"),
				Seq: c.Int("seq"), Batch: c.Int("batch"), Horizon: c.Int("horizon"), Threads: c.Int("threads"),
				Steps: c.Int("steps"), Warmup: c.Int("warmup"), Seed: c.Uint64("seed")}
			dtype, stream, predict, k1, k2 := c.String("dtype"), c.Int("tbptt-stream"), c.Int("predict"), c.Int("k1"), c.Int("k2")
			for _, f := range []struct {
				flag string
				n    int
			}{{"input", cfg.Input}, {"hidden", cfg.Hidden}, {"seq", cfg.Seq}, {"batch", cfg.Batch}, {"horizon", cfg.Horizon}, {"steps", cfg.Steps}} {
				if f.n < 1 {
					return usagef(fmt.Sprintf("--%s is a positive count", f.flag), "invalid value %d for flag --%s", f.n, f.flag)
				}
			}
			if cfg.Threads < 0 || cfg.Warmup < 0 {
				return usagef("--threads and --warmup are counts", "invalid value for flag --threads or --warmup")
			}
			if _, err := models.ParseCell(cfg.Model); err != nil {
				return usagef("--model is lstm, gru or rnn", "invalid value %q for flag --model", cfg.Model)
			}
			dt, err := models.ParseDType(dtype)
			if err != nil {
				return usagef("--dtype is float64 or float32", "invalid value %q for flag --dtype", dtype)
			}
			cfg.DType = dt
			if n := stream; n != 0 {
				if dt == models.Float32 {
					return tbpttStream[float32](c.Context, e.stdout, cfg.Model, cfg.Hidden, cfg.Batch, n, k1, k2, cfg.Seed)
				}
				return tbpttStream[float64](c.Context, e.stdout, cfg.Model, cfg.Hidden, cfg.Batch, n, k1, k2, cfg.Seed)
			}
			if n := predict; n != 0 {
				if dt == models.Float32 {
					return predictBench[float32](c.Context, e.stdout, cfg.Model, cfg.Input, cfg.Hidden, cfg.Seq, cfg.Horizon, n, cfg.Threads, cfg.Steps, cfg.Seed)
				}
				return predictBench[float64](c.Context, e.stdout, cfg.Model, cfg.Input, cfg.Hidden, cfg.Seq, cfg.Horizon, n, cfg.Threads, cfg.Steps, cfg.Seed)
			}
			r, err := models.Bench(c.Context, cfg)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				b, err := json.Marshal(r)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(e.stdout, "%s\n", b)
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "%s %s input %d hidden %d seq %d batch %d horizon %d threads %d: %.3f ms/step median (min %.3f, max %.3f) over %d steps, %.0f sequences/s\n",
				r.Model, r.DType, r.Input, r.Hidden, r.Seq, r.Batch, r.Horizon, r.Threads, r.MsStepMedian, r.MsStepMin, r.MsStepMax, r.Steps, r.SeqPerS)
			return err
		},
	}
}

// tbpttStream trains stateful TBPTT(k1, k2) with Adam in element type F
// over a generated series of n steps (a noisy sine, held in memory as a
// user's data would be), cut into batch contiguous streams side by side,
// and reports the time: run under /usr/bin/time -v, it shows that memory
// follows k2 × batch × hidden and not the series length.
func tbpttStream[F models.Float](ctx context.Context, w io.Writer, model string, hidden, batch, n, k1, k2 int, seed uint64) error {
	cell, err := models.ParseCell(model)
	if err != nil {
		return usagef("--model is lstm, gru or rnn", "invalid value %q for flag --model", model)
	}
	if n < 0 || k1 < 1 || k2 < k1 {
		return usagef("--tbptt-stream is a step count and 1 ≤ --k1 ≤ --k2", "invalid --tbptt-stream %d, --k1 %d, --k2 %d", n, k1, k2)
	}
	per := n / batch // steps per stream
	if per < k1+1 {
		return usagef("each of the --batch streams needs more than --k1 steps", "--tbptt-stream %d over %d streams is too short", n, batch)
	}
	net, err := models.NewOf[F](models.Config{Cell: cell, Input: 1, Hidden: hidden, Output: 1, PerStep: true, Seed: seed})
	if err != nil {
		return err
	}
	series := make([]F, n)
	rng := rand.New(rand.NewPCG(seed, seed))
	for i := range series {
		series[i] = F(math.Sin(2*math.Pi*float64(i)/50) + 0.1*rng.NormFloat64())
	}
	s, err := models.NewTBPTT(net, k1, k2, batch)
	if err != nil {
		return err
	}
	x, y, d := make([]F, k1*batch), make([]F, k1*batch), make([]F, k1*batch)
	opt := models.AdamOf[F]{LR: 1e-3}
	t0 := time.Now()
	chunks, loss := 0, 0.0
	for c := 0; (c+1)*k1 < per; c++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("tbptt stream: %w", err)
		}
		for t := 0; t < k1; t++ {
			for b := 0; b < batch; b++ {
				i := b*per + c*k1 + t
				x[t*batch+b], y[t*batch+b] = series[i], series[i+1]
			}
		}
		net.ZeroGrad()
		loss = models.MSE(s.Step(x), y, d)
		s.Backward(d)
		opt.Step(net.Params())
		chunks++
	}
	sec := time.Since(t0).Seconds()
	_, err = fmt.Fprintf(w, "%s hidden %d batch %d TBPTT(%d, %d) over %d steps: %d chunks in %.2f s (%.3f ms/chunk), last loss %.4g\n",
		model, hidden, batch, k1, k2, n, chunks, sec, 1e3*sec/float64(chunks), loss)
	return err
}

// predictBench times Network.Predict in element type F over n random
// windows of seq steps (reps times after one warm-up) and prints one JSON
// line with the median milliseconds, the tsf side of
// docs/bench/torch_infer.py.
func predictBench[F models.Float](ctx context.Context, w io.Writer, model string, input, hidden, seq, horizon, n, threads, reps int, seed uint64) error {
	cell, err := models.ParseCell(model)
	if err != nil {
		return usagef("--model is lstm, gru or rnn", "invalid value %q for flag --model", model)
	}
	if n < 1 {
		return usagef("--predict is a window count", "invalid value %d for flag --predict", n)
	}
	if threads > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads))
	}
	net, err := models.NewOf[F](models.Config{Cell: cell, Input: input, Hidden: hidden, Output: horizon, Seed: seed, TorchInit: true})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed+1))
	x := make([]F, seq*n*input)
	for i := range x {
		x[i] = F(rng.NormFloat64())
	}
	net.Predict(x, seq, n)
	ms := make([]float64, reps)
	for i := range ms {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("predict bench: %w", err)
		}
		t0 := time.Now()
		net.Predict(x, seq, n)
		ms[i] = float64(time.Since(t0).Nanoseconds()) / 1e6
	}
	slices.Sort(ms)
	b, err := json.Marshal(map[string]any{"model": model, "dtype": models.DTypeOf[F](), "input": input, "hidden": hidden, "seq": seq, "horizon": horizon,
		"windows": n, "threads": runtime.GOMAXPROCS(0), "ms_median": ms[len(ms)/2]})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "JSON %s\n", b)
	return err
}
