package main

import (
	"encoding/json"
	"fmt"

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

Examples:
   tsf bench --model lstm --hidden 64 --seq 128 --batch 64 --horizon 12
   tsf bench --model rnn --threads 2 --steps 50 --json
   ../shared/bench/compare.sh ./tsf`,
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
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object (the keys of torch_speed.py)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("tsf bench takes only flags", "unexpected argument %q", c.Args().First())
			}
			for _, f := range []string{"input", "hidden", "seq", "batch", "horizon", "steps"} {
				if c.Int(f) < 1 {
					return usagef(fmt.Sprintf("--%s is a positive count", f), "invalid value %d for flag --%s", c.Int(f), f)
				}
			}
			if c.Int("threads") < 0 || c.Int("warmup") < 0 {
				return usagef("--threads and --warmup are counts", "invalid value for flag --threads or --warmup")
			}
			if _, err := models.ParseCell(c.String("model")); err != nil {
				return usagef("--model is lstm, gru or rnn", "invalid value %q for flag --model", c.String("model"))
			}
			warm := c.Int("warmup")
			cfg := models.BenchConfig{Model: c.String("model"), Input: c.Int("input"), Hidden: c.Int("hidden"),
				Seq: c.Int("seq"), Batch: c.Int("batch"), Horizon: c.Int("horizon"), Threads: c.Int("threads"),
				Steps: c.Int("steps"), Warmup: warm, Seed: c.Uint64("seed")}
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
			_, err = fmt.Fprintf(e.stdout, "%s input %d hidden %d seq %d batch %d horizon %d threads %d: %.3f ms/step median (min %.3f, max %.3f) over %d steps, %.0f sequences/s\n",
				r.Model, r.Input, r.Hidden, r.Seq, r.Batch, r.Horizon, r.Threads, r.MsStepMedian, r.MsStepMin, r.MsStepMax, r.Steps, r.SeqPerS)
			return err
		},
	}
}
