package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/internal/workpool"
)

// BacktestConfig describes a rolling-origin evaluation. The zero value of
// every field but Horizon means its default.
//
// Fold k (k = 0..Folds-1) has origin N - Horizon - (Folds-1-k)·Step: its test
// window is [origin, origin+Horizon) and its Forecaster sees only
// [max(0, origin-MaxTrain), origin). With the default Step the test windows
// are the last Folds·Horizon points, Horizon each, not overlapping.
type BacktestConfig struct {
	// Horizon is the number of steps forecast at each origin (required).
	Horizon int
	// Folds is the number of origins; default 1.
	Folds int
	// Step is the distance between consecutive origins; default Horizon.
	Step int
	// MaxTrain caps the training window to the last MaxTrain points
	// before the origin (a sliding window); 0 means an expanding window
	// from the first point.
	MaxTrain int
	// MinTrain is the fewest training points the first fold may have;
	// default 1. The Forecaster may need more and then says so.
	MinTrain int
	// RefitEvery refits the model on folds 0, n, 2n, ... and forecasts the
	// folds between from their new history with the last fitted
	// parameters (the model must be a HistoryPredictor); 0 or 1 refits at
	// every fold.
	RefitEvery int
	// Season is the lag m of MASE's scale; 0 means the series' frequency
	// season (dataset.Freq.Season).
	Season int
	// Workers is the number of folds fitted at once; 0 means
	// runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
}

// Fold is the outcome of one backtest fold.
type Fold struct {
	// Index is the fold number, 0 for the earliest origin.
	Index int
	// TrainStart and Origin bound the training part [TrainStart, Origin);
	// the test part is [Origin, Origin+Horizon).
	TrainStart, Origin int
	// Refit tells whether the model was fitted at this fold (false: it
	// forecast from new history with parameters fitted at an earlier fold).
	Refit bool
	// Forecast is the model's forecast of the test part.
	Forecast *Forecast
	// Actual holds the test part's true values.
	Actual []float64
	// Scale is the in-sample seasonal-naive MAE (lag Season) of the
	// training part: MASE's denominator.
	Scale float64
	// Scores are the fold's metrics.
	Scores Scores
	// Coverage holds, for each of the forecast's intervals, the share of
	// the test points inside it; empty when the model gives no intervals.
	Coverage []Coverage
}

// Coverage is the observed coverage of the prediction intervals of one
// nominal level.
type Coverage struct {
	// Level is the nominal coverage, Observed the share of actual values
	// inside the interval (NaN values are not counted).
	Level, Observed float64
}

// BacktestResult holds the folds of one model's backtest.
type BacktestResult struct {
	// Model is the Name of an unfitted instance from the Factory.
	Model string
	// Season is the MASE lag used.
	Season int
	// Folds holds the completed folds in fold order. After a cancellation
	// or an error it may hold fewer than BacktestConfig.Folds.
	Folds []Fold
	// Mean holds each metric averaged over Folds (NaN entries skipped).
	Mean Scores
	// PerStep[k] holds the metrics of forecast step k+1 over all folds;
	// its MASE is the mean over folds of |error|/Scale.
	PerStep []Scores
	// Coverage holds the observed interval coverage over all folds, per
	// level present in every fold; empty without intervals.
	Coverage []Coverage
}

// Backtest evaluates one model by rolling-origin backtesting. newModel is
// called once per refit so that folds share no state. On cancellation it
// returns the folds finished so far together with the context's error; on a
// fold's error it returns the folds finished and an error naming the fold.
func Backtest(ctx context.Context, s *dataset.Series, newModel Factory, cfg BacktestConfig) (*BacktestResult, error) {
	rs, err := Compare(ctx, s, []Factory{newModel}, cfg)
	if rs == nil {
		return nil, err
	}
	return rs[0], err
}

