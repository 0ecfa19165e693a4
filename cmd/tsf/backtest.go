package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/plots"
	"github.com/urfave/cli/v2"
)

func newBacktestCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "backtest",
		Usage:     "rolling-origin evaluation of several models on the same folds",
		ArgsUsage: "FILE.csv|-",
		Description: `Evaluates every model of --models on the same rolling origins: fold k trains on
the points before its origin (the last --max-train of them, if set) and
forecasts the next --horizon points, which it never saw. With the default
--step the test windows are the last --folds × --horizon points. Every model
gets the same folds, budget and seed.

Prints MAE, RMSE, sMAPE and MASE per model (averaged over folds; MASE scales
by the in-sample seasonal-naive error, so below 1 beats it), the observed
coverage of the 80% and 95% intervals where a model gives them, and the wall
time spent fitting and forecasting each model.

Many series: with --id COLUMN (a long file, one row per series and time) or a
file of several value columns (no --target), every model is backtested on
every series, the series spread over --workers cores (the output does not
depend on it). The table then gives, per model, the mean over series of
sMAPE and MASE, the observed coverage of the 80% and 95% intervals, the
MSIS of the 95% interval (mean scaled interval score, M4's; "-" for models
without intervals), the number of series, and the seconds spent on the
model summed over series. Means are over the series every model backtested,
so the models are compared on the same series; a series that a model
cannot backtest (too short for the folds, bad cells) is named on standard
error and the exit status is 1. --per-series FILE writes one CSV row per
series and model ("<id column>,model,smape,mase,mae,rmse,cover80,cover95,
msis,folds,seconds,error"); --plot draws the distribution of per-series
MASE for each model.

Examples:
   tsf backtest sales.csv --target sales --models lstm,snaive,ets --horizon 12 --folds 3
   tsf backtest air.csv --models rnn,lstm,naive --horizon 6 --folds 5 --max-train 96 --plot bt.png
   tsf backtest - --models ets,drift --json < series.csv
   tsf backtest m3.csv --id series --target value --models lstm,rnn,snaive,ets --horizon 18 --per-series scores.csv --plot mase.png`,
		Flags: append(compareFlags("lstm,snaive,ets", true),
			idFlag("every series is backtested, the table averages over series"),
			&cli.StringFlag{Name: "per-series", Usage: "with many series: write every model's scores on every series to `FILE` (CSV)"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "say what was read (even with --quiet)"},
		),
		Action: func(c *cli.Context) error {
			r, err := parseCompare(c, false)
			if err != nil {
				return err
			}
			return runCompare(c.Context, e, r)
		},
	}
}

func newCompareCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "hold out the last --horizon points and compare models' forecasts of them",
		ArgsUsage: "FILE.csv|-",
		Description: `Holds out the last --horizon points, fits every model of --models on the rest
with the same budget and seed, and compares their forecasts with what really
happened: a metrics table (as in tsf backtest, one fold) and, with --plot, the
forecasts overlaid on the actual values.

Examples:
   tsf generate --kind echo --lag 12 > echo.csv
   tsf compare echo.csv --models rnn,lstm --horizon 24 --plot compare.png
   tsf compare air.csv --target passengers --models lstm,ets,snaive --json`,
		Flags: compareFlags("rnn,lstm", false),
		Action: func(c *cli.Context) error {
			r, err := parseCompare(c, true)
			if err != nil {
				return err
			}
			return runCompare(c.Context, e, r)
		},
	}
}

// collectionBacktestModels are tsf backtest's models on many series
// without --models: the collection default beside the classical models it
// combines and the seasonal naive forecast.
var collectionBacktestModels = []string{collectionModel, "ets", "theta", "snaive"}

