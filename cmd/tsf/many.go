package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/flagspec"
	"github.com/urfave/cli/v2"
)

// wideIDColumn names the id column of the long output when a wide file's
// value columns are the series.
const wideIDColumn = "series"

// idFlag is --id, on forecast, backtest, train and predict; does says
// what the command then does with the series.
func idFlag(does string) cli.Flag {
	return &cli.StringFlag{Name: "id", Usage: "series-id `COLUMN` of a long file (one row per series and time): " + does}
}

// workersFlag is --workers of the many-series commands.
func workersFlag() cli.Flag {
	return &cli.IntFlag{Name: "workers", Usage: "`N` series processed at once (default: the number of CPUs); the output does not depend on it"}
}

// input is what a command read: its series, the series that failed to load,
// and the id column of the long output ("" for one series of a wide file,
// which keeps the single-series output).
type input struct {
	name     string // the file name given ("-" for standard input)
	series   []*dataset.Series
	failed   []error // series that could not be loaded, each naming itself
	idColumn string
}

// many reports whether the input is read as many series (long output).
func (in *input) many() bool { return in.idColumn != "" }

// count is the number of series in the file, loaded or not.
func (in *input) count() int { return len(in.series) + len(in.failed) }

// loadInput reads the request's input. With --id it is a long file, one
// series per id; without it, a file with several value columns (and no
// --target) is read as that many series, named by their columns.
func loadInput(e *env, r *request) (*input, error) {
	o := r.read
	fr, err := readFrame(e, r.path, o)
	if err != nil {
		if fr != nil && len(fr.Failed) > 1 {
			for _, f := range fr.Failed {
				fmt.Fprintf(e.stderr, "tsf: error: %s\n", oneLine(f))
			}
			return nil, withHint(fmt.Errorf("none of the %d series of %s could be loaded (each named above)", len(fr.Failed), fr.Name), dataHint(err))
		}
		return nil, withHint(err, dataHint(err))
	}
	in := &input{name: fr.Name, series: fr.Series, failed: loadFailures(fr)}
	switch {
	case o.IDColumn != "":
		in.idColumn = o.IDColumn
	case len(fr.Series) > 1:
		in.idColumn = wideIDColumn
	}
	return in, nil
}

func readFrame(e *env, path string, o dataset.Options) (*dataset.Frame, error) {
	if path == "-" {
		return dataset.Read(e.stdin, "-", o)
	}
	return readFile(path, o)
}

// loadFailures returns the series of a long file that could not be loaded
// (dataset.Frame.Failed), each error naming its series.
func loadFailures(fr *dataset.Frame) []error {
	out := make([]error, len(fr.Failed))
	for i, f := range fr.Failed {
		out[i] = f
	}
	return out
}

// seriesNames lists the first few series ids of in, for messages.
func (in *input) seriesNames() string {
	var names []string
	for i, s := range in.series {
		if i == 5 {
			names = append(names, "...")
			break
		}
		names = append(names, forecast.SeriesID(s))
	}
	return strings.Join(names, ", ")
}

// manyHorizon is --horizon, or the seasonal period the series share (12 for
// series without one; forecast.CollectionHorizon); series of different
// seasons need --horizon.
func manyHorizon(r *request, in *input) (int, error) {
	if r.horizon > 0 {
		return r.horizon, nil
	}
	h, err := forecast.CollectionHorizon(in.series, r.season)
	if err != nil {
		return 0, usagef("give the number of steps to forecast, the same for every series: --horizon N (or forecast each frequency from its own file)",
			"%s: %v", in.name, err)
	}
	return h, nil
}

// workersOf checks --workers.
func workersOf(r *request) (int, error) {
	if r.workers < 0 {
		return 0, usagef("--workers is a positive count; 0 means the number of CPUs", "invalid value %d for flag --workers", r.workers)
	}
	return r.workers, nil
}

// manyMode is what a command does with many series.
type manyMode int

const (
	// forecastLocal: tsf forecast fits every series its own model
	// (forecast.ForecastEach).
	forecastLocal manyMode = iota
	// forecastGlobal: tsf forecast fits one model on all series
	// (FitGlobal) and forecasts each from its history.
	forecastGlobal
	// trainGlobal: tsf train fits one model on all series and saves it.
	trainGlobal
	// trainLocal: tsf train with a model per series, which a model file
	// cannot hold.
	trainLocal
	// predictMany: tsf predict forecasts every series from its history
	// with the loaded model (forecast.PredictEach).
	predictMany
)

