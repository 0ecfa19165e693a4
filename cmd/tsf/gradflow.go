package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tsf-go/tsf/forecast/longdep"
	"github.com/tsf-go/tsf/plots"
	"github.com/urfave/cli/v2"
)

func newGradflowCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "gradflow",
		Usage:     "measure the gradient ‖∂L/∂h_{T−k}‖ back through time, at initialisation and after training",
		UsageText: "tsf gradflow [--models rnn,lstm] [--length T] [--steps N] [--plot FILE] [flags]",
		Description: `On the adding problem of length T, gradflow backpropagates the MSE of one
fixed batch and measures ‖∂L/∂h_{T−k}‖ (the L2 norm over hidden units,
averaged over the batch) for k = 0 (the last state) to T−1, once at
initialisation and once after --steps training steps with the longdep budget.
A vanilla RNN's curve falls by orders of magnitude over k: the gradient is
multiplied by W_hh·diag(tanh') at every step back. The LSTM's cell state
carries it with a factor near the forget gate (about 1), so its curve stays
within a small factor.

The table lists the norms at selected k and the ratio of the first to the
last; --json writes every k.

Examples:
   tsf gradflow                                   # rnn and lstm, T = 100
   tsf gradflow --models rnn,lstm,gru --length 200 --plot gradflow.png
   tsf gradflow --steps 0 --json > init.json      # at initialisation only`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "models", Value: "rnn,lstm", Usage: "`MODELS`, comma-separated: rnn, lstm, gru"},
			&cli.IntFlag{Name: "length", Value: longdep.DefaultFlowLength, Usage: "sequence length `T` of the adding problem"},
			&cli.IntFlag{Name: "steps", Value: 1000, Usage: "training `STEPS` between the two measurements; 0 for initialisation only"},
			&cli.Uint64Flag{Name: "seed", Usage: "`SEED` of the weights and data"},
			&cli.IntFlag{Name: "batch", Value: longdep.DefaultBatch, Usage: "`SEQUENCES` per step and in the measured batch"},
			&cli.IntFlag{Name: "hidden", Value: 64, Usage: "hidden `UNITS`"},
			&cli.Float64Flag{Name: "lr", Usage: "peak Adam learning `RATE` (default 3e-3, the adding problem's)"},
			&cli.StringFlag{Name: "schedule", Value: string(longdep.Cosine), Usage: "learning-rate `SCHEDULE`: cosine or constant"},
			&cli.Float64Flag{Name: "clip", Value: longdep.DefaultClip, Usage: "global gradient-norm clipping `NORM`; 0 for none"},
			&cli.Float64Flag{Name: "forget-bias", Value: 1, Usage: "LSTM forget-gate `BIAS` at initialisation"},
			&cli.BoolFlag{Name: "orthogonal", Usage: "orthogonal recurrent weights at initialisation"},
			&cli.IntFlag{Name: "chrono", Usage: "chrono initialisation of the LSTM gate biases, time scales up to `N` steps (default 400, the adding problem's); 0 turns it off"},
			&cli.BoolFlag{Name: "torch-init", Usage: "PyTorch's default initialisation (forget bias 0)"},
			&cli.IntFlag{Name: "workers", Usage: "`N` models trained at once (default GOMAXPROCS)"},
			&cli.BoolFlag{Name: "quick", Usage: "300 training steps instead of 1000"},
			&cli.BoolFlag{Name: "json", Usage: "write every k as JSON instead of a table"},
			&cli.StringFlag{Name: "plot", Usage: "write the gradient-flow plot to `FILE` (.png, .svg or .pdf)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress messages"},
		},
		Action: func(c *cli.Context) error { return runGradflow(c, e) },
	}
}