func compareFlags(models string, folds bool) []cli.Flag {
	fl := []cli.Flag{
		&cli.StringFlag{Name: "models", Value: models, Usage: "`MODELS`, comma-separated: " + strings.ReplaceAll(modelNames, "|", ",")},
	}
	if folds {
		fl[0].(*cli.StringFlag).Usage += " (many series: " + strings.Join(collectionBacktestModels, ",") + ")"
	}
	if folds {
		fl = append(fl,
			&cli.IntFlag{Name: "folds", Value: 3, Usage: "number of rolling `ORIGINS`"},
			&cli.IntFlag{Name: "step", Usage: "`STEPS` between origins (default: --horizon)"},
			&cli.IntFlag{Name: "max-train", Usage: "train on at most the last `N` points before each origin (default: all)"},
			&cli.IntFlag{Name: "refit-every", Usage: "refit at every `K`th fold and forecast the folds between from their new history without refitting (default: refit at every fold)"},
		)
	}
	fl = append(fl, dataFlags()...)
	fl = append(fl, trainFlags()...)
	return append(fl,
		&cli.StringFlag{Name: "plot", Usage: "draw the comparison to `FILE` (.png, .svg or .pdf)"},
		&cli.BoolFlag{Name: "json", Usage: "write one JSON document to standard output"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress or messages on standard error"},
		&cli.IntFlag{Name: "workers", Usage: "`N` fits at once (default: the number of CPUs); results do not depend on it"},
	)
}

// timed wraps a Forecaster and adds the wall time of its Fit and Predict
// calls to a per-model total, and counts finished fits.
type timed struct {
	forecast.Forecaster
	clock *modelClock
}

type modelClock struct {
	mu    sync.Mutex
	total time.Duration
	done  func()
	last  forecast.Forecaster // the model of the last finished Fit
}

func (t *timed) Fit(ctx context.Context, s *dataset.Series) error {
	start := time.Now()
	err := t.Forecaster.Fit(ctx, s)
	t.clock.add(time.Since(start))
	t.clock.mu.Lock()
	t.clock.last = t.Forecaster
	t.clock.mu.Unlock()
	if t.clock.done != nil {
		t.clock.done()
	}
	return err
}

func (t *timed) Predict(h int) (*forecast.Forecast, error) {
	start := time.Now()
	f, err := t.Forecaster.Predict(h)
	t.clock.add(time.Since(start))
	return f, err
}

func (t *timed) PredictFrom(history *dataset.Series, h int) (*forecast.Forecast, error) {
	start := time.Now()
	f, err := forecast.PredictFrom(t.Forecaster, history, h)
	t.clock.add(time.Since(start))
	return f, err
}

func (c *modelClock) add(d time.Duration) {
	c.mu.Lock()
	c.total += d
	c.mu.Unlock()
}

// runCompare is backtest and compare (r.hold: one fold, the last
// --horizon points).
func runCompare(ctx context.Context, e *env, r *request) error {
	names := r.models
	var s *dataset.Series
	var err error
	if r.hold {
		s, err = loadSeries(e, r)
		if err != nil {
			return err
		}
	} else {
		in, err := loadInput(e, r)
		if err != nil {
			return err
		}
		if in.many() {
			if r.id() == "" && r.target == "" {
				r.ui(e).printf("%s has %d value columns (%s): each is a series (name one with --target to backtest it alone)", in.name, in.count(), in.seriesNames())
			}
			if !r.modelsSet {
				names = collectionBacktestModels
			}
			return runBacktestMany(ctx, e, r, in, names)
		}
		s = in.series[0]
	}
	h := r.horizonFor(r.seasonOf(s))
	cfg := r.backtest
	cfg.Horizon = h

	u := r.ui(e)
	var bar *progressbar.ProgressBar
	if u.bars() {
		bar = u.newBar(len(names)*cfg.Folds, barStyle{desc: "fits"})
	}
	clocks := make([]*modelClock, len(names))
	factories := make([]forecast.Factory, len(names))
	for i, n := range names {
		o := r.options(n, h)
		if _, err := forecast.New(n, o); err != nil {
			return usagef("see 'tsf backtest --help' for the model flags", "%v", err)
		}
		clock := &modelClock{}
		if bar != nil {
			clock.done = func() { bar.Add(1) }
		}
		clocks[i] = clock
		factories[i] = func() forecast.Forecaster {
			f, _ := forecast.New(n, o)
			return &timed{Forecaster: f, clock: clock}
		}
	}
	results, runErr := forecast.Compare(ctx, s, factories, cfg)
	if bar != nil {
		bar.Clear()
		bar.Exit()
	}
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		return fitError(runErr)
	}
	if len(results) == 0 {
		return runErr
	}
	for i, r := range results {
		if r != nil {
			u.printf("%s: %d folds, %s fitting and forecasting", names[i], len(r.Folds), clocks[i].total.Round(time.Millisecond))
		}
	}
	if r.json {
		err = writeOutput(e, "-", func(w io.Writer) error { return writeJSON(w, resultsJSON(names, results, clocks)) })
	} else {
		err = writeOutput(e, "-", func(w io.Writer) error { return resultsTable(w, names, results, clocks) })
	}
	if err != nil {
		return err
	}
	if p := r.plot; p != "" {
		var perr error
		if r.hold {
			perr = comparisonPlot(s, names, results, p)
		} else {
			perr = backtestPlot(s, names, results, p)
		}
		if perr != nil {
			return perr
		}
	}
	return runErr
}

