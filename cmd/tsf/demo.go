package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/longdep"
	"github.com/tsf-go/tsf/forecast/neural"
	"github.com/tsf-go/tsf/plots"
	"github.com/urfave/cli/v2"
)

// demoBudget is the size of one demo run.
type demoBudget struct {
	N, Lag, Hidden, Epochs int
	Rate, Gain, LR         float64
	FlowLength, FlowSteps  int
	// The adding problem, where the LSTM's memory shows: sequence lengths,
	// seeds and training steps per run.
	AddLengths         []int
	AddSeeds, AddSteps int
}

var (
	demoQuick = demoBudget{N: 10000, Lag: 60, Rate: 0.05, Gain: 0.5, Hidden: 32, Epochs: 20, LR: 5e-3, FlowLength: 50, FlowSteps: 150,
		AddLengths: []int{50}, AddSeeds: 1, AddSteps: 1000}
	demoFull = demoBudget{N: 20000, Lag: 100, Rate: 0.05, Gain: 0.5, Hidden: 32, Epochs: 30, LR: 5e-3, FlowLength: 100, FlowSteps: 600,
		AddLengths: []int{50, 100}, AddSeeds: 2, AddSteps: 2000}
)

// demoStretch is the number of consecutive test points the forecast
// pictures show.
const demoStretch = 40

func newDemoCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "the tour: RNN vs LSTM on a built-in spike-echo series, with baselines and pictures",
		Description: `Runs the main job of tsf on built-in synthetic data, no input file needed:

  1. generates a spike-echo series: random spikes, each recurring exactly
     --lag steps later at half its height, plus noise (series.csv);
  2. trains a vanilla RNN and an LSTM with the same budget and seed on the
     first 80% of it, with an input window of exactly --lag steps: the spike
     whose echo is due next is the window's first value, so a model must
     carry it across the whole window (the LSTM starts with the chrono
     initialisation, memory time scales up to twice the lag); then
     backtests them with the naive, seasonal naive (period = lag) and mean
     baselines on the last 20%: a one-step forecast of every test point,
     without refitting;
  3. writes into --out: forecast.png and comparison.png (the one-step
     forecasts over the test stretch with the largest echo due: the largest
     spike lag steps before a test point), loss.png, backtest.png,
     gradflow.png (the
     gradient ‖∂L/∂h_{T−k}‖ back through time on the adding problem, RNN vs
     LSTM) and metrics.csv;
  4. trains the RNN and the LSTM on the adding problem (the sum of two marked
     numbers, the first up to T steps back) with the same budget, and
     writes longdep.png: test MSE against T, with the 1/6 of predicting the
     mean drawn as the baseline;
and prints what the numbers show.

The reference errors are measured on the test points: the "oracle" knows
every spike that will echo and predicts the echo; predicting 0 remembers
nothing. A model that learnt the echo sits between them, close to the
oracle.

--quick finishes in under a minute on two cores; the full demo takes a few
minutes. Ctrl-C stops training and still writes what is finished.

Examples:
   tsf demo --quick
   tsf demo --out /tmp/demo
   tsf demo --quick --json`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "demo", Usage: "output `DIR` (created if needed)"},
			&cli.BoolFlag{Name: "quick", Usage: "a small budget: about a minute on two cores"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random `SEED` of the data, initialisation and shuffling"},
			&cli.IntFlag{Name: "lag", Usage: "echo lag in `STEPS`, and the input window (default 100; 60 with --quick)"},
			&cli.IntFlag{Name: "epochs", Usage: "training `EPOCHS` (default 20 quick, 30 full)"},
			&cli.BoolFlag{Name: "json", Usage: "print the metrics as JSON (as tsf backtest --json)"},
			// For tests: a tiny budget.
			&cli.IntFlag{Name: "n", Hidden: true, Usage: "series length"},
			&cli.IntFlag{Name: "flow-steps", Hidden: true, Usage: "gradient-flow training steps"},
			&cli.IntFlag{Name: "add-steps", Hidden: true, Usage: "adding-problem training steps (0: skip)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress on standard error"},
		},
		Action: func(c *cli.Context) error { return runDemo(c, e) },
	}
}

