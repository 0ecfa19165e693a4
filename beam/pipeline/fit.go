package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
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

// seriesPool runs the per-series work of a bundle on up to n goroutines and
// keeps the outcomes until the bundle finishes (a DoFn emits on its own
// goroutine only).
type seriesPool struct {
	sem chan struct{}
	wg  sync.WaitGroup
	mu  sync.Mutex
	out []outcome
}

func newSeriesPool(n int) *seriesPool {
	return &seriesPool{sem: make(chan struct{}, max(n, 1))}
}

// run starts do on a free goroutine, waiting for one if all are busy.
func (p *seriesPool) run(do func() outcome) {
	p.sem <- struct{}{}
	p.wg.Add(1)
	go func() {
		defer func() { <-p.sem; p.wg.Done() }()
		o := do()
		p.mu.Lock()
		p.out = append(p.out, o)
		p.mu.Unlock()
	}()
}

// wait waits for every started series and returns their outcomes.
func (p *seriesPool) wait() []outcome {
	p.wg.Wait()
	out := p.out
	p.out = nil
	return out
}

// forecastFn parses, fits and forecasts every series of its input, up to
// Cfg.Workers at once, and emits each forecast's rows (as
// forecast.WriteLongCSV writes them) keyed by output shard, or the reason
// it failed to the errors output.
type forecastFn struct {
	Cfg Config

	pool    *seriesPool
	models  chan forecast.HistoryPredictor // copies of the model file's model
	numbers map[string]bool                // the columns with a number (targets), see numberScan
}

func (f *forecastFn) Setup(ctx context.Context) error {
	if f.Cfg.ModelFile == "" {
		return nil
	}
	f.models = make(chan forecast.HistoryPredictor, f.Cfg.Workers)
	for range f.Cfg.Workers {
		m, err := loadModel(ctx, f.Cfg.ModelFile)
		if err != nil {
			return err
		}
		f.models <- m
	}
	return nil
}

func (f *forecastFn) StartBundle(ctx context.Context, numbers func(*string) bool, emit func(int, block), emitErr func(int, block), emitTally func(int, tally)) {
	f.pool = newSeriesPool(f.Cfg.Workers)
	f.numbers = numberColumns(f.Cfg.Read, numbers)
}

func (f *forecastFn) ProcessElement(ctx context.Context, id string, rows func(*chunk) bool, _ func(*string) bool, emit func(int, block), emitErr func(int, block), emitTally func(int, tally)) {
	g := &group{id: id}
	var c chunk
	for rows(&c) {
		g.chunks = append(g.chunks, c)
	}
	f.pool.run(func() outcome { return f.forecast(ctx, g) })
}

func (f *forecastFn) FinishBundle(ctx context.Context, _ func(*string) bool, emit func(int, block), emitErr func(int, block), emitTally func(int, tally)) {
	var t tally
	for _, o := range f.pool.wait() {
		if o.err != nil {
			t.Failed++
			emitErr(0, errorBlock(o.key, o.id, o.err.Error()))
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
// as `tsf forecast --id` makes on all of them.
func (f *forecastFn) forecast(ctx context.Context, g *group) outcome {
	o := outcome{id: g.id, key: g.first()}
	series, err := g.load(f.Cfg.Read, f.numbers)
	if err != nil {
		o.err = err
		return o
	}
	var res []forecast.SeriesForecast
	for _, s := range series {
		h := f.Cfg.Model.HorizonFor(s)
		if f.Cfg.ModelFile != "" {
			m := <-f.models
			if f.Cfg.Model.Horizon == 0 {
				h = trainedHorizon(m)
			}
			res = append(res, forecast.PredictEach(ctx, m, []*dataset.Series{s}, h, 1, nil)...)
			f.models <- m
			continue
		}
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

// trainedHorizon is the horizon a loaded model was trained or calibrated
// for, as `tsf predict` takes it when --horizon is not given; 12 if the
// model does not say.
func trainedHorizon(m forecast.Forecaster) int {
	switch v := m.(type) {
	case *forecast.Neural:
		if v.Config().Horizon > 0 {
			return v.Config().Horizon
		}
	case *forecast.Conformal:
		return v.Horizon()
	}
	return 12
}

// loadModel loads a model file with forecast.Load; a remote file (gs://...)
// is first copied to a local temporary file through Beam's file systems.
func loadModel(ctx context.Context, path string) (forecast.HistoryPredictor, error) {
	local := path
	if !isLocal(path) {
		tmp, err := fetch(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("model file %s: %w", path, err)
		}
		defer os.Remove(tmp)
		local = tmp
	}
	m, err := forecast.Load(local)
	if err != nil {
		return nil, fmt.Errorf("model file %s: %w", path, err)
	}
	hp, ok := m.(forecast.HistoryPredictor)
	if !ok {
		return nil, fmt.Errorf("model file %s: %s: %w", path, m.Name(), forecast.ErrNoHistory)
	}
	return hp, nil
}

// fetch copies path to a local temporary file and returns its name.
func fetch(ctx context.Context, path string) (string, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return "", err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		return "", err
	}
	defer r.Close()
	tmp, err := os.CreateTemp("", "tsf-model-*"+filepath.Ext(path))
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// isLocal reports whether path has no scheme (a local file).
func isLocal(path string) bool { return !strings.Contains(path, "://") }
