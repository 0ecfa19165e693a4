package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/urfave/cli/v2"
)

// neuralModels are the model names trained by gradient descent.
var neuralModels = []string{"lstm", "gru", "rnn", "mlp"}

func isNeural(name string) bool { return slices.Contains(neuralModels, name) }

// modelNames lists what --model accepts, in help order.
const modelNames = "lstm|gru|rnn|mlp|naive|snaive|naive2|drift|mean|ma|ets|theta|auto"

// trainFlags are the flags of the model configuration, shared by forecast,
// train, backtest and compare. Zero means the library's default, derived
// from the data where it says so.
func trainFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "horizon", Aliases: []string{"H"}, Usage: "forecast `STEPS` (default: the season, or 12)"},
		&cli.IntFlag{Name: "window", Usage: "input `STEPS` of the neural models (default: max(2·season, 3·horizon, 8), at most n/3)"},
		&cli.IntFlag{Name: "season", Usage: "seasonal `PERIOD` (default: from the frequency: 12 monthly, 24 hourly, 7 daily, ...)"},
		&cli.IntFlag{Name: "hidden", Usage: "hidden `UNITS` (default 64)"},
		&cli.IntFlag{Name: "layers", Usage: "stacked recurrent `LAYERS` (default 1)"},
		&cli.IntFlag{Name: "chrono", Usage: "LSTM: chrono initialisation of the gate biases, memory time scales up to `STEPS` (default off: forget bias 1); for dependencies tens of steps back"},
		&cli.IntFlag{Name: "epochs", Usage: "most training `EPOCHS` (default 100; early stopping usually ends sooner)"},
		&cli.IntFlag{Name: "batch", Usage: "mini-batch `SIZE` (default 64)"},
		&cli.Float64Flag{Name: "lr", Usage: "Adam learning `RATE` (default 0.001)"},
		&cli.Float64Flag{Name: "clip", Usage: "global gradient-norm clipping `NORM` (default 1; negative: none)"},
		&cli.IntFlag{Name: "tbptt", Usage: "truncate backpropagation through time after `STEPS` (default: full BPTT over the window)"},
		&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random `SEED` of initialisation and shuffling"},
		&cli.Float64Flag{Name: "val", Usage: "validation `FRACTION` of the windows, for early stopping and intervals (default 0.1; negative: none)"},
		&cli.IntFlag{Name: "patience", Usage: "`EPOCHS` without validation improvement before stopping (default 10)"},
		&cli.StringFlag{Name: "strategy", Usage: "multi-step `STRATEGY` of the neural models: direct (default) or recursive"},
		&cli.StringFlag{Name: "normalize", Usage: "window normalisation `MODE` of the neural models: auto (default: one model relative to a reference forecast and one on the globally scaled values, combined by validation error), last (relative to the window's last value), mean (to its mean and spread), season (targets relative to seasonal naive) or none"},
		&cli.StringFlag{Name: "combine", Usage: "what --normalize auto does with its two models: `HOW` = inverse2 (default: forecasts weighted by 1/validation MAE²), inverse, mean, best or bestof"},
		&cli.StringFlag{Name: "transform", Usage: "target `TRANSFORM` of the globally scaled neural model: auto (default: log of a positive series), log or none"},
		&cli.IntFlag{Name: "ensemble", Usage: "average the forecasts of `N` networks trained with seeds seed, seed+1, ... (default 1)"},
		&cli.StringFlag{Name: "dtype", Usage: "element `TYPE` of the networks' forward and backward passes: float64 (default) or float32 (float32 kernels, float64 master weights; not yet the default: see docs/PERFORMANCE.md)"},
		&cli.StringFlag{Name: "candidates", Usage: "auto: the candidate `MODELS`, comma-separated (default lstm,ets,theta)"},
		&cli.StringFlag{Name: "weights", Usage: "auto: how it combines its candidates, `HOW` = fallback (default: the first alone when it fits the series, else the mean of the others), inverse2 (1/holdout MAE²), mean or best"},
		&cli.StringFlag{Name: "schedule", Usage: "learning-rate `SCHEDULE`: plateau (default), cosine, step or none"},
	}
}

