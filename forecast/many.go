package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/internal/work"
	"github.com/tsf-go/tsf/internal/workpool"
)

// FitMany fits one local model per series, built by newModel, on a pool of
// workers (0 means runtime.GOMAXPROCS(0)). models[i] is the fitted model of
// series[i], or nil if its fit failed; err joins the failures, each naming
// its series. On cancellation the unfitted entries stay nil and err
// includes the context's error.
func FitMany(ctx context.Context, series []*dataset.Series, newModel Factory, workers int) ([]Forecaster, error) {
	models := make([]Forecaster, len(series))
	errs := make([]error, len(series))
	workpool.For(ctx, len(series), workers, func(i int) {
		m := newModel()
		if err := m.Fit(ctx, series[i]); err != nil {
			errs[i] = fmt.Errorf("series %d (%q): %w", i, series[i].Name, err)
			return
		}
		models[i] = m
	})
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return models, errors.Join(errs...)
}

// PredictMany forecasts h steps with every non-nil model, on a pool of
// workers (0 means runtime.GOMAXPROCS(0)); nil models give nil forecasts.
func PredictMany(models []Forecaster, h int, workers int) ([]*Forecast, error) {
	out := make([]*Forecast, len(models))
	errs := make([]error, len(models))
	workpool.For(context.Background(), len(models), workers, func(i int) {
		if models[i] == nil {
			return
		}
		fc, err := models[i].Predict(h)
		if err != nil {
			errs[i] = fmt.Errorf("model %d (%s): %w", i, models[i].Name(), err)
		}
		out[i] = fc
	})
	return out, errors.Join(errs...)
}

// SeriesForecast is the outcome of forecasting one of many series.
type SeriesForecast struct {
	// Series is the series forecast (its history).
	Series *dataset.Series
	// Forecast holds the steps after Series; nil when Err is not nil.
	Forecast *Forecast
	// Err says why the series could not be forecast; it names the series.
	Err error
	// Seconds is the wall time spent fitting and forecasting the series.
	Seconds float64
}

// ForecastEach fits a fresh model from newModel on every series and
// forecasts the h steps after it, on a pool of workers goroutines (0 means
// runtime.GOMAXPROCS(0)). Results are in the order of series and do not
// depend on workers. A series that fails (too short, bad values, a panic
// in the model) gets an Err naming it, and the others go on; after a
// cancellation the series not finished get the context's error. done, if
// not nil, is called once per finished series with its index, never
// concurrently.
func ForecastEach(ctx context.Context, series []*dataset.Series, newModel Factory, h, workers int, done func(i int)) []SeriesForecast {
	return each(ctx, series, workers, done, func(s *dataset.Series) (*Forecast, error) {
		m := newModel()
		if err := m.Fit(ctx, s); err != nil {
			return nil, err
		}
		return m.Predict(h)
	})
}

// PredictEach forecasts the h steps after every series from its own
// history with one fitted model (a global model, or one loaded from a
// file), without refitting: m.PredictFrom(series[i], h). Series the model
// never saw are forecast alike. Workers, order, errors and done are as in
// ForecastEach. Each worker uses its own copy of a Persistent m (a model's
// forecast reuses buffers, so one instance must not forecast concurrently);
// a model that is not Persistent forecasts on one worker.
func PredictEach(ctx context.Context, m HistoryPredictor, series []*dataset.Series, h, workers int, done func(i int)) []SeriesForecast {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(len(series), 1))
	copies := make(chan HistoryPredictor, workers)
	copies <- m
	for range workers - 1 {
		c, err := clonePredictor(m)
		if err != nil {
			break
		}
		copies <- c
	}
	return each(ctx, series, len(copies), done, func(s *dataset.Series) (*Forecast, error) {
		c := <-copies
		defer func() { copies <- c }()
		return c.PredictFrom(s, h)
	})
}

// clonePredictor returns an independent copy of m through its model file
// content (which round-trips a model bit for bit).
func clonePredictor(m HistoryPredictor) (HistoryPredictor, error) {
	p, ok := m.(Persistent)
	if !ok {
		return nil, fmt.Errorf("%s: not persistent", m.Name())
	}
	mf, err := p.MarshalModel()
	if err != nil {
		return nil, err
	}
	q, err := FromModel(mf)
	if err != nil {
		return nil, err
	}
	hp, ok := q.(HistoryPredictor)
	if !ok {
		return nil, fmt.Errorf("%s: %w", q.Name(), ErrNoHistory)
	}
	return hp, nil
}

