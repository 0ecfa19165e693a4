// Command evaluate backtests tsf's forecasters on the real series in
// ../shared/data with one fixed protocol and prints the MASE table of
// docs/EVALUATION.md, with the wall time of every model.
//
// The protocol, the same for every series and every model: horizon H = 12
// (monthly), 14 (daily), 24 (hourly); 3 rolling-origin folds whose test
// windows are the last 3·H points, H each; each fold trains on everything
// before its origin (daily: only the last 3000 points, hourly: the last
// 5000); interior gaps and missing values are filled by linear
// interpolation first. MASE is scaled by the in-sample seasonal-naive MAE
// (lag 12, 7, 24) of each fold's training part and averaged over folds.
// Every model runs with the defaults the CLI picks from the data: nothing
// is tuned per series.
//
// Usage (from the repository root):
//
//	go run ./examples/evaluate -data ../shared/data
//	go run ./examples/evaluate -models lstm -series airline -p normalize=last
//	go run ./examples/evaluate -data examples/data -series airline   # from a clone alone
//
// examples/data holds two of the five series (airline, sunspots). Without
// the data directory it says so and exits 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/all"
	"github.com/tsf-go/tsf/forecast/neural"
)

// spec is one evaluation series and its protocol settings.
type spec struct {
	name   string // short name in the table
	file   string
	target string
	h, m   int // horizon and season (MASE lag)
	cap    int // training-window cap, 0 for none
}

var specs = []spec{
	{"airline_passengers", "airline_passengers.csv", "passengers", 12, 12, 0},
	{"sunspots_monthly", "sunspots_monthly.csv", "sunspots", 12, 12, 0},
	{"daily_min_temperatures", "daily_min_temperatures.csv", "min_temp", 14, 7, 3000},
	{"ETTh1", "ETTh1.csv", "OT", 24, 24, 5000},
	{"beijing_pm25_hourly", "beijing_pm25_hourly.csv", "pm2.5", 24, 24, 5000},
}

// reference holds the reference MASE (same protocol): naive,
// seasonal naive, statsmodels ETS (AIC-chosen), ARIMA (AIC grid), PyTorch
// LSTM and RNN.
var reference = map[string][6]float64{
	"airline_passengers":     {2.468, 1.213, 1.041, 0.946, 2.193, 2.380},
	"sunspots_monthly":       {1.905, 1.595, 1.571, 1.335, 0.865, 0.981},
	"daily_min_temperatures": {0.855, 0.871, 0.730, 0.656, 0.650, 0.671},
	"ETTh1":                  {0.638, 0.860, 0.519, 0.602, 0.577, 0.649},
	"beijing_pm25_hourly":    {1.654, 1.147, 1.653, 1.689, 1.149, 1.192},
}

var referenceNames = [6]string{"naive (ref)", "snaive (ref)", "ETS statsmodels", "ARIMA", "PyTorch LSTM", "PyTorch RNN"}

// labels names tsf's models in the table.
var labels = map[string]string{
	"naive":  "tsf naive",
	"snaive": "tsf seasonal naive",
	"ets":    "tsf Holt-Winters (ets)",
	"lstm":   "tsf LSTM",
	"gru":    "tsf GRU",
	"rnn":    "tsf RNN",
	"mlp":    "tsf MLP",
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "evaluate: error:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// result is one model's backtest on one series.
type result struct {
	scores forecast.Scores
	wall   time.Duration
	err    error
	chosen []string // neural models: what each fold's fit resolved, in fit order
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", filepath.Join("..", "shared", "data"), "directory holding the shared CSV files")
	modelList := fs.String("models", "naive,snaive,ets,lstm,gru,rnn", "comma-separated tsf models to evaluate")
	only := fs.String("series", "", "comma-separated substrings: evaluate only the series whose name contains one")
	params := fs.String("p", "", "neural model parameters, key=value,... (e.g. normalize=last,ensemble=1): for experiments; the table is for the defaults")
	seed := fs.Uint64("seed", 1, "seed of every model")
	workers := fs.Int("workers", 0, "folds fitted at once (0: GOMAXPROCS); results do not depend on it")
	out := fs.String("o", "", "also write the markdown to this file")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if st, err := os.Stat(*data); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "evaluate: data directory %s not found; nothing to evaluate (pass -data DIR)\n", *data)
		return nil
	}
	models := strings.Split(*modelList, ",")
	for _, m := range models {
		if !slices.Contains(forecast.Names(), m) {
			return fmt.Errorf("%w: -models: unknown model %q (have %s)", errUsage, m, strings.Join(forecast.Names(), ", "))
		}
	}
	pm := map[string]string{}
	if *params != "" {
		for _, kv := range strings.Split(*params, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("%w: -p: %q is not key=value", errUsage, kv)
			}
			pm[k] = v
		}
	}
	var chosen []spec
	for _, sp := range specs {
		if *only == "" || slices.ContainsFunc(strings.Split(*only, ","), func(s string) bool { return strings.Contains(sp.name, s) }) {
			chosen = append(chosen, sp)
		}
	}
	if len(chosen) == 0 {
		return fmt.Errorf("%w: -series %q matches none of the series", errUsage, *only)
	}

	results := map[string]map[string]result{}
	for _, sp := range chosen {
		path := filepath.Join(*data, sp.file)
		fr, err := dataset.ReadCSV(path, dataset.Options{Targets: []string{sp.target},
			Missing: dataset.MissingInterpolate, Gaps: dataset.GapFill})
		if err != nil {
			return err
		}
		s := fr.Series[0]
		results[sp.name] = map[string]result{}
		for _, m := range models {
			r := evaluate(ctx, s, sp, m, pm, *seed, *workers)
			if err := ctx.Err(); err != nil {
				return err
			}
			results[sp.name][m] = r
			if r.err != nil {
				fmt.Fprintf(stderr, "%-24s %-7s error: %v\n", sp.name, m, r.err)
				continue
			}
			fmt.Fprintf(stderr, "%-24s %-7s MASE %.3f  sMAPE %6.2f  MAE %8.3f  RMSE %8.3f  %7.1fs\n",
				sp.name, m, r.scores.MASE, r.scores.SMAPE, r.scores.MAE, r.scores.RMSE, r.wall.Seconds())
			for _, c := range r.chosen {
				fmt.Fprintf(stderr, "    fit: %s\n", c)
			}
		}
	}
	var b strings.Builder
	writeTables(&b, chosen, models, results, pm)
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return err
	}
	if *out != "" {
		return writeFile(*out, b.String())
	}
	return nil
}

