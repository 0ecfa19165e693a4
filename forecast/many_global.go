package forecast

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// GlobalModel is a model fitted once on a collection of series that then
// forecasts each series from its own history: a global network
// (forecast/neural), or combine.Hybrid.
type GlobalModel interface {
	GlobalFitter
	HistoryPredictor
}

// BacktestGlobal backtests a global model on many series with the same
// rolling origins as BacktestEach: at fold k every series long enough is
// cut at its own origin N_i - Horizon - (Folds-1-k)·Step, ONE model from
// newModel is fitted on all the cut series (FitGlobal) and forecasts each
// of them from its history (PredictEach on workers goroutines). With
// RefitEvery n the model is fitted at folds 0, n, 2n, ... and forecasts
// the folds between from their new histories. Each SeriesBacktest holds
// one result (Results[0]); a series too short for the folds, or that the
// model could not forecast at a fold, gets an error naming it, and the
// others go on; a fold whose fit fails fails every series. Seconds is the
// series' share of the fits plus its own forecasts. Results do not depend
// on workers. done, if not nil, is called once per series after the last
// fold, never concurrently.
func BacktestGlobal(ctx context.Context, series []*dataset.Series, newModel func() GlobalModel, cfg BacktestConfig, workers int, done func(i int)) []SeriesBacktest {
	out := make([]SeriesBacktest, len(series))
	folds := make([][]Fold, len(series))
	cfgs := make([]BacktestConfig, len(series))
	var live []int // the series the folds can cut
	name := newModel().Name()
	for i, s := range series {
		out[i] = SeriesBacktest{Series: s, Results: make([]*BacktestResult, 1), Errs: make([]error, 1), Seconds: make([]float64, 1)}
		c, err := cfg.withDefaults(s)
		if err == nil {
			err = CheckSeries(s)
		}
		if err == nil {
			if origin := s.Len() - c.Horizon - (c.Folds-1)*c.Step; origin < c.MinTrain {
				err = &ShortError{What: "series", Have: s.Len(), Need: c.MinTrain + c.Horizon + (c.Folds-1)*c.Step,
					Why: fmt.Sprintf("%d training points + %d folds of horizon %d with step %d", c.MinTrain, c.Folds, c.Horizon, c.Step)}
			}
		}
		if err != nil {
			out[i].Errs[0] = fmt.Errorf("series %q: %w", SeriesID(s), err)
			continue
		}
		cfgs[i] = c
		live = append(live, i)
	}
	fail := func(i int, err error) {
		if out[i].Errs[0] == nil {
			out[i].Errs[0] = fmt.Errorf("series %q: %w", SeriesID(series[i]), err)
		}
	}
	if len(live) > 0 {
		c := cfgs[live[0]]
		var m GlobalModel
		for k := range c.Folds {
			if ctx.Err() != nil {
				break
			}
			trains := make([]*dataset.Series, len(live))
			for v, i := range live {
				ci := cfgs[i]
				origin := series[i].Len() - ci.Horizon - (ci.Folds-1-k)*ci.Step
				start := 0
				if ci.MaxTrain > 0 {
					start = max(0, origin-ci.MaxTrain)
				}
				trains[v] = series[i].Slice(start, origin)
			}
			refit := k%c.RefitEvery == 0
			fitStart := time.Now()
			if refit {
				m = newModel()
				if err := m.FitGlobal(ctx, trains); err != nil {
					if ctx.Err() != nil {
						break
					}
					for _, i := range live {
						fail(i, fmt.Errorf("backtest %s fold %d: fitting on %d series: %w", name, k, len(live), err))
					}
					m = nil
				}
			}
			share := time.Since(fitStart).Seconds() / float64(len(live))
			if m == nil {
				continue
			}
			res := PredictEach(ctx, m, trains, c.Horizon, workers, nil)
			for v, i := range live {
				out[i].Seconds[0] += share + res[v].Seconds
				if out[i].Errs[0] != nil {
					continue
				}
				if res[v].Err != nil {
					fail(i, fmt.Errorf("backtest %s fold %d: %w", name, k, errors.Unwrap(res[v].Err)))
					continue
				}
				origin := series[i].Len() - cfgs[i].Horizon - (cfgs[i].Folds-1-k)*cfgs[i].Step
				folds[i] = append(folds[i], scoreFold(series[i], res[v].Forecast, k, origin-trains[v].Len(), origin, refit, cfgs[i]))
			}
		}
	}
	for _, i := range live {
		if out[i].Errs[0] == nil && len(folds[i]) < cfgs[i].Folds {
			err := ctx.Err()
			if err == nil {
				err = errors.New("not run")
			}
			fail(i, err)
		}
		if out[i].Errs[0] != nil {
			continue
		}
		r := &BacktestResult{Model: name, Season: cfgs[i].Season, Folds: folds[i]}
		r.summarise(cfgs[i].Horizon)
		out[i].Results[0] = r
	}
	if done != nil {
		for i := range series {
			done(i)
		}
	}
	return out
}

