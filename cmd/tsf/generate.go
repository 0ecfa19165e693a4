package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/tsf-go/tsf/dataset"
	"github.com/urfave/cli/v2"
)

func newGenerateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "generate",
		Usage: "write a synthetic series as CSV, to have data to try",
		Description: `Writes a seeded synthetic series as CSV to standard output (or --out). Same
--seed, same file.

Kinds:
   echo    spike echo: random spikes, each recurring exactly --lag steps later,
           plus noise (columns time,value). Only a model that remembers --lag
           steps back can forecast the echoes: the task where an LSTM beats a
           vanilla RNN.
   sine    daily and weekly sines with noise, hourly (columns time,value).
           With --series N: N monthly series in long form (columns
           series,time,value), each with its own level, trend, yearly
           season and noise; series i depends only on --seed and i.
   adding  the adding problem: --n sequences of length --lag, each with a
           random value channel and two markers; the target is the sum of the
           two marked values (long format: seq,step,value,marker,target).

Examples:
   tsf generate --kind echo --lag 24 --n 2000 > echo.csv
   tsf generate --kind sine --n 500 --seed 7 --out sine.csv
   tsf generate --kind sine --series 10000 --n 120 --out many.csv
   tsf generate --kind adding --lag 50 --n 10 --out adding.csv`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "kind", Aliases: []string{"k"}, Value: "echo", Usage: "`KIND` of series: echo, sine or adding"},
			&cli.IntFlag{Name: "n", Value: 2000, Usage: "`POINTS` (per series with --series, default 120 there; sequences for adding)"},
			&cli.IntFlag{Name: "series", Usage: "sine: write `N` monthly series in long form (series,time,value)"},
			&cli.IntFlag{Name: "lag", Value: 24, Usage: "echo lag, or adding sequence length, in `STEPS`"},
			&cli.Float64Flag{Name: "rate", Usage: "echo: `PROBABILITY` of a spike at each step (default 0.02)"},
			&cli.Float64Flag{Name: "noise", Usage: "noise standard deviation `SD` (default 0.1); with --series, relative to each series' seasonal amplitude (default 0.2)"},
			&cli.Float64Flag{Name: "gain", Value: 1, Usage: "echo: `GAIN`, the height of an echo relative to its spike (0.5: half as high)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random `SEED`"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` (- for standard output)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("tsf generate takes no file; use --out FILE", "unexpected argument %q", c.Args().First())
			}
			n, lag, kind, rate, gain, out := c.Int("n"), c.Int("lag"), c.String("kind"), c.Float64("rate"), c.Float64("gain"), c.String("out")
			if n < 1 {
				return usagef("--n is a positive count", "invalid value %d for flag --n", n)
			}
			if lag < 1 || (kind == "adding" && lag < 2) {
				return usagef("--lag is a positive number of steps (at least 2 for adding)", "invalid value %d for flag --lag", lag)
			}
			noise := c.Float64("noise")
			if noise < 0 {
				return usagef("--noise is a standard deviation, 0 or more", "invalid value %g for flag --noise", noise)
			}
			if !c.IsSet("noise") {
				noise = 0.1
			}
			if r := rate; r < 0 || r >= 1 {
				return usagef("--rate is a probability in [0, 1)", "invalid value %g for flag --rate", r)
			}
			if g := gain; g == 0 || math.IsNaN(g) || math.IsInf(g, 0) {
				return usagef("--gain is a finite non-zero factor, e.g. 0.5", "invalid value %g for flag --gain", g)
			}
			seed := c.Uint64("seed")
			rng := rand.New(rand.NewPCG(seed, seed))
			var write func(io.Writer) error
			if ns := c.Int("series"); c.IsSet("series") {
				if ns < 1 {
					return usagef("--series is a positive count", "invalid value %d for flag --series", ns)
				}
				if kind != "sine" {
					return usagef("--series goes with --kind sine", "--series is not supported for --kind %s", kind)
				}
				cfg := dataset.ManySinesConfig{Series: ns, Seed: seed}
				if c.IsSet("n") {
					cfg.N = n
				}
				if c.IsSet("noise") {
					cfg.Noise = noise // relative to each series' seasonal amplitude
					if noise == 0 {
						cfg.Noise = -1 // ManySines: negative means none
					}
				}
				write = func(w io.Writer) error { return manyCSV(w, cfg) }
			}
			switch {
			case write != nil:
			case kind == "echo":
				if noise == 0 {
					noise = -1 // SpikeEcho: negative means none
				}
				s, _ := dataset.SpikeEcho(dataset.SpikeEchoConfig{N: n, Lag: lag, Rate: rate, Noise: noise, Gain: gain}, rng)
				write = func(w io.Writer) error { return seriesCSV(w, s) }
			case kind == "sine":
				s := dataset.Sines(dataset.SinesConfig{N: n, Noise: noise}, rng)
				write = func(w io.Writer) error { return seriesCSV(w, s) }
			case kind == "adding":
				write = func(w io.Writer) error { return addingCSV(w, rng, lag, n) }
			default:
				return usagef("--kind is one of echo, sine, adding", "invalid value %q for flag --kind", kind)
			}
			if err := checkOutputPath("out", out); err != nil {
				return err
			}
			return writeOutput(e, out, write)
		},
	}
}

// seriesCSV writes s as time,value in its own time layout.
func seriesCSV(w io.Writer, s *dataset.Series) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "value"})
	for i, v := range s.Values {
		t := strconv.Itoa(i)
		if s.Time != nil {
			t = s.Format(s.Time[i])
		}
		cw.Write([]string{t, strconv.FormatFloat(v, 'g', 8, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// manyCSV writes the ManySines collection cfg in long form,
// series,time,value, one series after the other, without holding more than
// one series in memory.
func manyCSV(w io.Writer, cfg dataset.ManySinesConfig) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"series", "time", "value"})
	row := make([]string, 3)
	for i := range cfg.Series {
		s := dataset.ManySines(cfg, i)
		row[0] = s.ID
		for k, v := range s.Values {
			row[1] = s.Format(s.Time[k])
			row[2] = strconv.FormatFloat(v, 'g', 8, 64)
			cw.Write(row)
		}
		if err := cw.Error(); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// addingCSV writes n adding-problem sequences of length T in long format.
func addingCSV(w io.Writer, rng *rand.Rand, T, n int) error {
	x := make([]float64, T*2)
	y := make([]float64, 1)
	cw := csv.NewWriter(w)
	cw.Write([]string{"seq", "step", "value", "marker", "target"})
	for b := range n {
		dataset.AddingBatch(rng, T, 1, x, y)
		for t := range T {
			cw.Write([]string{strconv.Itoa(b), strconv.Itoa(t), strconv.FormatFloat(x[2*t], 'g', 8, 64),
				fmt.Sprint(x[2*t+1]), strconv.FormatFloat(y[0], 'g', 8, 64)})
		}
	}
	cw.Flush()
	return cw.Error()
}