// fitMode is the mode of tsf forecast or train (r.train) with model name
// on many series: one global model with --global or for a model only
// fitted on every series at once (forecast.GlobalOnly), else one per
// series.
func fitMode(r *request, name string) manyMode {
	global := r.global || forecast.GlobalOnly(name)
	switch {
	case r.train && global:
		return trainGlobal
	case r.train:
		return trainLocal
	case global:
		return forecastGlobal
	}
	return forecastLocal
}

// plotNeedsOne is the message of --plot on many series; the hint depends
// on the command.
const plotNeedsOne = "flag --plot needs one series; %[1]s has %[2]d"

// manyRules are the mode rules of many series: what each mode refuses, in
// the order it checks. flag is the flag refused when given, or "" for the
// mode itself; msg is a format of the input's name and its number of
// series (%[1]s, %[2]d); wideHint, if set, is the hint for a file of
// several value columns (no --id).
var manyRules = []struct {
	modes          []manyMode
	flag           string
	msg            string
	hint, wideHint string
}{
	{modes: []manyMode{forecastLocal, forecastGlobal}, flag: "plot", msg: plotNeedsOne,
		hint: "--plot draws one series; for many series, tsf backtest --id ... --plot draws the distribution of their errors"},
	{modes: []manyMode{predictMany}, flag: "plot", msg: plotNeedsOne,
		hint: "--plot draws one series; filter the file to one series to draw it"},
	{modes: []manyMode{forecastLocal}, flag: "save", msg: "flag --save with %[2]d series needs --global",
		hint: "a model file holds one model: train one network on all series with --global, or keep --save for one series"},
	{modes: []manyMode{trainLocal}, msg: "tsf train saves one model, and %[1]s has %[2]d series",
		hint:     "tsf train --id saves one model for all series only with --global (one network trained on the windows of every series); to fit each series its own model and forecast it, use tsf forecast --id",
		wideHint: "name one column with --target to train on it alone, train one network on all with --global, or forecast each column with its own model: tsf forecast FILE"},
}

// checkMode returns the usage error of the first rule of manyRules that
// the request breaks in mode on in, or nil.
func checkMode(mode manyMode, r *request, in *input) error {
	given := map[string]bool{"": true, "plot": r.plot != "", "save": r.save != ""}
	for _, rule := range manyRules {
		if !slices.Contains(rule.modes, mode) || !given[rule.flag] {
			continue
		}
		hint := rule.hint
		if rule.wideHint != "" && r.id() == "" {
			hint = rule.wideHint
		}
		return usagef(hint, rule.msg, in.name, in.count())
	}
	return nil
}

// manySetup checks --workers and returns it, the horizon of the series of
// in and the Options of model name for it: what every many-series mode
// that fits a model needs.
func manySetup(r *request, in *input, name string) (workers, h int, o forecast.Options, err error) {
	if workers, err = workersOf(r); err != nil {
		return 0, 0, o, err
	}
	if h, err = manyHorizon(r, in); err != nil {
		return 0, 0, o, err
	}
	return workers, h, r.options(name, h), nil
}

// runMany is tsf forecast and tsf train on many series: the collection
// default model without --model, in the mode its flags say (fitMode),
// checked against the mode rules (manyRules).
func runMany(ctx context.Context, e *env, r *request, in *input) error {
	name := r.modelFor(true)
	mode := fitMode(r, name)
	if err := checkMode(mode, r, in); err != nil {
		return err
	}
	if mode == forecastLocal {
		return runForecastMany(ctx, e, r, in, name)
	}
	return runGlobal(ctx, e, r, in, name)
}

// seriesProgress returns the done callback of a many-series run: a progress
// bar counting series on a terminal, nothing otherwise. End it with endBar.
func (u *ui) seriesProgress(n int, what string) func(int) {
	if !u.bars() || n == 0 {
		return nil
	}
	u.mu.Lock()
	u.bar = u.newBar(n, barStyle{desc: what, its: "series", showIts: true, elapsed: true})
	u.mu.Unlock()
	return func(int) {
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.bar != nil {
			u.bar.Add(1)
		}
	}
}

// describeInput says what was read (for --verbose).
func describeInput(in *input, h int) string {
	lo, hi := -1, 0
	freqs := map[string]int{}
	for _, s := range in.series {
		if lo < 0 || s.Len() < lo {
			lo = s.Len()
		}
		hi = max(hi, s.Len())
		freqs[s.Freq.String()]++
	}
	var fs []string
	for _, f := range slices.Sorted(func(yield func(string) bool) {
		for f := range freqs {
			if !yield(f) {
				return
			}
		}
	}) {
		fs = append(fs, fmt.Sprintf("%d %s", freqs[f], f))
	}
	return fmt.Sprintf("%s: %d series (%s) loaded, %d not; %d to %d points; %s; horizon %d",
		in.name, len(in.series), in.seriesNames(), len(in.failed), max(lo, 0), hi, strings.Join(fs, ", "), h)
}

