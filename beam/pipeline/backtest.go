package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"slices"
	"strconv"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// metricNames are the per-series backtest metrics, in column order.
var metricNames = []string{"mae", "rmse", "smape", "mase", "cover80", "cover95", "msis95", "seconds"}

// modelMetrics is one model's backtest metrics on one series (Values in
// metricNames order), or Failed.
type modelMetrics struct {
	Model  string
	File   int32
	Line   int32
	Values []float64
	Failed bool
}

func (m modelMetrics) key() orderKey { return orderKey{m.File, m.Line} }

// backtestFn backtests Cfg.Backtest.Models on every series of its input
// with the same folds, up to Cfg.Workers series at once. It emits the
// per-series metric rows keyed by shard, the failures to the errors
// output, and each model's metrics keyed by model for the aggregate.
type backtestFn struct {
	Cfg Config

	pool    *seriesPool
	numbers map[string]bool // the columns with a number (targets), see numberScan
}

func (f *backtestFn) StartBundle(ctx context.Context, numbers func(*string) bool, emit func(int, block), emitErr func(int, block), emitMetrics func(string, modelMetrics), emitTally func(int, tally)) {
	f.pool = newSeriesPool(f.Cfg.Workers)
	f.numbers = numberColumns(f.Cfg.Read, numbers)
}

func (f *backtestFn) ProcessElement(ctx context.Context, id string, rows func(*chunk) bool, _ func(*string) bool, emit func(int, block), emitErr func(int, block), emitMetrics func(string, modelMetrics), emitTally func(int, tally)) {
	g := &group{id: id}
	var c chunk
	for rows(&c) {
		g.chunks = append(g.chunks, c)
	}
	f.pool.run(func() outcome { return f.backtest(ctx, g) })
}

func (f *backtestFn) FinishBundle(ctx context.Context, _ func(*string) bool, emit func(int, block), emitErr func(int, block), emitMetrics func(string, modelMetrics), emitTally func(int, tally)) {
	var t tally
	for _, o := range f.pool.wait() {
		for _, m := range o.metrics {
			emitMetrics(m.Model, m)
			if m.Failed {
				t.ModelFailures++
			}
		}
		if o.err != nil {
			t.Failed++
			emitErr(0, errorBlock(o.key, o.id, o.err.Error()))
		} else {
			t.Series++
		}
		if len(o.text) > 0 {
			emit(shardOf(o.id, f.Cfg.Shards), block{File: o.key.File, Line: o.key.Line, Text: o.text})
		}
	}
	seriesOK.Inc(ctx, t.Series)
	seriesFailed.Inc(ctx, t.Failed)
	modelFailures.Inc(ctx, t.ModelFailures)
	emitTally(0, t)
}

// backtest loads one series and backtests every model on it with
// forecast.BacktestEach, as `tsf backtest --id` does for all series. A
// model that fails on the series is reported (the error names series and
// model) and the other models' metrics are kept.
func (f *backtestFn) backtest(ctx context.Context, g *group) outcome {
	o := outcome{id: g.id, key: g.first()}
	series, err := g.load(f.Cfg.Read, f.numbers)
	if err != nil {
		o.err = err
		for _, name := range f.Cfg.Backtest.Models {
			o.metrics = append(o.metrics, modelMetrics{Model: name, File: o.key.File, Line: o.key.Line, Failed: true})
		}
		return o
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, s := range series {
		h := f.Cfg.Model.HorizonFor(s)
		cfg := forecast.BacktestConfig{Horizon: h, Folds: max(f.Cfg.Backtest.Folds, 1), Step: f.Cfg.Backtest.Step,
			MaxTrain: f.Cfg.Backtest.MaxTrain, RefitEvery: f.Cfg.Backtest.RefitEvery, Season: f.Cfg.Model.Season}
		factories := make([]forecast.Factory, len(f.Cfg.Backtest.Models))
		for j, name := range f.Cfg.Backtest.Models {
			opt := f.Cfg.Model.Options(name, h)
			factories[j] = func() forecast.Forecaster {
				m, _ := forecast.New(name, opt)
				return m
			}
		}
		b := forecast.BacktestEach(ctx, []*dataset.Series{s}, factories, cfg, 1, nil)[0]
		for j, name := range f.Cfg.Backtest.Models {
			m := modelMetrics{Model: name, File: o.key.File, Line: o.key.Line}
			if b.Errs[j] != nil {
				m.Failed = true
				if o.err == nil {
					o.err = b.Errs[j]
				}
				o.metrics = append(o.metrics, m)
				continue
			}
			m.Values = seriesMetrics(b.Results[j], b.Seconds[j])
			o.metrics = append(o.metrics, m)
			row := []string{forecast.SeriesID(s), name}
			for _, v := range m.Values {
				row = append(row, formatMetric(v))
			}
			w.Write(row)
		}
	}
	w.Flush()
	o.text = buf.Bytes()
	return o
}

// seriesMetrics returns a backtest's metrics in metricNames order.
func seriesMetrics(r *forecast.BacktestResult, seconds float64) []float64 {
	cover := func(level float64) float64 {
		for _, c := range r.Coverage {
			if math.Abs(c.Level-level) < 1e-9 {
				return c.Observed
			}
		}
		return math.NaN()
	}
	return []float64{r.Mean.MAE, r.Mean.RMSE, r.Mean.SMAPE, r.Mean.MASE, cover(0.8), cover(0.95), r.MSIS(0.95), seconds}
}

// formatMetric writes a metric with 8 significant digits, "" for NaN.
func formatMetric(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', 8, 64)
}

// aggregateFn averages one model's per-series metrics over the series it
// succeeded on, summing in series order so the result does not depend on
// how the runner delivered them; NaN values (no intervals) are skipped.
type aggregateFn struct {
	// Models orders the rows of the table.
	Models []string
}

func (f *aggregateFn) ProcessElement(model string, ms func(*modelMetrics) bool, emit func(int, block)) {
	var all []modelMetrics
	var m modelMetrics
	for ms(&m) {
		all = append(all, m)
	}
	slices.SortStableFunc(all, func(a, b modelMetrics) int { return a.key().cmp(b.key()) })
	sum := make([]float64, len(metricNames))
	n := make([]int, len(metricNames))
	ok, failed := 0, 0
	for _, m := range all {
		if m.Failed {
			failed++
			continue
		}
		ok++
		for j, v := range m.Values {
			if !math.IsNaN(v) {
				sum[j] += v
				n[j]++
			}
		}
	}
	row := []string{model, strconv.Itoa(ok), strconv.Itoa(failed)}
	for j := range sum {
		v := math.NaN()
		if n[j] > 0 {
			v = sum[j] / float64(n[j])
		}
		row = append(row, formatMetric(v))
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(row)
	w.Flush()
	// Rows in model order: the aggregate has one shard, ordered by key.
	emit(0, block{File: 0, Line: int32(slices.Index(f.Models, model)), Text: buf.Bytes()})
}