func runGradflow(c *cli.Context, e *env) error {
	if c.Args().Present() {
		return usagef("run 'tsf gradflow --help' for the flags and examples", "unexpected argument %q", c.Args().First())
	}
	plot, quiet, length, steps := c.String("plot"), c.Bool("quiet"), c.Int("length"), c.Int("steps")
	if err := checkPlotPath(plot, "gradflow"); err != nil {
		return err
	}
	mods, err := parseModels(c.String("models"), []string{"rnn", "lstm", "gru"})
	if err != nil {
		return err
	}
	if mods == nil {
		return usagef("e.g. --models rnn,lstm", "--models is empty")
	}
	if length < 2 {
		return usagef("e.g. --length 100", "--length %d must be at least 2", length)
	}
	if steps < 0 {
		return usagef("--steps 0 measures at initialisation only", "--steps %d must not be negative", steps)
	}
	cfg := longdep.FlowConfig{Length: length}
	cfg.Models = mods
	cfg.Steps = steps
	if c.Bool("quick") && !c.IsSet("steps") {
		cfg.Steps = 300
	}
	if cfg.Steps == 0 {
		cfg.Steps = -1 // the library's "initialisation only"
	}
	cfg.Seed = c.Uint64("seed")
	cfg.Batch = c.Int("batch")
	cfg.Hidden = c.Int("hidden")
	cfg.LR = c.Float64("lr")
	cfg.Schedule = longdep.Schedule(c.String("schedule"))
	cfg.Clip = c.Float64("clip")
	cfg.ForgetBias = c.Float64("forget-bias")
	cfg.Orthogonal = c.Bool("orthogonal")
	cfg.TorchInit = c.Bool("torch-init")
	cfg.Workers = c.Int("workers")
	if err := checkTrainFlags(c, &cfg.Config); err != nil {
		return err
	}
	if !quiet {
		steps := "at initialisation only"
		if cfg.Steps > 0 {
			steps = fmt.Sprintf("at initialisation and after %d training steps", cfg.Steps)
		}
		fmt.Fprintf(e.stderr, "gradflow: adding problem T=%d, models %s, %s\n", cfg.Length, strings.Join(mods, ","), steps)
	}
	flows, err := longdep.GradientFlow(c.Context, cfg)
	if werr := writeGradflow(e.stdout, flows, c.Bool("json")); werr != nil {
		return werr
	}
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("gradflow: %w", c.Context.Err())
		}
		return withHint(fmt.Errorf("gradflow: %w", err), "check the flags with 'tsf gradflow --help'")
	}
	if p := plot; p != "" {
		in := plots.GradientInput{Title: fmt.Sprintf("Gradient flow back through time (adding problem, T = %d)", cfg.Length)}
		for _, f := range flows {
			in.Curves = append(in.Curves, plots.GradientCurve{Model: f.Model, Init: f.Init, Trained: f.Trained})
		}
		pl, err := plots.GradientFlow(in)
		if err == nil {
			err = plots.Save(pl, p, 0, 0)
		}
		if err != nil {
			return withHint(fmt.Errorf("plot %s: %w", p, err), "the plot takes .png, .svg or .pdf in a writable directory")
		}
		if !quiet {
			fmt.Fprintf(e.stderr, "gradflow: wrote %s\n", p)
		}
	}
	return nil
}

// writeGradflow writes the norms at k = 0, 1, 2, 5, 10, 20, 50, ... and T−1
// as a table, or every k as JSON.
func writeGradflow(w io.Writer, fs []longdep.Flow, asJSON bool) error {
	if asJSON {
		if fs == nil {
			fs = []longdep.Flow{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(fs)
	}
	if len(fs) == 0 {
		return nil
	}
	T := fs[0].Length
	var ks []int
	for _, k := range []int{0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000} {
		if k < T-1 {
			ks = append(ks, k)
		}
	}
	ks = append(ks, T-1)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "k\t")
	for _, f := range fs {
		fmt.Fprintf(tw, "%s init\t", f.Model)
		if f.Trained != nil {
			fmt.Fprintf(tw, "%s trained\t", f.Model)
		}
	}
	fmt.Fprintln(tw)
	for _, k := range ks {
		fmt.Fprintf(tw, "%d\t", k)
		for _, f := range fs {
			fmt.Fprintf(tw, "%.3g\t", f.Init[k])
			if f.Trained != nil {
				fmt.Fprintf(tw, "%.3g\t", f.Trained[k])
			}
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintf(tw, "ratio k=0 / k=%d\t", T-1)
	for _, f := range fs {
		fmt.Fprintf(tw, "%.3g\t", longdep.Decay(f.Init))
		if f.Trained != nil {
			fmt.Fprintf(tw, "%.3g\t", longdep.Decay(f.Trained))
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprint(tw, "batch MSE\t")
	for _, f := range fs {
		fmt.Fprintf(tw, "%.4f\t", f.InitMSE)
		if f.Trained != nil {
			fmt.Fprintf(tw, "%.4f\t", f.TrainedMSE)
		}
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}
