package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/tsf-go/tsf/forecast/combine"
	"github.com/tsf-go/tsf/forecast/ets"
	"github.com/tsf-go/tsf/forecast/neural"
	"github.com/tsf-go/tsf/internal/hints"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/urfave/cli/v2"
)

func newForecastCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "forecast",
		Usage:     "fit a model on a CSV series and forecast the next steps",
		ArgsUsage: "FILE.csv|-",
		Description: `Reads one series from FILE.csv (- reads standard input), fits the model on all
of it and forecasts --horizon steps after its end, with 80% and 95% prediction
intervals. A model with intervals of its own keeps them (the neural models,
lstm, gru, rnn and mlp, calibrate theirs on their validation windows; theta's
and ets's come from their state-space forms; auto combines its candidates');
the others (naive, snaive, naive2, drift, mean, ma) are wrapped in
split-conformal intervals, or forecast without intervals (with a warning)
when the series is too short to calibrate them.

Output: CSV "time,forecast,lo80,hi80,lo95,hi95" on standard output (or --out),
times in the input's own format; with --json one JSON document instead. An
interval the model cannot compute (too few calibration windows for its
level, an overflow) has empty cells (null with --json), and a warning on
standard error names the series and why. Messages and progress go to
standard error; --verbose says what was derived from the data (frequency,
season, window, epochs run, best epoch).

Many series: with --id COLUMN the file is long, one row per series and time
(e.g. "store,date,sales"; rows in any order, series of any lengths and start
times). Without --model they are forecast with hybrid, the collection
default: ONE global ES-LSTM (eslstm: exponential smoothing learned per
series with one LSTM for all), combined with ets and theta fitted on each
series; the weights (--weights mean,
inverse2 or best) and the 80% and 95% intervals are chosen on every series'
last --horizon points, pooled, and --verbose prints the members' pooled
scores and weights. With --model NAME every series gets its own model,
fitted on --workers cores at once. A file with several value columns and no
--target is read the same way, one series per column. The output is one long CSV
"<id column>,time,forecast,lo80,hi80,lo95,hi95" (id column "series" for the
columns of a wide file), the series in order of first row, the same whatever
--workers; --json gives one document with a record per series. A series that
cannot be forecast (too short, bad cells) is named on standard error with
its reason, the others are still written, and the exit status is 1. Without
--horizon the series must share a frequency (the horizon is its season).
With --global (lstm, gru, rnn, mlp) ONE network is trained on the windows of
all series, each window normalised on its own, and forecasts every series
from its history; --save keeps it for tsf predict --id.

Examples:
   tsf forecast sales.csv --target sales --horizon 12
   tsf forecast stores.csv --id store --target sales --horizon 8 --verbose --save stores.tsf
   tsf forecast air.csv --target passengers --model ets --plot air.png
   cat series.csv | tsf forecast - --model gru --epochs 50 --json
   tsf forecast load.csv --features temp --window 96 --horizon 24 --out fc.csv --save load.tsf
   tsf forecast stores.csv --id store --target sales --model ets --horizon 8 --out fc.csv
   tsf forecast m3.csv --id series --target value --model snaive --horizon 18 --workers 2 --json
   tsf forecast m3.csv --id series --target value --model lstm --global --horizon 18 --save m3.tsf --out fc.csv`,
		Flags: append(append(append([]cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "model `NAME`: " + modelNames + " (default: auto for one series, a local LSTM when the series is long enough for one, else the mean of ets and theta; hybrid for many series (--id): one global ES-LSTM combined with ets and theta)"},
			idFlag("every series is forecast (tsf train: one model for all of them), output is one long CSV"),
			globalFlag(),
		}, dataFlags()...), trainFlags()...),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the forecast CSV to `FILE` (- for standard output)"},
			&cli.StringFlag{Name: "plot", Usage: "draw the forecast to `FILE` (.png, .svg or .pdf)"},
			&cli.StringFlag{Name: "save", Usage: "save the fitted model to `FILE` (for tsf predict)"},
			&cli.BoolFlag{Name: "json", Usage: "write one JSON document to standard output"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress or messages on standard error"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "say what was derived from the data (even with --quiet)"},
			workersFlag(),
		),
		Action: func(c *cli.Context) error {
			r, err := parseFit(c, false)
			if err != nil {
				return err
			}
			return runFit(c.Context, e, r)
		},
	}
}