// demoRun is one tsf demo: its budget and output, parsed once from the
// command line (parseDemo), and the files it has written.
type demoRun struct {
	e    *env
	u    *ui
	b    demoBudget
	seed uint64
	dir  string
	json bool
	// done lists the files written after series.csv.
	done []string
}

// demoResults is what the demo's backtest measured: every model's
// one-step forecasts of the test points, and the oracle's MSE there.
type demoResults struct {
	names   []string
	results []*forecast.BacktestResult
	clocks  []*modelClock
	fitted  []forecast.Forecaster // each model's last fit
	test    int                   // test points
	window  int
	oracle  float64
}

func runDemo(c *cli.Context, e *env) error {
	d, err := parseDemo(c, e)
	if err != nil {
		return err
	}
	return d.run(c.Context)
}

// parseDemo parses and checks tsf demo's command line and creates the
// output directory.
func parseDemo(c *cli.Context, e *env) (*demoRun, error) {
	if c.NArg() > 0 {
		return nil, usagef("tsf demo needs no input file; use --out DIR", "unexpected argument %q", c.Args().First())
	}
	b := demoFull
	if c.Bool("quick") {
		b = demoQuick
	}
	if lag := c.Int("lag"); c.IsSet("lag") {
		if lag < 2 {
			return nil, usagef("--lag is at least 2 steps", "invalid value %d for flag --lag", lag)
		}
		b.Lag = lag
	}
	if epochs := c.Int("epochs"); c.IsSet("epochs") {
		if epochs < 1 {
			return nil, usagef("--epochs is a positive count", "invalid value %d for flag --epochs", epochs)
		}
		b.Epochs = epochs
	}
	if n := c.Int("n"); n > 0 {
		b.N = max(n, 20*b.Lag)
	}
	if c.IsSet("flow-steps") {
		b.FlowSteps = c.Int("flow-steps")
	}
	if c.IsSet("add-steps") {
		b.AddSteps = c.Int("add-steps")
	}
	dir := c.String("out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, withHint(fmt.Errorf("--out %s: %w", dir, unwrapErr(err)), "choose a directory you can write to")
	}
	if err := checkOutputPath("out", filepath.Join(dir, "metrics.csv")); err != nil {
		return nil, err
	}
	return &demoRun{e: e, u: newUI(e, c.Bool("quiet")), b: b, seed: c.Uint64("seed"), dir: dir, json: c.Bool("json")}, nil
}

// run runs the demo's parts in order: the data, the backtest, the
// pictures, the gradient flow, the adding problem and the summary. A
// cancellation skips the parts after the one it stopped and still writes
// the summary of what was measured.
func (d *demoRun) run(ctx context.Context) error {
	start := time.Now()
	s, spikes, stats, err := d.data()
	if err != nil {
		return err
	}
	r, runErr := d.backtest(ctx, s, spikes, stats)
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		return runErr
	}
	if err := d.pictures(s, r); err != nil {
		return err
	}
	var flows []longdep.Flow
	if runErr == nil {
		if flows, runErr = d.gradientFlow(ctx); runErr != nil && !errors.Is(runErr, context.Canceled) {
			return runErr
		}
	}
	var adding []longdep.Result
	if runErr == nil && d.b.AddSteps > 0 {
		if adding, runErr = d.adding(ctx); runErr != nil && !errors.Is(runErr, context.Canceled) {
			return runErr
		}
	}
	if err := d.summary(r, flows, adding, time.Since(start)); err != nil {
		return err
	}
	return runErr
}

// written records a file the demo wrote.
func (d *demoRun) written(name string) { d.done = append(d.done, name) }

// data draws the spike-echo series and writes it to series.csv.
func (d *demoRun) data() (*dataset.Series, []float64, dataset.SpikeEchoStats, error) {
	b := d.b
	s, spikes, stats := dataset.SpikeEchoSpikes(dataset.SpikeEchoConfig{N: b.N, Lag: b.Lag, Rate: b.Rate, Gain: b.Gain},
		rand.New(rand.NewPCG(d.seed, d.seed)))
	s.Name = "spike echo"
	if err := writeOutput(d.e, filepath.Join(d.dir, "series.csv"), func(w io.Writer) error { return seriesCSV(w, s) }); err != nil {
		return nil, nil, stats, err
	}
	d.u.printf("spike-echo series: %d hourly points, lag %d, spike rate %g, echo gain %g; expected one-step MSE: oracle %.4f, lag-free %.4f",
		b.N, b.Lag, b.Rate, b.Gain, stats.OracleMSE, stats.LagFreeMSE)
	return s, spikes, stats, nil
}