// modelOptions turns the training flags into forecast.Options for model
// name, checking the values (a bad value is a usage error).
func modelOptions(c *cli.Context, name string, horizon int) (forecast.Options, error) {
	o := forecast.Options{Horizon: horizon, Window: c.Int("window"), Season: c.Int("season"), Seed: c.Uint64("seed")}
	for _, f := range []string{"window", "season", "hidden", "layers", "chrono", "epochs", "batch", "tbptt", "patience", "ensemble"} {
		if c.Int(f) < 0 {
			return o, usagef(fmt.Sprintf("--%s is a count; 0 means the default", f), "invalid value %d for flag --%s: negative", c.Int(f), f)
		}
	}
	if lr := c.Float64("lr"); lr < 0 || math.IsNaN(lr) || math.IsInf(lr, 0) {
		return o, usagef("--lr is a positive number such as 0.001", "invalid value %g for flag --lr", lr)
	}
	if v := c.Float64("val"); v >= 0.5 || math.IsNaN(v) {
		return o, usagef("--val is a fraction below 0.5, e.g. 0.1; negative for no validation", "invalid value %g for flag --val", v)
	}
	if s := c.String("strategy"); s != "" && s != forecast.Direct && s != forecast.Recursive {
		return o, usagef("--strategy is direct or recursive", "invalid value %q for flag --strategy", s)
	}
	switch s := c.String("normalize"); s {
	case "", forecast.NormAuto, forecast.NormLast, forecast.NormMean, forecast.NormSeason, forecast.NormNone:
	default:
		return o, usagef("--normalize is auto, last, mean, season or none", "invalid value %q for flag --normalize", s)
	}
	switch s := c.String("combine"); s {
	case "", forecast.CombineInverse2, forecast.CombineInverse, forecast.CombineMean, forecast.CombineBest, forecast.CombineBestOf:
	default:
		return o, usagef("--combine is inverse2, inverse, mean, best or bestof", "invalid value %q for flag --combine", s)
	}
	switch s := c.String("transform"); s {
	case "", forecast.TransformAuto, forecast.TransformLog, forecast.TransformNone:
	default:
		return o, usagef("--transform is auto, log or none", "invalid value %q for flag --transform", s)
	}
	switch s := c.String("schedule"); s {
	case "", "plateau", "cosine", "step", "none":
	default:
		return o, usagef("--schedule is plateau, cosine, step or none", "invalid value %q for flag --schedule", s)
	}
	if !isNeural(name) && name != "auto" {
		return o, nil
	}
	// auto hands the neural settings to its neural candidates.
	o.Global = c.Bool("global") && isNeural(name)
	o.Params = map[string]string{}
	for _, f := range []string{"hidden", "layers", "chrono", "epochs", "batch", "patience", "tbptt", "ensemble"} {
		if c.IsSet(f) {
			o.Params[f] = strconv.Itoa(c.Int(f))
		}
	}
	for _, f := range []string{"lr", "clip", "val"} {
		if c.IsSet(f) {
			o.Params[f] = strconv.FormatFloat(c.Float64(f), 'g', -1, 64)
		}
	}
	for _, f := range []string{"strategy", "normalize", "combine", "transform", "schedule"} {
		if s := c.String(f); s != "" {
			o.Params[f] = s
		}
	}
	switch d := c.String("dtype"); d {
	case "":
	case "float64", "float32":
		o.Params["dtype"] = d
	default:
		return o, usagef("--dtype is float64 or float32", "invalid value %q for flag --dtype", d)
	}
	if name == "auto" {
		switch w := c.String("weights"); w {
		case "", "fallback", "inverse2", "mean", "best":
			if w != "" {
				o.Params["weights"] = w
			}
		default:
			return o, usagef("--weights is fallback, inverse2, mean or best", "invalid value %q for flag --weights", w)
		}
		if cs := c.String("candidates"); cs != "" {
			for _, m := range splitList(cs) {
				if err := checkModelName("candidates", m); err != nil || m == "auto" {
					return o, usagef("--candidates lists models other than auto, e.g. lstm,ets,theta", "invalid value %q for flag --candidates", m)
				}
			}
			o.Params["candidates"] = cs
		}
	}
	return o, nil
}

// checkModelName returns a usage error for a model nobody registered.
func checkModelName(flag, name string) error {
	if slices.Contains(forecast.Names(), name) && name != "conformal" {
		return nil
	}
	return usagef(fmt.Sprintf("--%s is one of %s", flag, strings.ReplaceAll(modelNames, "|", ", ")),
		"invalid value %q for flag --%s: unknown model", name, flag)
}

// horizonFlag returns --horizon, or the default for s's season.
func horizonOf(c *cli.Context, season int) (int, error) {
	h := c.Int("horizon")
	if h < 0 || (c.IsSet("horizon") && h == 0) {
		return 0, usagef("--horizon is the number of steps to forecast, at least 1", "invalid value %d for flag --horizon", h)
	}
	if h == 0 {
		h = season
		if h <= 1 {
			h = 12
		}
	}
	return h, nil
}

// newModel builds the model name. withIntervals gives intervals to models
// whose forecasts have none of their own (forecast.WithIntervals:
// split-conformal, or none on a series too short to calibrate them), so
// that every forecast has lo80..hi95 where the series allows; the neural
// models, which calibrate their own, are returned as New builds them (so a
// Ctrl-C keeps their best weights).
func newModel(name string, o forecast.Options, withIntervals bool) (forecast.Forecaster, error) {
	f, err := forecast.New(name, o)
	if err != nil {
		return nil, usagef("see 'tsf forecast --help' for the model flags", "%v", err)
	}
	if !withIntervals || isNeural(name) {
		return f, nil
	}
	return forecast.NewWithIntervals(name, o, forecast.ConformalConfig{Horizon: o.Horizon})
}