// scoreFold scores the forecast fc of fold k of s, made from the training
// part [start, origin) (fitted there when refit).
func scoreFold(s *dataset.Series, fc *Forecast, k, start, origin int, refit bool, cfg BacktestConfig) Fold {
	// Label the steps in the full series' index.
	for i := range fc.Index {
		fc.Index[i] = origin + i
	}
	actual := append([]float64(nil), s.Values[origin:origin+cfg.Horizon]...)
	scale := MASEScale(s.Values[start:origin], cfg.Season)
	sc := Evaluate(actual, fc.Values, nil, 1)
	sc.MASE = scaled(sc.MAE, scale)
	return Fold{Index: k, TrainStart: start, Origin: origin, Refit: refit,
		Forecast: fc, Actual: actual, Scale: scale, Scores: sc, Coverage: coverage(fc, actual)}
}

// TrainedHorizon is the number of steps a fitted or loaded model was
// trained or calibrated for: what `tsf predict` and tsf-beam forecast when
// no horizon is given. A neural model's Horizon (also inside a wrapper, or
// the network auto took alone), a Conformal wrapper's or a Hybrid's; 12
// for a model that does not say.
func TrainedHorizon(m Forecaster) int {
	switch v := m.(type) {
	case interface{ Horizon() int }:
		if h := v.Horizon(); h > 0 {
			return h
		}
	case *WithIntervals:
		return TrainedHorizon(v.Model())
	case interface{ Models() []Forecaster }: // auto: the network it took alone
		if ms := v.Models(); len(ms) == 1 {
			return TrainedHorizon(ms[0])
		}
	}
	return 12
}

// ErrNoHorizon: the series of a many-series run do not share a seasonal
// period, so there is no common default horizon (CollectionHorizon).
var ErrNoHorizon = errors.New("no common default horizon")

// CollectionHorizon is the horizon of a many-series run when none is
// given: season when positive, else the seasonal period every series'
// frequency shares; a period of 1 (no season) gives 12. Series of
// different periods have no common default: the error names one series of
// each, in order of period.
func CollectionHorizon(series []*dataset.Series, season int) (int, error) {
	if season <= 0 {
		first := map[int]*dataset.Series{}
		for _, s := range series {
			if _, ok := first[s.Freq.Season()]; !ok {
				first[s.Freq.Season()] = s
			}
			season = s.Freq.Season()
		}
		if len(first) > 1 {
			var kinds []string
			for _, p := range slices.Sorted(maps.Keys(first)) {
				kinds = append(kinds, fmt.Sprintf("%s (series %q)", first[p].Freq, SeriesID(first[p])))
			}
			return 0, fmt.Errorf("series of different frequencies (%s): %w", strings.Join(kinds, ", "), ErrNoHorizon)
		}
	}
	if season <= 1 {
		return 12, nil
	}
	return season, nil
}

// GlobalFitter is a model trained on many series at once, which then
// forecasts any series from its history (a HistoryPredictor).
type GlobalFitter interface {
	FitGlobal(ctx context.Context, series []*dataset.Series) error
}

// SkippedSeries names a series FitGlobal drew no window from, and why.
// PredictFrom still forecasts it (see neural.Neural.PredictFrom).
type SkippedSeries struct {
	// Series is the series' ID, else its Name, else "#i" (its 0-based
	// position in the input).
	Series string
	// Err says why: a ShortError (fewer than Window + Horizon points) or
	// ErrBadData (a missing or non-finite value; a value ≤ 0 under
	// TransformLog).
	Err error
}

// ErrGlobalPredict: Predict needs a history for a global model fitted
// on several series.
var ErrGlobalPredict = errors.New("a global model fitted on several series forecasts with PredictFrom(history, h)")

// GlobalOnly reports whether the model registered as name is fitted on a
// collection of series at once (FitGlobal) and never one per series:
// "hybrid", "eslstm" and "esrnn". Front ends take such a model across
// series without --global.
func GlobalOnly(name string) bool { return name == "hybrid" || name == "eslstm" || name == "esrnn" }