// backtest trains every model once on the first 80% of s, then forecasts
// one step ahead from every origin of the last 20%; spikes are the spikes
// whose echoes the oracle knows, stats what the construction expects. It
// writes metrics.csv.
func (d *demoRun) backtest(ctx context.Context, s *dataset.Series, spikes []float64, stats dataset.SpikeEchoStats) (*demoResults, error) {
	b, u := d.b, d.u
	test := b.N / 5
	r := &demoResults{names: []string{"rnn", "lstm", "naive", "snaive", "mean"}, test: test, window: b.Lag}
	// The oracle on the test points: it predicts the echo due.
	for t := b.N - test; t < b.N; t++ {
		e := s.Values[t] - b.Gain*spikes[t-b.Lag]
		r.oracle += e * e
	}
	r.oracle /= float64(test)
	names := r.names
	r.clocks = make([]*modelClock, len(names))
	factories := make([]forecast.Factory, len(names))
	progress := u.sharedEpochs(2 * b.Epochs) // rnn and lstm train at once
	for i, n := range names {
		r.clocks[i] = &modelClock{}
		var build func() (forecast.Forecaster, error)
		switch n {
		case "rnn", "lstm":
			cfg := neural.NeuralConfig{Model: n, Window: r.window, Horizon: 1, Hidden: b.Hidden, Epochs: b.Epochs,
				LR: b.LR, Schedule: "cosine", Normalize: neural.NormNone, Transform: neural.TransformNone, Loss: "mse",
				Patience: b.Epochs, Seed: d.seed, Progress: progress(n)}
			if n == "lstm" {
				cfg.Chrono = 2 * b.Lag
			}
			build = func() (forecast.Forecaster, error) { return neural.NewNeural(cfg) }
		default:
			build = func() (forecast.Forecaster, error) { return forecast.New(n, forecast.Options{Season: b.Lag}) }
		}
		if _, err := build(); err != nil {
			return nil, err
		}
		factories[i] = func() forecast.Forecaster {
			f, _ := build()
			return &timed{Forecaster: f, clock: r.clocks[i]}
		}
	}
	u.printf("training rnn and lstm (%d epochs, window %d, hidden %d; lstm chrono %d) and backtesting on the last %d points one step ahead...",
		b.Epochs, r.window, b.Hidden, 2*b.Lag, test)
	var runErr error
	r.results, runErr = forecast.Compare(ctx, s, factories,
		forecast.BacktestConfig{Horizon: 1, Folds: test, RefitEvery: test, Season: b.Lag})
	u.endBar()
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		return nil, runErr
	}
	r.fitted = make([]forecast.Forecaster, len(names))
	for i, cl := range r.clocks {
		r.fitted[i] = cl.last
	}
	for i, n := range names[:2] {
		if nn := neuralOf(r.fitted[i]); nn != nil {
			u.printf("%s", fitSummary(nn, r.clocks[i].total))
		} else {
			u.printf("%s: not finished", n)
		}
	}
	// metrics.csv.
	if len(r.results) > 0 {
		if err := writeOutput(d.e, filepath.Join(d.dir, "metrics.csv"), func(w io.Writer) error {
			return demoMetricsCSV(w, names, r.results, r.clocks, r.oracle, stats)
		}); err != nil {
			return nil, err
		}
		d.written("metrics.csv")
	}
	return r, runErr
}