// Compare backtests several models with the same folds, running the folds
// of all models on one worker pool. Results are in the order of models.
func Compare(ctx context.Context, s *dataset.Series, models []Factory, cfg BacktestConfig) ([]*BacktestResult, error) {
	cfg, err := cfg.withDefaults(s)
	if err != nil {
		return nil, err
	}
	if err := CheckSeries(s); err != nil {
		return nil, err
	}
	n := s.Len()
	origins := make([]int, cfg.Folds)
	for k := range origins {
		origins[k] = n - cfg.Horizon - (cfg.Folds-1-k)*cfg.Step
	}
	if origins[0] < cfg.MinTrain {
		need := cfg.MinTrain + cfg.Horizon + (cfg.Folds-1)*cfg.Step
		why := fmt.Sprintf("%d training points + %d folds of horizon %d with step %d", cfg.MinTrain, cfg.Folds, cfg.Horizon, cfg.Step)
		return nil, &ShortError{What: "series", Have: n, Need: need, Why: why}
	}

	results := make([]*BacktestResult, len(models))
	folds := make([][]*Fold, len(models))
	type job struct{ model, first int }
	var jobs []job
	for i, nm := range models {
		results[i] = &BacktestResult{Model: nm().Name(), Season: cfg.Season}
		folds[i] = make([]*Fold, cfg.Folds)
		for k := 0; k < cfg.Folds; k += cfg.RefitEvery {
			jobs = append(jobs, job{i, k})
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(jobs))
	workpool.For(ctx, len(jobs), cfg.Workers, func(j int) {
		jb := jobs[j]
		last := min(jb.first+cfg.RefitEvery, cfg.Folds)
		errs[j] = runGroup(ctx, s, models[jb.model], cfg, origins, jb.first, last, folds[jb.model])
		if errs[j] != nil {
			cancel()
		}
	})

	for i, r := range results {
		for _, f := range folds[i] {
			if f != nil {
				r.Folds = append(r.Folds, *f)
			}
		}
		r.summarise(cfg.Horizon)
	}
	// Report the first error in job order (deterministic), preferring a
	// real failure over the cancellations it caused.
	var first error
	for _, e := range errs {
		if e != nil && !errors.Is(e, context.Canceled) {
			first = e
			break
		}
	}
	if first == nil {
		if e := ctx.Err(); e != nil {
			first = fmt.Errorf("backtest: %w", e)
		}
	}
	return results, first
}

func (cfg BacktestConfig) withDefaults(s *dataset.Series) (BacktestConfig, error) {
	if cfg.Horizon < 1 {
		return cfg, fmt.Errorf("backtest: %w: horizon %d; want at least 1", ErrHorizon, cfg.Horizon)
	}
	if cfg.Folds < 0 || cfg.Step < 0 || cfg.MaxTrain < 0 || cfg.MinTrain < 0 || cfg.RefitEvery < 0 || cfg.Season < 0 || cfg.Workers < 0 {
		return cfg, fmt.Errorf("backtest: negative setting in %+v", cfg)
	}
	if cfg.Folds == 0 {
		cfg.Folds = 1
	}
	if cfg.Step == 0 {
		cfg.Step = cfg.Horizon
	}
	if cfg.MinTrain == 0 {
		cfg.MinTrain = 1
	}
	if cfg.RefitEvery == 0 {
		cfg.RefitEvery = 1
	}
	if cfg.Season == 0 {
		cfg.Season = s.Freq.Season()
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	return cfg, nil
}

// runGroup fits one model at fold first and forecasts folds first..last-1.
func runGroup(ctx context.Context, s *dataset.Series, newModel Factory, cfg BacktestConfig, origins []int, first, last int, out []*Fold) error {
	m := newModel()
	for k := first; k < last; k++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		origin := origins[k]
		start := 0
		if cfg.MaxTrain > 0 {
			start = max(0, origin-cfg.MaxTrain)
		}
		train := s.Slice(start, origin)
		var fc *Forecast
		var err error
		if k == first {
			if err = m.Fit(ctx, train); err == nil {
				fc, err = m.Predict(cfg.Horizon)
			}
		} else {
			fc, err = PredictFrom(m, train, cfg.Horizon)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("backtest %s fold %d (train [%d, %d)): %w", m.Name(), k, start, origin, err)
		}
		if fc.Len() != cfg.Horizon {
			return fmt.Errorf("backtest %s fold %d: forecast has %d steps; want %d", m.Name(), k, fc.Len(), cfg.Horizon)
		}
		f := scoreFold(s, fc, k, start, origin, k == first, cfg)
		out[k] = &f
	}
	return nil
}

// coverage returns the observed coverage of each interval of fc.
func coverage(fc *Forecast, actual []float64) []Coverage {
	var out []Coverage
	for _, iv := range fc.Intervals {
		in, n := 0, 0
		for k, a := range actual {
			if math.IsNaN(a) {
				continue
			}
			n++
			if iv.Lo[k] <= a && a <= iv.Hi[k] {
				in++
			}
		}
		out = append(out, Coverage{Level: iv.Level, Observed: float64(in) / float64(n)})
	}
	return out
}

func (r *BacktestResult) summarise(h int) {
	ss := make([]Scores, len(r.Folds))
	for i, f := range r.Folds {
		ss[i] = f.Scores
	}
	r.Mean = meanScores(ss)
	if len(r.Folds) == 0 {
		return
	}
	// Coverage: the levels of the first fold, when every fold has them.
levels:
	for i, c := range r.Folds[0].Coverage {
		sum := 0.0
		for _, f := range r.Folds {
			if len(f.Coverage) <= i || f.Coverage[i].Level != c.Level {
				continue levels
			}
			sum += f.Coverage[i].Observed
		}
		r.Coverage = append(r.Coverage, Coverage{Level: c.Level, Observed: sum / float64(len(r.Folds))})
	}
	r.PerStep = make([]Scores, h)
	a := make([]float64, len(r.Folds))
	p := make([]float64, len(r.Folds))
	for k := range h {
		mase, nm := 0.0, 0
		for i, f := range r.Folds {
			a[i], p[i] = f.Actual[k], f.Forecast.Values[k]
			if e := math.Abs(a[i] - p[i]); !math.IsNaN(e) {
				if v := scaled(e, f.Scale); !math.IsNaN(v) {
					mase += v
					nm++
				}
			}
		}
		r.PerStep[k] = Evaluate(a, p, nil, 1)
		r.PerStep[k].MASE = math.NaN()
		if nm > 0 {
			r.PerStep[k].MASE = mase / float64(nm)
		}
	}
}
