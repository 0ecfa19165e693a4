package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"sync"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/flagspec"
	"github.com/tsf-go/tsf/internal/workpool"
)

// block is a piece of an output file: CSV rows (no header) and the
// position of the series they come from, which orders blocks in a shard.
type block struct {
	File int32
	Line int32
	Text []byte
}

func (b block) key() orderKey { return orderKey{b.File, b.Line} }

// errorBlock is one row of the errors output: series id and reason.
func errorBlock(k orderKey, id, reason string) block {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{id, reason})
	w.Flush()
	return block{File: k.File, Line: k.Line, Text: buf.Bytes()}
}

// shardOf returns the output shard of series id among n.
func shardOf(id string, n int) int {
	h := fnv.New32a()
	io.WriteString(h, id)
	return int(h.Sum32() % uint32(n))
}

// outcome is what processing one series gives: output rows or an error,
// and for backtests the per-model metrics to aggregate.
type outcome struct {
	id      string
	key     orderKey
	text    []byte
	err     error
	metrics []modelMetrics
}

// seriesPool runs the per-series work of a bundle on up to n goroutines
// (workpool.Group) and keeps the outcomes until the bundle finishes (a DoFn
// emits on its own goroutine only).
type seriesPool struct {
	g   *workpool.Group
	mu  sync.Mutex
	out []outcome
}

func newSeriesPool(n int) *seriesPool {
	return &seriesPool{g: workpool.NewGroup(max(n, 1))}
}

// run starts do on a free goroutine, waiting for one if all are busy.
func (p *seriesPool) run(do func() outcome) {
	p.g.Go(func() {
		o := do()
		p.mu.Lock()
		p.out = append(p.out, o)
		p.mu.Unlock()
	})
}

// wait waits for every started series and returns their outcomes.
func (p *seriesPool) wait() []outcome {
	p.g.Wait()
	out := p.out
	p.out = nil
	return out
}

// forecastFn parses, fits and forecasts every series of its input, up to
// Cfg.Workers at once, and emits each forecast's rows (as
// forecast.WriteLongCSV writes them) keyed by output shard, or the reason
// it failed to the errors output. With one model for all series (a global
// fit or a model file: the side input model, see modelStage), it
// forecasts every series from its history with that model, as
// forecast.PredictEach does, each of its Cfg.Workers goroutines with its
// own copy of the model; when the model stage failed, it forecasts
// nothing (the run fails with the model stage's error).
type forecastFn struct {
	Cfg Config

	pool    *seriesPool
	numbers map[string]bool // the columns with a number (targets), see numberScan
	// The one model, from the side input, read once per instance (its
	// value is the same in every bundle).
	read   bool
	one    *fitted                        // nil for a local model per series
	models chan forecast.HistoryPredictor // Cfg.Workers copies of one's model
	err    error                          // why one's model cannot be rebuilt
}

func (f *forecastFn) StartBundle(ctx context.Context, numbers func(*string) bool, model func(*fitted) bool, emit func(int, block), emitErr func(int, block), emitTally func(int, tally)) {
	f.pool = newSeriesPool(f.Cfg.Workers)
	f.numbers = numberColumns(f.Cfg.Read, numbers)
	if f.read {
		return
	}
	f.read = true
	var m fitted
	if !model(&m) {
		return
	}
	f.one = &m
	if m.Model == nil {
		return
	}
	f.models = make(chan forecast.HistoryPredictor, f.Cfg.Workers)
	for range f.Cfg.Workers {
		hp, err := fromModelFile(m.Model)
		if err != nil {
			f.err = fmt.Errorf("pipeline: the model cannot be rebuilt: %w", err)
			return
		}
		f.models <- hp
	}
}

func (f *forecastFn) ProcessElement(ctx context.Context, id string, rows func(*chunk) bool, _ func(*string) bool, _ func(*fitted) bool, emit func(int, block), emitErr func(int, block), emitTally func(int, tally)) {
	if f.one != nil && f.one.Err != "" {
		return
	}
	g := &group{id: id}
	var c chunk
	for rows(&c) {
		g.chunks = append(g.chunks, c)
	}
	f.pool.run(func() outcome { return f.forecast(ctx, g) })
}

func (f *forecastFn) FinishBundle(ctx context.Context, _ func(*string) bool, _ func(*fitted) bool, emit func(int, block), emitErr func(int, block), emitTally func(int, tally)) {
	var t tally
	for _, o := range f.pool.wait() {
		if o.err != nil {
			t.Failed++
			emitErr(0, errorBlock(o.key, o.id, flagspec.Message(o.err)))
			continue
		}
		t.Series++
		emit(shardOf(o.id, f.Cfg.Shards), block{File: o.key.File, Line: o.key.Line, Text: o.text})
	}
	seriesOK.Inc(ctx, t.Series)
	seriesFailed.Inc(ctx, t.Failed)
	emitTally(0, t)
}

// forecast loads and forecasts one series: the same calls, on one series,
// as `tsf forecast --id` makes on all of them (or `tsf predict --id` with
// a model file).
func (f *forecastFn) forecast(ctx context.Context, g *group) outcome {
	o := outcome{id: g.id, key: g.first()}
	series, err := g.load(f.Cfg.Read, f.numbers)
	if err != nil {
		o.err = err
		return o
	}
	var res []forecast.SeriesForecast
	for _, s := range series {
		if f.one != nil {
			if f.models == nil {
				o.err = f.err
				if o.err == nil {
					o.err = errors.New("pipeline: no model to forecast with")
				}
				return o
			}
			m := <-f.models
			res = append(res, forecast.PredictEach(ctx, m, []*dataset.Series{s}, f.one.Horizon, 1, nil)...)
			f.models <- m
			continue
		}
		h := f.Cfg.Model.HorizonFor(s)
		newModel, err := forecast.IntervalFactory(f.Cfg.Model.Name, f.Cfg.Model.Options(f.Cfg.Model.Name, h), forecast.ConformalConfig{Horizon: h, Workers: 1})
		if err != nil {
			o.err = err
			return o
		}
		res = append(res, forecast.ForecastEach(ctx, []*dataset.Series{s}, newModel, h, 1, nil)...)
	}
	for _, r := range res {
		if r.Err != nil {
			o.err = r.Err
			return o
		}
	}
	var buf bytes.Buffer
	if err := forecast.WriteLongCSV(&buf, f.Cfg.Read.IDColumn, res); err != nil {
		o.err = err
		return o
	}
	// Drop the header line: the shard writer writes it once.
	text := buf.Bytes()
	text = text[bytes.IndexByte(text, '\n')+1:]
	o.text = text
	return o
}