// pictures draws the backtest's forecasts, errors and loss curves.
func (d *demoRun) pictures(s *dataset.Series, r *demoResults) error {
	names, results := r.names, r.results
	if len(results) > 0 {
		if err := demoForecastPlots(s, d.b.Lag, names, results, filepath.Join(d.dir, "forecast.png"), filepath.Join(d.dir, "comparison.png")); err != nil {
			return err
		}
		d.written("forecast.png")
		d.written("comparison.png")
		if err := demoBlocksPlot(names, results, filepath.Join(d.dir, "backtest.png")); err == nil {
			d.written("backtest.png")
		}
	}
	var curves []plots.LossCurve
	for i, n := range names[:2] {
		if nn := neuralOf(r.fitted[i]); nn != nil && len(nn.History().Train) > 0 {
			h := nn.History()
			curves = append(curves, plots.LossCurve{Model: n, Train: h.Train, Valid: h.Val})
		}
	}
	if len(curves) == 0 {
		return nil
	}
	p, err := plots.Loss(plots.LossInput{Title: "Training and validation loss on the spike-echo series", Loss: "MSE (scaled units²)", Curves: curves})
	if err != nil {
		return err
	}
	if err := savePlot(p, filepath.Join(d.dir, "loss.png")); err != nil {
		return err
	}
	d.written("loss.png")
	return nil
}

// gradientFlow measures the gradient flow of rnn and lstm on the adding
// problem and draws it, also after a cancellation (the models finished).
func (d *demoRun) gradientFlow(ctx context.Context) ([]longdep.Flow, error) {
	b := d.b
	d.u.printf("measuring gradient flow on the adding problem (T = %d, %d training steps)...", b.FlowLength, b.FlowSteps)
	fc := longdep.FlowConfig{Length: b.FlowLength}
	fc.Models = []string{"rnn", "lstm"}
	fc.Steps = b.FlowSteps
	fc.Seed = d.seed
	flows, err := longdep.GradientFlow(ctx, fc)
	if err != nil && !errors.Is(err, context.Canceled) {
		return nil, err
	}
	if len(flows) > 0 {
		in := plots.GradientInput{Title: fmt.Sprintf("Gradient flow back through time (adding problem, T = %d)", b.FlowLength)}
		for _, f := range flows {
			in.Curves = append(in.Curves, plots.GradientCurve{Model: f.Model, Init: f.Init, Trained: f.Trained})
		}
		p, perr := plots.GradientFlow(in)
		if perr != nil {
			return nil, perr
		}
		if perr := savePlot(p, filepath.Join(d.dir, "gradflow.png")); perr != nil {
			return nil, perr
		}
		d.written("gradflow.png")
	}
	return flows, err
}

// adding trains rnn and lstm on the adding problem, the task on which the
// LSTM's memory shows, with the same budget for both models, and draws
// the results, also after a cancellation (the runs finished).
func (d *demoRun) adding(ctx context.Context) ([]longdep.Result, error) {
	b := d.b
	d.u.printf("training rnn and lstm on the adding problem (T = %v, %d steps, %d seed(s))...", b.AddLengths, b.AddSteps, b.AddSeeds)
	ac := longdep.Config{Task: longdep.Adding, Lengths: b.AddLengths, Models: []string{"rnn", "lstm"},
		Seeds: b.AddSeeds, Seed: d.seed, Steps: b.AddSteps}
	adding, err := longdep.Run(ctx, ac)
	if err != nil && !errors.Is(err, context.Canceled) {
		return nil, err
	}
	if len(adding) > 0 {
		if perr := plotLongdep(adding, filepath.Join(d.dir, "longdep.png")); perr != nil {
			return nil, perr
		}
		d.written("longdep.png")
	}
	return adding, err
}