// runForecastMany forecasts every series of in with a fresh local model
// (forecast.ForecastEach) and writes the long output.
func runForecastMany(ctx context.Context, e *env, r *request, in *input, name string) error {
	workers, h, o, err := manySetup(r, in, name)
	if err != nil {
		return err
	}
	nm, err := forecast.IntervalFactory(name, o, forecast.ConformalConfig{Horizon: h, Workers: 1})
	if err != nil {
		return usagef("see 'tsf forecast --help' for the model flags", "%v", err)
	}
	u := r.ui(e)
	if r.verbose {
		u.verbosef("%s", describeInput(in, h))
	}
	start := time.Now()
	done := u.seriesProgress(len(in.series), "forecasting")
	res := forecast.ForecastEach(ctx, in.series, nm, h, workers, done)
	u.endBar()
	return finishMany(ctx, e, r, u, in, name, h, res, time.Since(start))
}

// finishMany reports what was forecast, writes the successful forecasts
// (CSV to --out or standard output, or --json) and names every series that
// failed on standard error; any failure is an error (exit 1).
func finishMany(ctx context.Context, e *env, r *request, u *ui, in *input, model string, h int, res []forecast.SeriesForecast, took time.Duration) error {
	ok := 0
	for _, r := range res {
		if r.Err == nil {
			ok++
		}
	}
	if ctx.Err() != nil {
		// Nothing is written: a long file that lacks the unfinished series
		// would drop them silently.
		return fmt.Errorf("%d of %d series forecast before the interruption, nothing written: %w", ok, in.count(), context.Cause(ctx))
	}
	u.printf("%d of %d series forecast with %s in %s", ok, in.count(), model, took.Round(10*time.Millisecond))
	warnIntervalsEach(u, res)
	var failed []error
	failed = append(failed, in.failed...)
	for _, r := range res {
		if r.Err != nil {
			failed = append(failed, r.Err)
		}
	}
	for _, err := range failed {
		fmt.Fprintf(e.stderr, "tsf: error: %s\n", oneLine(err))
	}
	out := r.out
	if ok > 0 {
		if r.json {
			doc := manyJSON(in, model, h, res)
			if err := writeOutput(e, "-", func(w io.Writer) error { return writeJSON(w, doc) }); err != nil {
				return err
			}
		}
		if !r.json || (out != "" && out != "-") {
			if err := writeOutput(e, out, func(w io.Writer) error { return forecast.WriteLongCSV(w, in.idColumn, res) }); err != nil {
				return err
			}
		}
	}
	if len(failed) == 0 {
		return nil
	}
	if ok == 0 {
		return withHint(fmt.Errorf("none of the %d series could be forecast (each named above)", in.count()), "nothing was written")
	}
	where := "standard output"
	if out != "" && out != "-" {
		where = out
	}
	hint := fmt.Sprintf("the other %d were written to %s", ok, where)
	if ok == 1 {
		hint = "the other one was written to " + where
	}
	if len(in.failed) > 0 {
		if h := dataHint(in.failed[0]); h != "" {
			hint += "; " + h
		}
	}
	return withHint(fmt.Errorf("%d of %d series could not be forecast (each named above)", len(failed), in.count()), hint)
}

// oneLine flattens an error message, in the command line's words
// (flagspec.Message), to one line.
func oneLine(err error) string {
	return strings.ReplaceAll(strings.TrimSpace(flagspec.Message(err)), "\n", "; ")
}

// jsonSeries is one series' record in the many-series --json document:
// its forecast, or the error that prevented it.
type jsonSeries struct {
	ID       string     `json:"id"`
	Model    string     `json:"model,omitempty"`
	Strategy string     `json:"strategy,omitempty"`
	Forecast []jsonStep `json:"forecast,omitempty"`
	Error    string     `json:"error,omitempty"`
}

// jsonMany is the many-series --json document.
type jsonMany struct {
	IDColumn string       `json:"id_column"`
	Model    string       `json:"model"`
	Horizon  int          `json:"horizon"`
	Series   []jsonSeries `json:"series"`
}

