package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/all"
	"github.com/tsf-go/tsf/forecast/combine"
	"github.com/tsf-go/tsf/forecast/neural"
	"github.com/tsf-go/tsf/internal/flagspec"
	"github.com/urfave/cli/v2"
)

// isNeural reports whether name is a neural model (forecast.NeuralModels).
func isNeural(name string) bool { return forecast.IsNeural(name) }

// modelNames lists what --model accepts, in help order.
const modelNames = "lstm|gru|rnn|mlp|naive|snaive|naive2|drift|mean|ma|ets|theta|auto|hybrid|eslstm|esrnn"

// collectionModel is the model of a command on many series without
// --model: one global ES-LSTM (eslstm) combined with ets and theta
// (combine.Hybrid), the combination that beats the M3 competition's
// winner on every group (docs/M3.md).
const collectionModel = "hybrid"

// trainFlags are the flags of the model configuration, shared by forecast,
// train, backtest and compare: --horizon and one flag per model setting
// (flagspec.Settings). Zero means the library's default, derived from the
// data where it says so.
func trainFlags() []cli.Flag {
	fl := []cli.Flag{
		&cli.IntFlag{Name: "horizon", Aliases: []string{"H"}, Usage: "forecast `STEPS` (default: the season, or 12)"},
	}
	for _, s := range flagspec.Settings() {
		switch s.Kind {
		case flagspec.SettingCount:
			fl = append(fl, &cli.IntFlag{Name: s.Name, Usage: s.Usage})
		case flagspec.SettingReal:
			fl = append(fl, &cli.Float64Flag{Name: s.Name, Usage: s.Usage})
		case flagspec.SettingSeed:
			fl = append(fl, &cli.Uint64Flag{Name: s.Name, Value: flagspec.DefaultSeed, Usage: s.Usage})
		default:
			fl = append(fl, &cli.StringFlag{Name: s.Name, Usage: s.Usage})
		}
	}
	return fl
}

// checkModelName returns a usage error for a model nobody registered.
func checkModelName(flag, name string) error {
	if slices.Contains(forecast.Names(), name) && name != "conformal" {
		return nil
	}
	return usage(flagspec.UnknownModel(flag, name, fmt.Sprintf("--%s is one of %s", flag, strings.ReplaceAll(modelNames, "|", ", "))))
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
	if !withIntervals || isNeural(name) || forecast.GlobalOnly(name) {
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

// newUI reports on e's stderr; quiet is --quiet.
func newUI(e *env, quiet bool) *ui {
	return &ui{e: e, quiet: quiet}
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
	return u.newBar(total, barStyle{its: "epoch", elapsed: true, descAtEnd: true})
}

// barStyle is what a progress bar shows beside its count and ETA.
type barStyle struct {
	desc      string // a fixed description before the bar, or ""
	its       string // the unit counted, or "" for none
	showIts   bool   // the rate, its per second
	elapsed   bool   // the time elapsed
	descAtEnd bool   // the description, changing, after the bar
}

// newBar returns a progress bar on stderr counting to total: the one way
// tsf draws progress (epochs, series, fits).
func (u *ui) newBar(total int, st barStyle) *progressbar.ProgressBar {
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(u.e.stderr),
		progressbar.OptionSetWidth(24),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	}
	if st.desc != "" {
		opts = append(opts, progressbar.OptionSetDescription(st.desc))
	}
	if st.elapsed {
		opts = append(opts, progressbar.OptionSetElapsedTime(true))
	}
	if st.descAtEnd {
		opts = append(opts, progressbar.OptionShowDescriptionAtLineEnd())
	}
	if st.its != "" {
		opts = append(opts, progressbar.OptionSetItsString(st.its))
	}
	if st.showIts {
		opts = append(opts, progressbar.OptionShowIts())
	}
	return progressbar.NewOptions(total, opts...)
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
	if hy, ok := f.(*combine.Hybrid); ok {
		var ms []string
		for _, m := range hy.Members() {
			ms = append(ms, fmt.Sprintf("%s %.3f", m.Name, m.Weight))
		}
		out := fmt.Sprintf("hybrid: weights %s, chosen on the last %d points of %d series; %s",
			strings.Join(ms, ", "), hy.Horizon(), hy.Scored(), d.Round(10*time.Millisecond))
		if m := hy.Members()[0]; m.Skipped != "" {
			out += fmt.Sprintf("\ntsf: warning: hybrid: %s left out: %s", m.Name, m.Skipped)
		}
		return out
	}
	return fmt.Sprintf("%s fitted in %s", f.Name(), d.Round(time.Millisecond))
}

// neuralOf returns the neural forecaster inside f (also the network auto
// took alone), or nil.
func neuralOf(f forecast.Forecaster) *neural.Neural {
	switch m := f.(type) {
	case *neural.Neural:
		return m
	case *forecast.Conformal:
		return neuralOf(m.Model())
	case *forecast.WithIntervals:
		return neuralOf(m.Model())
	case *combine.Auto:
		if ms := m.Models(); len(ms) == 1 {
			return neuralOf(ms[0])
		}
	}
	return nil
}