// summary prints what the demo measured, measured numbers only: the
// backtest's table (or its JSON), the gradient flows, the adding problem,
// and the files written in took.
func (d *demoRun) summary(r *demoResults, flows []longdep.Flow, adding []longdep.Result, took time.Duration) error {
	names, results, clocks := r.names, r.results, r.clocks
	if d.json {
		return writeJSON(d.e.stdout, resultsJSON(names, results, clocks))
	}
	b, w := d.b, d.e.stdout
	fmt.Fprintf(w, "tsf demo: spike echo, lag %d, echo gain %g, %d points; trained on %d with a window of %d, tested one step ahead on %d\n\n",
		b.Lag, b.Gain, b.N, b.N-r.test, r.window, r.test)
	resultsTable(w, names, results, clocks)
	zero := 0.0
	if len(results) > 0 && results[0] != nil {
		zero = testMSE(results[0], true)
	}
	fmt.Fprintf(w, "\nMSE over the test points: predicting 0 (remembers nothing) %.4f; the oracle that knows every echo %.4f\n",
		zero, r.oracle)
	for i, res := range results {
		if res == nil || i >= 2 {
			continue
		}
		mse := testMSE(res, false)
		share := 100 * (zero - mse) / (zero - r.oracle)
		if math.Abs(share) < 0.5 {
			share = 0 // not "-0"
		}
		fmt.Fprintf(w, "%-5s test MSE %.4f: %.0f%% of the way from predicting 0 to the oracle\n", names[i], mse, share)
	}
	for _, f := range flows {
		last := len(f.Init) - 1
		fmt.Fprintf(w, "%-5s gradient ‖∂L/∂h_{T−k}‖ falls by a factor %s from k = 0 to k = %d at initialisation",
			f.Model, fmtFactor(longdep.Decay(f.Init)), last)
		if f.Trained != nil {
			fmt.Fprintf(w, ", %s after %d steps", fmtFactor(longdep.Decay(f.Trained)), f.Steps)
		}
		fmt.Fprintln(w)
	}
	for _, res := range adding {
		fmt.Fprintf(w, "%-5s adding problem T = %d: test MSE %.4f (predicting the mean: %.4f)", res.Model, res.Length, res.MSEMean, res.Baseline)
		if res.StepsTo != nil {
			fmt.Fprintf(w, ", below 0.01 after %d steps", *res.StepsTo)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nwrote %d files to %s in %s:", len(d.done)+1, d.dir, took.Round(100*time.Millisecond))
	for _, f := range append([]string{"series.csv"}, d.done...) {
		fmt.Fprintf(w, " %s", f)
	}
	fmt.Fprintln(w)
	return nil
}

// testMSE is the MSE over every test point of a backtest, of the model's
// forecasts or (zero = true) of predicting 0.
func testMSE(r *forecast.BacktestResult, zero bool) float64 {
	var sum float64
	var n int
	for _, f := range r.Folds {
		for k, a := range f.Actual {
			d := a
			if !zero {
				d -= f.Forecast.Values[k]
			}
			sum += d * d
			n++
		}
	}
	return sum / float64(n)
}

func fmtFactor(x float64) string {
	switch {
	case math.IsInf(x, 0):
		return "∞ (it reaches exactly 0)"
	case x >= 1000 || x < 0.01:
		return fmt.Sprintf("%.1e", x)
	}
	return fmt.Sprintf("%.3g", x)
}

// demoMetricsCSV writes one row per model, then the reference errors:
// measured on the test points (oracle is the oracle's MSE there) and
// expected from the construction.
func demoMetricsCSV(w io.Writer, names []string, rs []*forecast.BacktestResult, clocks []*modelClock, oracle float64, st dataset.SpikeEchoStats) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"model", "mae", "rmse", "mse", "smape", "mase", "folds", "seconds"})
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for i, r := range rs {
		if r == nil {
			continue
		}
		cw.Write([]string{names[i], f(r.Mean.MAE), f(r.Mean.RMSE), f(testMSE(r, false)), f(r.Mean.SMAPE), f(r.Mean.MASE),
			strconv.Itoa(len(r.Folds)), f(clocks[i].total.Seconds())})
	}
	if len(rs) > 0 && rs[0] != nil {
		z := testMSE(rs[0], true)
		cw.Write([]string{"zero (measured)", "", f(math.Sqrt(z)), f(z), "", "", "", ""})
	}
	cw.Write([]string{"oracle (measured)", "", f(math.Sqrt(oracle)), f(oracle), "", "", "", ""})
	cw.Write([]string{"oracle (expected)", "", f(math.Sqrt(st.OracleMSE)), f(st.OracleMSE), "", "", "", ""})
	cw.Write([]string{"lag-free (expected)", "", f(math.Sqrt(st.LagFreeMSE)), f(st.LagFreeMSE), "", "", "", ""})
	cw.Flush()
	return cw.Error()
}

