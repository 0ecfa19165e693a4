package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/flagspec"
)

// metricNames are the per-series backtest metrics, in column order.
var metricNames = []string{"mae", "rmse", "smape", "mase", "cover80", "cover95", "msis95", "seconds"}

// modelMetrics is one model's backtest metrics on one series (Values in
// metricNames order; NaN but the seconds when Failed). File and Line are
// the first row of the series' id, Index the series' position among the
// targets of that id.
type modelMetrics struct {
	Model  string
	File   int32
	Line   int32
	Index  int32
	Values []float64
	Failed bool
}

func (m modelMetrics) key() orderKey { return orderKey{m.File, m.Line} }

// backtestFn backtests Cfg.Backtest.Models on every series of its input
// with the same folds, up to Cfg.Workers series at once. It emits the
// per-series metric rows keyed by shard, the failures to the errors
// output, and every model's metrics under one key for the aggregate.
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
			emitMetrics("", m)
			if m.Failed {
				t.ModelFailures++
			}
		}
		if o.err != nil {
			t.Failed++
			emitErr(0, errorBlock(o.key, o.id, flagspec.Message(o.err)))
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
			o.metrics = append(o.metrics, modelMetrics{Model: name, File: o.key.File, Line: o.key.Line, Failed: true,
				Values: seriesMetrics(forecast.ScoresOf(nil, err, 0))})
		}
		return o
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for i, s := range series {
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
			sc := forecast.ScoresOf(b.Results[j], b.Errs[j], b.Seconds[j])
			m := modelMetrics{Model: name, File: o.key.File, Line: o.key.Line, Index: int32(i), Values: seriesMetrics(sc), Failed: sc.Failed}
			if sc.Failed {
				if o.err == nil {
					o.err = b.Errs[j]
				}
				o.metrics = append(o.metrics, m)
				continue
			}
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

// seriesMetrics returns a model's scores on a series in metricNames order.
func seriesMetrics(s forecast.SeriesScores) []float64 {
	return []float64{s.MAE, s.RMSE, s.SMAPE, s.MASE, s.Cover80, s.Cover95, s.MSIS, s.Seconds}
}

// scoresOf is the inverse of seriesMetrics.
func scoresOf(m modelMetrics) forecast.SeriesScores {
	v := m.Values
	return forecast.SeriesScores{Failed: m.Failed, MAE: v[0], RMSE: v[1], SMAPE: v[2], MASE: v[3],
		Cover80: v[4], Cover95: v[5], MSIS: v[6], Seconds: v[7]}
}

// formatMetric writes a metric with 8 significant digits, "" for NaN.
func formatMetric(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', 8, 64)
}

// aggregateFn is the aggregate table: every model's metrics, all under
// one key, averaged as tsf backtest --id averages them
// (forecast.AggregateBacktests: over the series that every model with
// scores backtested), in series order so the result does not depend on
// how the runner delivered them.
type aggregateFn struct {
	// Models orders the rows of the table.
	Models []string
}

func (f *aggregateFn) ProcessElement(_ string, ms func(*modelMetrics) bool, emit func(int, block)) {
	type seriesKey struct {
		key   orderKey
		index int32
	}
	rows := map[seriesKey][]forecast.SeriesScores{}
	var m modelMetrics
	for ms(&m) {
		k := seriesKey{m.key(), m.Index}
		if rows[k] == nil {
			rows[k] = make([]forecast.SeriesScores, len(f.Models))
			for j := range rows[k] {
				rows[k][j] = forecast.ScoresOf(nil, errNoMetrics, 0)
			}
		}
		if j := slices.Index(f.Models, m.Model); j >= 0 {
			rows[k][j] = scoresOf(m)
		}
	}
	keys := slices.SortedFunc(maps.Keys(rows), func(a, b seriesKey) int {
		if c := a.key.cmp(b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.index, b.index)
	})
	scores := make([][]forecast.SeriesScores, len(keys))
	for i, k := range keys {
		scores[i] = rows[k]
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, a := range forecast.AggregateBacktests(f.Models, scores).Models {
		row := []string{a.Model, strconv.Itoa(a.Series), strconv.Itoa(a.Failed)}
		for _, v := range []float64{a.MAE, a.RMSE, a.SMAPE, a.MASE, a.Cover80, a.Cover95, a.MSIS, a.Seconds} {
			row = append(row, formatMetric(v))
		}
		w.Write(row)
	}
	w.Flush()
	emit(0, block{Text: buf.Bytes()})
}

// errNoMetrics stands for a model whose metrics on a series never arrived
// (which the backtest stage does not do: it emits every model's).
var errNoMetrics = errors.New("no metrics")