func manyJSON(in *input, model string, h int, res []forecast.SeriesForecast) jsonMany {
	doc := jsonMany{IDColumn: in.idColumn, Model: model, Horizon: h, Series: []jsonSeries{}}
	for _, r := range res {
		js := jsonSeries{ID: forecast.SeriesID(r.Series)}
		if r.Err != nil {
			js.Error = oneLine(r.Err)
		} else {
			f := forecastJSON(r.Series, r.Forecast, nil)
			js.Model, js.Strategy, js.Forecast = f.Model, f.Strategy, f.Forecast
		}
		doc.Series = append(doc.Series, js)
	}
	for _, err := range in.failed {
		doc.Series = append(doc.Series, jsonSeries{ID: failedID(err), Error: oneLine(err)})
	}
	return doc
}

// failedID is the id of a series that failed to load.
func failedID(err error) string {
	var se *dataset.SeriesError
	if errors.As(err, &se) {
		return se.Series
	}
	return ""
}

// runPredictMany forecasts every series of in from its history with the
// loaded model m (forecast.PredictEach).
func runPredictMany(ctx context.Context, e *env, r *request, in *input, m forecast.Forecaster, h int) error {
	if err := checkMode(predictMany, r, in); err != nil {
		return err
	}
	workers, err := workersOf(r)
	if err != nil {
		return err
	}
	hp, ok := m.(forecast.HistoryPredictor)
	if !ok {
		return fmt.Errorf("--model-file: %s: %w", m.Name(), forecast.ErrNoHistory)
	}
	u := r.ui(e)
	start := time.Now()
	done := u.seriesProgress(len(in.series), "forecasting")
	res := forecast.PredictEach(ctx, hp, in.series, h, workers, done)
	u.endBar()
	return finishMany(ctx, e, r, u, in, m.Name(), h, res, time.Since(start))
}

// globalFlag is --global, on forecast and train.
func globalFlag() cli.Flag {
	return &cli.BoolFlag{Name: "global", Usage: "train ONE neural network (lstm, gru, rnn, mlp) on the windows of all series, each window normalised on its own, and forecast every series from its history"}
}

// skipper is a global model that lists the series it drew no window from.
type skipper interface {
	Skipped() []forecast.SkippedSeries
}

// runGlobal trains one global model on every series of in (FitGlobal);
// tsf train saves it, tsf forecast also forecasts every series from its
// history (forecast.PredictEach) and saves it with --save.
func runGlobal(ctx context.Context, e *env, r *request, in *input, name string) error {
	workers, h, o, err := manySetup(r, in, name)
	if err != nil {
		return err
	}
	u := r.ui(e)
	o.Progress = u.epochs(name + " (global)")
	if forecast.GlobalOnly(name) {
		o.Progress = u.epochs(name)
	}
	m, err := forecast.New(name, o)
	if err != nil {
		return usagef("see 'tsf forecast --help' for the model flags", "%v", err)
	}
	gf, ok := m.(forecast.GlobalFitter)
	hp, ok2 := m.(forecast.HistoryPredictor)
	if !ok || !ok2 {
		return usagef("--global trains the neural models: lstm, gru, rnn or mlp", "model %s cannot train across series", name)
	}
	if r.verbose {
		u.verbosef("%s", describeInput(in, h))
	}
	start := time.Now()
	fitErr := gf.FitGlobal(ctx, in.series)
	u.endBar()
	if fitErr != nil {
		_, perr := hp.PredictFrom(in.series[0], 1)
		if !errors.Is(fitErr, context.Canceled) || perr != nil {
			return fitError(fmt.Errorf("%s: %w", in.name, fitErr))
		}
		// Interrupted with weights: keep the best so far.
	}
	u.printf("%s", fitSummary(m, time.Since(start)))
	if sk, ok := m.(skipper); ok {
		for _, s := range sk.Skipped() {
			u.printf("warning: series %q: not trained on (%v); forecast from its history all the same", s.Series, s.Err)
		}
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
			u.printf("saved global %s model (%d series) to %s", m.Name(), len(in.series), p)
		}
	}
	if r.train {
		if len(in.failed) > 0 {
			for _, err := range in.failed {
				fmt.Fprintf(e.stderr, "tsf: error: %s\n", oneLine(err))
			}
			return withHint(fmt.Errorf("%d of %d series could not be loaded (each named above)", len(in.failed), in.count()),
				"the model was trained on the others")
		}
		return fitErr
	}
	pstart := time.Now()
	done := u.seriesProgress(len(in.series), "forecasting")
	res := forecast.PredictEach(ctx, hp, in.series, h, workers, done)
	u.endBar()
	label := name
	if !forecast.GlobalOnly(name) {
		label += " (global)"
	}
	if err := finishMany(ctx, e, r, u, in, label, h, res, time.Since(pstart)); err != nil {
		return err
	}
	return fitErr
}