type jsonFold struct {
	Fold       int            `json:"fold"`
	TrainStart int            `json:"train_start"`
	Origin     int            `json:"origin"`
	MAE        num            `json:"mae"`
	RMSE       num            `json:"rmse"`
	SMAPE      num            `json:"smape"`
	MASE       num            `json:"mase"`
	Coverage   map[string]num `json:"coverage,omitempty"`
}

type jsonResult struct {
	Model    string         `json:"model"`
	MAE      num            `json:"mae"`
	RMSE     num            `json:"rmse"`
	SMAPE    num            `json:"smape"`
	MASE     num            `json:"mase"`
	Coverage map[string]num `json:"coverage,omitempty"`
	Seconds  num            `json:"seconds"`
	Folds    []jsonFold     `json:"folds"`
}

func coverageMap(cs []forecast.Coverage) map[string]num {
	if len(cs) == 0 {
		return nil
	}
	m := map[string]num{}
	for _, c := range cs {
		m[fmt.Sprintf("%g", 100*c.Level)] = num(c.Observed)
	}
	return m
}

func resultsJSON(names []string, rs []*forecast.BacktestResult, clocks []*modelClock) []jsonResult {
	var out []jsonResult
	for i, r := range rs {
		if r == nil {
			continue
		}
		j := jsonResult{Model: names[i], MAE: num(r.Mean.MAE), RMSE: num(r.Mean.RMSE), SMAPE: num(r.Mean.SMAPE),
			MASE: num(r.Mean.MASE), Coverage: coverageMap(r.Coverage), Seconds: num(clocks[i].total.Seconds()), Folds: []jsonFold{}}
		for _, f := range r.Folds {
			j.Folds = append(j.Folds, jsonFold{Fold: f.Index, TrainStart: f.TrainStart, Origin: f.Origin,
				MAE: num(f.Scores.MAE), RMSE: num(f.Scores.RMSE), SMAPE: num(f.Scores.SMAPE), MASE: num(f.Scores.MASE),
				Coverage: coverageMap(f.Coverage)})
		}
		out = append(out, j)
	}
	return out
}

func fmtNum(v float64, prec int) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.*f", prec, v)
}

func resultsTable(w io.Writer, names []string, rs []*forecast.BacktestResult, clocks []*modelClock) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tMAE\tRMSE\tsMAPE%\tMASE\tcover80\tcover95\tfolds\tseconds\t")
	for i, r := range rs {
		if r == nil {
			continue
		}
		cov := map[float64]float64{}
		for _, c := range r.Coverage {
			cov[math.Round(100*c.Level)] = c.Observed
		}
		covs := func(l float64) string {
			if v, ok := cov[l]; ok {
				return fmt.Sprintf("%.0f%%", 100*v)
			}
			return "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%.2f\t\n", names[i], fmtNum(r.Mean.MAE, 4), fmtNum(r.Mean.RMSE, 4),
			fmtNum(r.Mean.SMAPE, 2), fmtNum(r.Mean.MASE, 3), covs(80), covs(95), len(r.Folds), clocks[i].total.Seconds())
	}
	return tw.Flush()
}

func backtestPlot(s *dataset.Series, names []string, rs []*forecast.BacktestResult, path string) error {
	in := plots.BacktestInput{Metric: "MAE (" + s.Name + ")"}
	n := -1
	for _, r := range rs {
		if r != nil && (n < 0 || len(r.Folds) < n) {
			n = len(r.Folds)
		}
	}
	for i, r := range rs {
		if r == nil || n <= 0 {
			continue
		}
		me := plots.ModelErrors{Model: names[i]}
		for _, f := range r.Folds[:n] {
			me.Errors = append(me.Errors, f.Scores.MAE)
		}
		in.Models = append(in.Models, me)
	}
	p, err := plots.Backtest(in)
	if err != nil {
		return err
	}
	return savePlot(p, path)
}

func comparisonPlot(s *dataset.Series, names []string, rs []*forecast.BacktestResult, path string) error {
	var in plots.ComparisonInput
	in.Unit = s.Name
	for i, r := range rs {
		if r == nil || len(r.Folds) == 0 {
			continue
		}
		f := r.Folds[0]
		if in.Actual == nil {
			in.History = s.Values[:f.Origin]
			if s.Time != nil {
				in.HistoryTime = s.Time[:f.Origin]
				in.Time = f.Forecast.Time
			}
			in.Actual = f.Actual
		}
		in.Forecasts = append(in.Forecasts, plots.ModelForecast{Model: names[i], Values: f.Forecast.Values, MASE: f.Scores.MASE})
	}
	p, err := plots.Comparison(in)
	if err != nil {
		return err
	}
	return savePlot(p, path)
}