// demoForecastPlots draws the one-step forecasts over the demoStretch test
// points around the one with the largest echo due (the largest value lag
// steps before it): the LSTM's with its intervals, and every model's.
func demoForecastPlots(s *dataset.Series, lag int, names []string, rs []*forecast.BacktestResult, fcPath, cmpPath string) error {
	ref := rs[1] // lstm
	if ref == nil || len(ref.Folds) == 0 {
		return nil
	}
	best, bestV := 0, -1.0
	for k, f := range ref.Folds {
		if i := f.Origin - lag; i >= 0 && math.Abs(s.Values[i]) > bestV {
			best, bestV = k, math.Abs(s.Values[i])
		}
	}
	hi := min(len(ref.Folds), max(best+demoStretch/2, demoStretch))
	lo := max(0, hi-demoStretch)
	stretch := ref.Folds[lo:hi]
	// oneStep gathers step 1 of every fold of the stretch.
	oneStep := func(folds []forecast.Fold, get func(forecast.Fold) float64) []float64 {
		out := make([]float64, len(folds))
		for k, f := range folds {
			out[k] = get(f)
		}
		return out
	}
	times := make([]time.Time, len(stretch))
	for k, f := range stretch {
		times[k] = f.Forecast.Time[0]
	}
	actual := oneStep(stretch, func(f forecast.Fold) float64 { return f.Actual[0] })
	hist := s.Slice(0, stretch[0].Origin)
	const title = "one-step forecasts over the test stretch with the largest echo due"
	fin := plots.ForecastInput{Title: "LSTM " + title, Model: "lstm", Unit: "value",
		HistoryTime: hist.Time, History: hist.Values, Context: lag, Time: times,
		Forecast: oneStep(stretch, func(f forecast.Fold) float64 { return f.Forecast.Values[0] }), Actual: actual}
	for li, iv := range stretch[0].Forecast.Intervals {
		lower := oneStep(stretch, func(f forecast.Fold) float64 { return f.Forecast.Intervals[li].Lo[0] })
		upper := oneStep(stretch, func(f forecast.Fold) float64 { return f.Forecast.Intervals[li].Hi[0] })
		if finite(lower) && finite(upper) {
			fin.Intervals = append(fin.Intervals, plots.Interval{Level: iv.Level, Lower: lower, Upper: upper})
		}
	}
	p, err := plots.Forecast(fin)
	if err != nil {
		return err
	}
	if err := savePlot(p, fcPath); err != nil {
		return err
	}
	cin := plots.ComparisonInput{Title: "One-step forecasts over the test stretch with the largest echo due", Unit: "value",
		HistoryTime: hist.Time, History: hist.Values, Context: lag, Time: times, Actual: actual}
	for i, r := range rs {
		if r == nil || hi > len(r.Folds) {
			continue
		}
		cin.Forecasts = append(cin.Forecasts, plots.ModelForecast{Model: names[i], MASE: r.Mean.MASE,
			Values: oneStep(r.Folds[lo:hi], func(f forecast.Fold) float64 { return f.Forecast.Values[0] })})
	}
	p, err = plots.Comparison(cin)
	if err != nil {
		return err
	}
	return savePlot(p, cmpPath)
}

// demoBlocks is the number of consecutive blocks of one-step test forecasts
// backtest.png shows: one bar per model and block, not one per forecast.
const demoBlocks = 20

// demoBlocksPlot draws each model's test MSE over demoBlocks consecutive
// blocks of its one-step forecasts.
func demoBlocksPlot(names []string, rs []*forecast.BacktestResult, path string) error {
	n := -1
	for _, r := range rs {
		if r != nil && (n < 0 || len(r.Folds) < n) {
			n = len(r.Folds)
		}
	}
	if n <= 0 {
		return nil
	}
	size := max(1, n/demoBlocks)
	in := plots.BacktestInput{Title: "One-step test error over time", Unit: fmt.Sprintf("block of %d consecutive test points", size),
		Metric: "MSE"}
	for i, r := range rs {
		if r == nil {
			continue
		}
		me := plots.ModelErrors{Model: names[i]}
		for lo := 0; lo+size <= n; lo += size {
			block := &forecast.BacktestResult{Folds: r.Folds[lo : lo+size]}
			me.Errors = append(me.Errors, testMSE(block, false))
		}
		in.Models = append(in.Models, me)
	}
	p, err := plots.Backtest(in)
	if err != nil {
		return err
	}
	return savePlot(p, path)
}