// evaluate backtests model m on s with the protocol of sp.
func evaluate(ctx context.Context, s *dataset.Series, sp spec, m string, pm map[string]string, seed uint64, workers int) result {
	isNeural := forecast.IsNeural(m)
	var p map[string]string
	if isNeural && len(pm) > 0 {
		p = pm
	}
	var mu sync.Mutex
	var fitted []*neural.Neural
	factory := func() forecast.Forecaster {
		f, err := forecast.New(m, forecast.Options{Horizon: sp.h, Season: sp.m, Seed: seed, Params: p})
		if err != nil {
			panic(err) // checked below before the backtest runs
		}
		if n, ok := f.(*neural.Neural); ok {
			mu.Lock()
			fitted = append(fitted, n)
			mu.Unlock()
		}
		return f
	}
	if _, err := forecast.New(m, forecast.Options{Horizon: sp.h, Season: sp.m, Seed: seed, Params: p}); err != nil {
		return result{err: err}
	}
	start := time.Now()
	r, err := forecast.Backtest(ctx, s, factory, forecast.BacktestConfig{Horizon: sp.h, Folds: 3, MaxTrain: sp.cap, Season: sp.m, Workers: workers})
	if err != nil {
		return result{err: err}
	}
	res := result{scores: r.Mean, wall: time.Since(start)}
	for _, n := range fitted {
		c, h := n.Config(), n.History()
		if h.BestEpoch == 0 {
			continue // the Factory's probe for the model name, never fitted
		}
		choice := fmt.Sprintf("window %d, %s", c.Window, c.Normalize)
		if len(h.Candidates) > 0 {
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(h.Candidates)) {
				parts = append(parts, fmt.Sprintf("%s %.4g", k, h.Candidates[k]))
			}
			choice += " (validation MAE " + strings.Join(parts, ", ") + ")"
		}
		if len(h.Weights) > 0 {
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(h.Weights)) {
				parts = append(parts, fmt.Sprintf("%s %.3f", k, h.Weights[k]))
			}
			choice += fmt.Sprintf(", combined (%s): weights %s, validation MAE %.4g", c.Combine, strings.Join(parts, ", "), h.ValMAE)
		}
		if h.Transform != "" {
			choice += ", transform " + h.Transform
		}
		choice += fmt.Sprintf(", best epoch %d, %s", h.BestEpoch, h.Stopped)
		res.chosen = append(res.chosen, choice)
	}
	return res
}

// writeTables writes the MASE table (reference columns, then tsf's) and the
// wall-time table as markdown.
func writeTables(w io.Writer, chosen []spec, models []string, results map[string]map[string]result, pm map[string]string) {
	label := func(m string) string {
		if l, ok := labels[m]; ok {
			return l
		}
		return "tsf " + m
	}
	if len(pm) > 0 {
		fmt.Fprintf(w, "Neural parameters overridden: %v\n\n", pm)
	}
	fmt.Fprintf(w, "MASE (lower is better), 3 rolling-origin folds:\n\n| series |")
	for _, n := range referenceNames {
		fmt.Fprintf(w, " %s |", n)
	}
	for _, m := range models {
		fmt.Fprintf(w, " %s |", label(m))
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(referenceNames)+len(models)))
	for _, sp := range chosen {
		fmt.Fprintf(w, "| %s |", sp.name)
		for _, v := range reference[sp.name] {
			fmt.Fprintf(w, " %.3f |", v)
		}
		for _, m := range models {
			fmt.Fprintf(w, " %s |", cell(results[sp.name][m], func(r result) string { return fmt.Sprintf("%.3f", r.scores.MASE) }))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nWall time per model (whole 3-fold backtest, fit and forecast):\n\n| series |")
	for _, m := range models {
		fmt.Fprintf(w, " %s |", label(m))
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(models)))
	for _, sp := range chosen {
		fmt.Fprintf(w, "| %s |", sp.name)
		for _, m := range models {
			fmt.Fprintf(w, " %s |", cell(results[sp.name][m], func(r result) string { return formatWall(r.wall) }))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nsMAPE (%%):\n\n| series |")
	for _, m := range models {
		fmt.Fprintf(w, " %s |", label(m))
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(models)))
	for _, sp := range chosen {
		fmt.Fprintf(w, "| %s |", sp.name)
		for _, m := range models {
			fmt.Fprintf(w, " %s |", cell(results[sp.name][m], func(r result) string { return fmt.Sprintf("%.2f", r.scores.SMAPE) }))
		}
		fmt.Fprintln(w)
	}
}

func cell(r result, f func(result) string) string {
	if r.err != nil || math.IsNaN(r.scores.MASE) {
		return "error"
	}
	return f(r)
}

func formatWall(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f s", d.Seconds())
}

// writeFile writes content to path through a temporary file in the same
// directory, so a failure leaves no partial file.
func writeFile(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".evaluate-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