// ui reports training progress on stderr: a progress bar per model when
// stderr is a terminal, otherwise one line per model; nothing with --quiet.
type ui struct {
	e     *env
	quiet bool
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
}

func newUI(c *cli.Context, e *env) *ui {
	return &ui{e: e, quiet: c.Bool("quiet")}
}

// bars reports whether progress bars are drawn.
func (u *ui) bars() bool { return !u.quiet && u.e.stderrTTY }

// printf writes one message line to stderr unless --quiet.
func (u *ui) printf(format string, args ...any) {
	if u.quiet {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.bar != nil {
		u.bar.Clear()
	}
	fmt.Fprintf(u.e.stderr, "tsf: "+format+"\n", args...)
}

// verbosef writes one --verbose line to stderr, even with --quiet: it was
// asked for.
func (u *ui) verbosef(format string, args ...any) {
	u.mu.Lock()
	defer u.mu.Unlock()
	fmt.Fprintf(u.e.stderr, "tsf: "+format+"\n", args...)
}

// epochs returns a Progress callback drawing a per-epoch bar for model, or
// nil when bars are off.
func (u *ui) epochs(model string) forecast.Progress {
	if !u.bars() {
		return nil
	}
	return func(ei forecast.EpochInfo) {
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.bar == nil {
			u.bar = u.epochBar(max(ei.Epochs, 1))
		}
		d := fmt.Sprintf("%s loss %.4g", model, ei.TrainLoss)
		if !math.IsNaN(ei.ValLoss) {
			d += fmt.Sprintf(" val %.4g", ei.ValLoss)
		}
		u.bar.Describe(d)
		u.bar.Set(ei.Epoch)
	}
}

// epochBar returns a progress bar on stderr counting total epochs, with
// loss in its description and an ETA.
func (u *ui) epochBar(total int) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(u.e.stderr),
		progressbar.OptionSetWidth(24),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionSetItsString("epoch"),
	)
}

// sharedEpochs returns Progress callbacks for models trained at once, all
// counting on one bar of total epochs; nil callbacks when bars are off.
func (u *ui) sharedEpochs(total int) func(model string) forecast.Progress {
	if !u.bars() {
		return func(string) forecast.Progress { return nil }
	}
	u.bar = u.epochBar(total)
	return func(model string) forecast.Progress {
		return func(ei forecast.EpochInfo) {
			u.mu.Lock()
			defer u.mu.Unlock()
			if u.bar != nil {
				u.bar.Describe(fmt.Sprintf("%s epoch %d loss %.4g", model, ei.Epoch, ei.TrainLoss))
				u.bar.Add(1)
			}
		}
	}
}

// endBar removes the progress bar, if any.
func (u *ui) endBar() {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.bar != nil {
		u.bar.Clear()
		fmt.Fprint(u.e.stderr, "\r\x1b[K")
		u.bar = nil
	}
}

// fit fits f on the series with progress and returns the fit error. A
// cancelled fit that kept weights (the neural models) reports ok = true:
// the model can still forecast.
func (u *ui) fit(ctx context.Context, f forecast.Forecaster, s *dataset.Series) (ok bool, err error) {
	start := time.Now()
	err = f.Fit(ctx, s)
	u.endBar()
	ok = err == nil
	if err != nil && errors.Is(err, context.Canceled) {
		if _, perr := f.Predict(1); perr == nil {
			ok = true
		}
	}
	if ok {
		u.printf("%s", fitSummary(f, time.Since(start)))
	}
	return ok, err
}

// fitSummary describes a finished fit in one line.
func fitSummary(f forecast.Forecaster, d time.Duration) string {
	if n := neuralOf(f); n != nil {
		h := n.History()
		cfg := n.Config()
		s := fmt.Sprintf("%s: %d epochs (%s), best epoch %d", n.Name(), len(h.Train), h.Stopped, h.BestEpoch)
		if b := h.BestEpoch; b >= 1 && b <= len(h.Train) {
			s += fmt.Sprintf(", train loss %.4g", h.Train[b-1])
			if !math.IsNaN(h.Val[b-1]) {
				s += fmt.Sprintf(", val loss %.4g", h.Val[b-1])
			}
		}
		return s + fmt.Sprintf(", window %d, %s", cfg.Window, d.Round(10*time.Millisecond))
	}
	return fmt.Sprintf("%s fitted in %s", f.Name(), d.Round(time.Millisecond))
}

// neuralOf returns the neural forecaster inside f (also the network auto
// took alone), or nil.
func neuralOf(f forecast.Forecaster) *forecast.Neural {
	switch m := f.(type) {
	case *forecast.Neural:
		return m
	case *forecast.Conformal:
		return neuralOf(m.Model())
	case *forecast.WithIntervals:
		return neuralOf(m.Model())
	case *forecast.Auto:
		if ms := m.Models(); len(ms) == 1 {
			return neuralOf(ms[0])
		}
	}
	return nil
}