// each runs forecast on every series on the pool and collects the results
// in input order; see ForecastEach.
func each(ctx context.Context, series []*dataset.Series, workers int, done func(int), forecast func(*dataset.Series) (*Forecast, error)) []SeriesForecast {
	out := make([]SeriesForecast, len(series))
	ran := make([]bool, len(series))
	var mu sync.Mutex
	workpool.For(ctx, len(series), workers, func(i int) {
		s := series[i]
		start := time.Now()
		fc, err := work.Safely(func() (*Forecast, error) { return forecast(s) })
		if err != nil {
			fc = nil
			err = fmt.Errorf("series %q: %w", SeriesID(s), err)
		}
		out[i] = SeriesForecast{Series: s, Forecast: fc, Err: err, Seconds: time.Since(start).Seconds()}
		mu.Lock()
		ran[i] = true
		if done != nil {
			done(i)
		}
		mu.Unlock()
	})
	for i, s := range series {
		if !ran[i] {
			err := ctx.Err()
			if err == nil {
				err = errors.New("not run")
			}
			out[i] = SeriesForecast{Series: s, Err: fmt.Errorf("series %q: %w", SeriesID(s), err)}
		}
	}
	return out
}

// SeriesBacktest is the outcome of backtesting several models on one of
// many series.
type SeriesBacktest struct {
	// Series is the series backtested.
	Series *dataset.Series
	// Results holds one result per model, in the order of the factories;
	// Results[j] is nil when Errs[j] is not nil.
	Results []*BacktestResult
	// Errs holds, per model, why its backtest failed on the series (the
	// error names the series), or nil.
	Errs []error
	// Seconds holds, per model, the wall time of its backtest.
	Seconds []float64
}

// Err returns the first model error of the series, or nil.
func (b SeriesBacktest) Err() error {
	for _, e := range b.Errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// BacktestEach backtests every model of models on every series with the
// same folds (cfg), the series spread over a pool of workers goroutines
// (0 means runtime.GOMAXPROCS(0)); each series' models run one after the
// other, their folds on one goroutine (cfg.Workers is ignored). Results are
// in the order of series and do not depend on workers. A model that fails
// on a series gets an error naming both, and the other models and series
// go on; after a cancellation the unfinished ones get the context's error.
// done, if not nil, is called once per finished series, never concurrently.
func BacktestEach(ctx context.Context, series []*dataset.Series, models []Factory, cfg BacktestConfig, workers int, done func(i int)) []SeriesBacktest {
	cfg.Workers = 1
	out := make([]SeriesBacktest, len(series))
	for i, s := range series {
		out[i] = SeriesBacktest{Series: s, Results: make([]*BacktestResult, len(models)),
			Errs: make([]error, len(models)), Seconds: make([]float64, len(models))}
	}
	ran := make([]bool, len(series))
	var mu sync.Mutex
	workpool.For(ctx, len(series), workers, func(i int) {
		b := out[i]
		for j, nm := range models {
			start := time.Now()
			r, err := safeBacktest(ctx, b.Series, nm, cfg)
			b.Seconds[j] = time.Since(start).Seconds()
			if err != nil {
				b.Errs[j] = fmt.Errorf("series %q: %w", SeriesID(b.Series), err)
				continue
			}
			b.Results[j] = r
		}
		mu.Lock()
		ran[i] = true
		if done != nil {
			done(i)
		}
		mu.Unlock()
	})
	for i, b := range out {
		if ran[i] {
			continue
		}
		err := ctx.Err()
		if err == nil {
			err = errors.New("not run")
		}
		for j := range b.Errs {
			b.Errs[j] = fmt.Errorf("series %q: %w", SeriesID(b.Series), err)
		}
	}
	return out
}

// safeBacktest is Backtest with a panic turned into an error.
func safeBacktest(ctx context.Context, s *dataset.Series, nm Factory, cfg BacktestConfig) (r *BacktestResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	r, err = Backtest(ctx, s, nm, cfg)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// MSIS returns the mean over the folds of their mean scaled interval score
// at level (IntervalScore of the fold's interval at that level, divided by
// the fold's Scale, as MSIS does), or NaN when the forecasts have no
// interval at that level.
func (r *BacktestResult) MSIS(level float64) float64 {
	sum, n := 0.0, 0
	for _, f := range r.Folds {
		iv, ok := f.Forecast.Interval(level)
		if !ok {
			return math.NaN()
		}
		if v := scaled(IntervalScore(f.Actual, iv.Lo, iv.Hi, level), f.Scale); !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