// runFit is forecast and train (r.train).
func runFit(ctx context.Context, e *env, r *request) error {
	in, err := loadInput(e, r)
	if err != nil {
		return err
	}
	if in.many() {
		if r.id() == "" && r.target == "" {
			r.ui(e).printf("%s has %d value columns (%s): each is a series (name one with --target to forecast it alone)", in.name, in.count(), in.seriesNames())
		}
		return runMany(ctx, e, r, in)
	}
	name := r.modelFor(r.global) // the collection default with --global
	s := in.series[0]
	season := r.seasonOf(s)
	h := r.horizonFor(season)
	u := r.ui(e)
	o := r.options(name, h)
	o.Progress = u.epochs(name)
	m, err := newModel(name, o, true)
	if err != nil {
		return err
	}
	if r.verbose {
		u.verbosef("%s", describeSeries(s, season, h))
	}
	ok, fitErr := u.fit(ctx, m, s)
	if w, isW := m.(*forecast.WithIntervals); isW && ok {
		if why := w.NoIntervals(); why != nil {
			// Too short to calibrate intervals: forecast without them.
			u.printf("warning: %s: no prediction intervals: %v", w.Name(), why)
		}
		m = w.Model()
	}
	if !ok {
		return fitError(fmt.Errorf("%s: %w", r.path, fitErr))
	}
	if r.verbose {
		u.verbosef("%s", describeModel(m))
	}
	if interrupted(ctx) {
		// Nothing is saved or reported: the files are left as they were.
		return context.Cause(ctx)
	}
	if p := r.save; p != "" {
		if err := saveModel(p, m); err != nil {
			return err
		}
		if r.train {
			u.printf("saved %s model to %s", m.Name(), p)
		}
	}
	if r.train {
		return fitErr
	}
	f, err := m.Predict(h)
	if err != nil {
		return fitError(fmt.Errorf("%s: %w", r.path, err))
	}
	if err := writeForecast(e, r, s, f, summaryMetrics(m)); err != nil {
		return err
	}
	if err := plotForecast(r, s, f); err != nil {
		return err
	}
	return fitErr
}

// plotForecast draws f after s's history to --plot, if given.
func plotForecast(r *request, s *dataset.Series, f *forecast.Forecast) error {
	if r.plot == "" {
		return nil
	}
	pl, err := forecastPlot(s, f, s.Name)
	if err != nil {
		return err
	}
	return savePlot(pl, r.plot)
}

// writeForecast writes f as --out CSV and/or --json.
func writeForecast(e *env, r *request, s *dataset.Series, f *forecast.Forecast, metrics map[string]num) error {
	warnIntervals(r.ui(e), s, f)
	out := r.out
	if r.json {
		if err := writeOutput(e, "-", func(w io.Writer) error { return writeJSON(w, forecastJSON(s, f, metrics)) }); err != nil {
			return err
		}
		if out == "" || out == "-" {
			return nil
		}
	}
	return writeOutput(e, out, func(w io.Writer) error { return forecastCSV(w, s, f) })
}

// saveModel saves m to path.
func saveModel(path string, m forecast.Forecaster) error {
	p, ok := m.(forecast.Persistent)
	if !ok {
		return fmt.Errorf("model %s cannot be saved", m.Name())
	}
	if err := forecast.Save(path, p); err != nil {
		return withHint(fmt.Errorf("--save %s: %w", path, err), "check that the directory exists and is writable")
	}
	return nil
}

// summaryMetrics returns the training figures of a fitted model (losses,
// AIC, epochs), or nil.
func summaryMetrics(m forecast.Forecaster) map[string]num {
	p, ok := m.(forecast.Persistent)
	if !ok {
		return nil
	}
	mf, err := p.MarshalModel()
	if err != nil {
		return nil
	}
	out := map[string]num{}
	for k, v := range mf.Summary.Metrics {
		out[k] = num(v)
	}
	if mf.Summary.Epochs > 0 {
		out["epochs"] = num(mf.Summary.Epochs)
	}
	if n := neuralOf(m); n != nil {
		out["best_epoch"] = num(n.History().BestEpoch)
		out["window"] = num(n.Config().Window)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// fitError adds a hint to a training error.
func fitError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return err
	case hints.Fit(err) != "":
		return withHint(err, hints.Fit(err))
	}
	return err
}

// describeSeries says what was derived from the data (for --verbose).
func describeSeries(s *dataset.Series, season, h int) string {
	span := ""
	if n := s.Len(); n > 0 && s.Time != nil {
		span = fmt.Sprintf(", %s to %s", s.Format(s.Time[0]), s.Format(s.Time[n-1]))
	}
	cov := ""
	if len(s.CovariateNames) > 0 {
		cov = ", covariates " + strings.Join(s.CovariateNames, ",")
	}
	return fmt.Sprintf("series %q: %d points, frequency %s%s%s; season %d, horizon %d", s.Name, s.Len(), s.Freq, span, cov, season, h)
}

// formatByName lists "name value" pairs in name order, each value printed
// with verb, separated by commas.
func formatByName(m map[string]float64, verb string) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+" "+fmt.Sprintf(verb, m[k]))
	}
	return strings.Join(parts, ", ")
}

// describeModel says what training chose and did (for --verbose).
func describeModel(m forecast.Forecaster) string {
	if w, ok := m.(*forecast.WithIntervals); ok {
		m = w.Model()
	}
	if a, ok := m.(*combine.Auto); ok {
		return describeAuto(a)
	}
	if hy, ok := m.(*combine.Hybrid); ok {
		return describeHybrid(hy)
	}
	if es, ok := m.(*neural.ESRNN); ok {
		c := es.Config()
		return fmt.Sprintf("%s: %s cell, window %d, season %d, hidden %d x %d layers, %d epochs, batch %d series, lr %g, smoothing lr %g, level penalty %g, tau %g, ensemble %d seeds x %d snapshots",
			es.Name(), c.Cell, c.Window, c.Season, c.Hidden, c.Layers, c.Epochs, c.Batch, c.LR, c.ESLR, c.Penalty, c.Tau, c.Ensemble, c.Last)
	}
	if n := neuralOf(m); n != nil {
		c := n.Config()
		h := n.History()
		norm := c.Normalize
		if len(h.Candidates) > 0 {
			norm += " (auto; validation MAE " + formatByName(h.Candidates, "%.4g") + ")"
		}
		if len(h.Weights) > 0 {
			norm += fmt.Sprintf(", forecasts combined (%s): weights %s, validation MAE %.4g", c.Combine, formatByName(h.Weights, "%.3f"), h.ValMAE)
		}
		if h.Transform != "" {
			norm += ", transform of the globally scaled model " + h.Transform
		}
		return fmt.Sprintf("%s: window %d, season %d, normalisation %s, %s loss, hidden %d x %d layers, batch %d, lr %g, clip %g, %s strategy, ensemble %d; %d of %d epochs run (%s), best epoch %d, %s",
			n.Name(), c.Window, c.Season, norm, c.Loss, c.Hidden, c.Layers, c.Batch, c.LR, c.Clip, c.Strategy, c.Ensemble,
			len(h.Train), c.Epochs, h.Stopped, h.BestEpoch, h.Elapsed.Round(1e7))
	}
	if e, ok := m.(*ets.ETS); ok {
		p := e.Params()
		return fmt.Sprintf("%s: alpha %.3g, beta %.3g, gamma %.3g, phi %.3g, AIC %.1f; intervals of its own (innovation variance %.4g)",
			e.Name(), p.Alpha, p.Beta, p.Gamma, p.Phi, e.AIC(), e.Sigma2())
	}
	if cf, ok := m.(*forecast.Conformal); ok {
		if e, ok := cf.Model().(*ets.ETS); ok {
			p := e.Params()
			return fmt.Sprintf("%s: alpha %.3g, beta %.3g, gamma %.3g, phi %.3g, AIC %.1f; conformal intervals from %d calibration forecasts",
				e.Name(), p.Alpha, p.Beta, p.Gamma, p.Phi, e.AIC(), len(cf.Residuals(0)))
		}
		return fmt.Sprintf("%s; conformal intervals from %d calibration forecasts", cf.Name(), len(cf.Residuals(0)))
	}
	return m.Name()
}

// describeHybrid says what the hybrid's members scored on the pooled
// validation windows, their weights, what its intervals were calibrated
// on, and how its network was trained.
func describeHybrid(hy *combine.Hybrid) string {
	var ms []string
	for _, m := range hy.Members() {
		d := fmt.Sprintf("%s sMAPE %.2f MASE %.3f weight %.3f", m.Name, m.SMAPE, m.MASE, m.Weight)
		if m.Skipped != "" {
			d += " (left out: " + m.Skipped + ")"
		}
		ms = append(ms, d)
	}
	n, levels := hy.Calibration()
	var ls []string
	for _, l := range levels {
		ls = append(ls, fmt.Sprintf("%g%%", 100*l))
	}
	iv := "no intervals (too few validation windows)"
	if len(ls) > 0 {
		iv = fmt.Sprintf("%s intervals calibrated on %d validation windows", strings.Join(ls, " and "), n)
	}
	s := fmt.Sprintf("hybrid: pooled validation on every series' last %d points (%d windows scored by every member that forecast any): %s; %s",
		hy.Horizon(), hy.Scored(), strings.Join(ms, "; "), iv)
	if net, ok := hy.Network().(forecast.Forecaster); ok {
		s += "\n  network: " + describeModel(net)
	}
	return s
}

// describeAuto says which candidates auto took, with what weight, why it
// left the others out, and describes each one it took.
func describeAuto(a *combine.Auto) string {
	var took, left []string
	for _, mb := range a.Members() {
		switch {
		case mb.Weight > 0 && math.IsNaN(mb.MAE):
			took = append(took, fmt.Sprintf("%s (weight %.2f)", mb.Model, mb.Weight))
		case mb.Weight > 0:
			took = append(took, fmt.Sprintf("%s (weight %.2f, holdout MAE %.4g)", mb.Model, mb.Weight, mb.MAE))
		default:
			left = append(left, mb.Name+": "+mb.Skipped)
		}
	}
	out := "auto: " + strings.Join(took, " + ")
	if len(left) > 0 {
		out += "; left out " + strings.Join(left, "; ")
	}
	for _, f := range a.Models() {
		out += "\n  " + describeModel(f)
	}
	return out
}
