package m3

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/all"
)

// Config configures Evaluate. The zero value runs every group on
// runtime.GOMAXPROCS(0) workers with seed 0, each model with its own
// intervals only.
type Config struct {
	// Groups are the groups run; empty means Groups (all four).
	Groups []Group
	// Workers is the number of series fitted at once; 0 means
	// runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
	// Seed is given to every model (forecast.Options.Seed), the same for
	// every series, so a series' forecast does not depend on the others.
	Seed uint64
	// Intervals gives every local model intervals as `tsf forecast` does
	// (forecast.NewWithIntervals: split-conformal intervals around a model
	// that has none of its own, from 30 extra fits per series). False
	// scores intervals only where the model gives its own.
	Intervals bool
	// Params holds model-specific settings (forecast.Options.Params) by
	// spec, e.g. {"lstm-global": {"epochs": "5"}}: for experiments; the
	// benchmark's rows use the defaults.
	Params map[string]map[string]string
	// Progress, if not nil, is called after each series with the number
	// done of the group's total; never concurrently.
	Progress func(method string, g Group, done, total int)
}

// GlobalSuffix marks a global model in Evaluate's spec: "lstm-global" is
// one "lstm" network per group, trained on all the group's histories.
const GlobalSuffix = "-global"

// Evaluate fits the model named spec on the history of every series of
// cfg.Groups and forecasts its Horizon steps:
//
//   - a local model ("ets", "theta", "naive", "lstm", ...: any name
//     forecast.New knows) is built per series with Options(group, seed),
//     fitted on the series alone and asked for h steps, on cfg.Workers
//     workers (forecast.ForecastEach);
//   - a global model (spec "<name>-global") is built once per group with
//     the same options and Global set, trained with FitGlobal on all the
//     group's histories, and forecasts each series from its own history
//     (forecast.PredictEach).
//
// Run.Seconds holds the wall time per group. A series whose fit or forecast
// fails gets its error in Run.Errs and no forecast; the others go on.
// Evaluate returns an error only for a spec no model answers to, or when
// ctx is cancelled.
func Evaluate(ctx context.Context, d *Data, spec string, cfg Config) (*Run, error) {
	groups := cfg.Groups
	if len(groups) == 0 {
		groups = Groups
	}
	for _, g := range groups {
		if g.Horizon() == 0 {
			return nil, fmt.Errorf("m3: Evaluate: group %q; want yearly, quarterly, monthly or other", g)
		}
	}
	if err := CheckModel(spec, cfg.Params[spec]); err != nil {
		return nil, err
	}
	name, global := strings.CutSuffix(spec, GlobalSuffix)
	global = global || forecast.GlobalOnly(name)
	r := &Run{
		Method:    spec,
		Forecasts: make([]*forecast.Forecast, len(d.Series)),
		Errs:      make([]error, len(d.Series)),
		Seconds:   map[Group]float64{},
	}
	for _, g := range groups {
		idx := d.InGroup(g)
		hist := make([]*dataset.Series, len(idx))
		for k, i := range idx {
			hist[k] = d.Series[i].History
		}
		n := 0
		done := func(int) {
			n++
			if cfg.Progress != nil {
				cfg.Progress(spec, g, n, len(idx))
			}
		}
		start := time.Now()
		var res []forecast.SeriesForecast
		if global {
			res = evaluateGlobal(ctx, spec, name, g, hist, cfg, done)
		} else {
			o := Options(g, cfg.Seed)
			o.Params = cfg.Params[spec]
			factory := func() forecast.Forecaster { f, _ := forecast.New(name, o); return f }
			if cfg.Intervals {
				var err error
				if factory, err = forecast.IntervalFactory(name, o, forecast.ConformalConfig{}); err != nil {
					return nil, fmt.Errorf("m3: %s: %w", spec, err)
				}
			}
			res = forecast.ForecastEach(ctx, hist, factory, g.Horizon(), cfg.Workers, done)
		}
		r.Seconds[g] = time.Since(start).Seconds()
		for k, i := range idx {
			r.Forecasts[i], r.Errs[i] = res[k].Forecast, res[k].Err
		}
		if err := ctx.Err(); err != nil {
			return r, err
		}
	}
	return r, nil
}

// CheckModel returns the error Evaluate would give for spec with params
// (its Config.Params entry, nil for the defaults) before running anything:
// an unknown model name or parameter, or a global spec for a model that
// cannot be trained across series.
func CheckModel(spec string, params map[string]string) error {
	name, global := strings.CutSuffix(spec, GlobalSuffix)
	global = global || forecast.GlobalOnly(name)
	o := Options(Monthly, 0)
	o.Params = params
	if _, err := newModel(name, global, o); err != nil {
		return fmt.Errorf("m3: %s: %w", spec, err)
	}
	return nil
}

// Options returns the forecast.Options Evaluate gives a model for group g:
// the group's horizon and season, and seed.
func Options(g Group, seed uint64) forecast.Options {
	return forecast.Options{Horizon: g.Horizon(), Season: g.Season(), Seed: seed}
}

// newModel builds a local model, or a global one (see evaluateGlobal).
func newModel(name string, global bool, o forecast.Options) (forecast.Forecaster, error) {
	if !global {
		return forecast.New(name, o)
	}
	o.Global = true
	f, err := forecast.New(name, o)
	if err != nil {
		return nil, err
	}
	if _, ok := f.(globalFitter); !ok {
		return nil, fmt.Errorf("%s cannot be trained across series (no FitGlobal) and forecast from new history", name)
	}
	return f, nil
}

// globalFitter is a model trained on many series at once that forecasts
// any series from its history.
type globalFitter interface {
	forecast.GlobalFitter
	forecast.HistoryPredictor
}

// evaluateGlobal trains one model of the named kind on every history of
// group g and forecasts each series from its own history.
func evaluateGlobal(ctx context.Context, spec, name string, g Group, hist []*dataset.Series, cfg Config, done func(int)) []forecast.SeriesForecast {
	fail := func(err error) []forecast.SeriesForecast {
		out := make([]forecast.SeriesForecast, len(hist))
		for k, s := range hist {
			out[k] = forecast.SeriesForecast{Series: s, Err: fmt.Errorf("series %q: %s: %w", s.ID, spec, err)}
		}
		return out
	}
	o := Options(g, cfg.Seed)
	o.Params = cfg.Params[spec]
	f, err := newModel(name, true, o)
	if err != nil {
		return fail(err)
	}
	gf := f.(globalFitter) // checked by newModel
	if err := gf.FitGlobal(ctx, hist); err != nil {
		return fail(fmt.Errorf("training on the %d %s histories: %w", len(hist), g, err))
	}
	return forecast.PredictEach(ctx, gf, hist, g.Horizon(), cfg.Workers, done)
}

// Combine returns the run whose forecast of each series is the mean of the
// members' forecasts, step by step; a series lacks a forecast when a member
// does. Where every member has an interval of a level, the combination's
// bounds are the means of the members' bounds (quantile averaging). Its
// wall time is the members' total. It panics with no members.
func Combine(method string, members ...*Run) *Run {
	if len(members) == 0 {
		panic("m3: Combine with no members")
	}
	n := len(members[0].Forecasts)
	r := &Run{Method: method, Forecasts: make([]*forecast.Forecast, n), Errs: make([]error, n)}
	for _, m := range members {
		if m.Seconds == nil {
			continue
		}
		if r.Seconds == nil {
			r.Seconds = map[Group]float64{}
		}
		for g, s := range m.Seconds {
			r.Seconds[g] += s
		}
	}
series:
	for i := range n {
		fcs := make([]*forecast.Forecast, len(members))
		for k, m := range members {
			if i >= len(m.Forecasts) || m.Forecasts[i] == nil {
				if i < len(m.Errs) && m.Errs[i] != nil {
					r.Errs[i] = fmt.Errorf("%s: member %s: %w", method, m.Method, m.Errs[i])
				}
				continue series
			}
			fcs[k] = m.Forecasts[i]
			if fcs[k].Len() != fcs[0].Len() {
				r.Errs[i] = fmt.Errorf("%s: member %s forecasts %d steps, %s %d", method, m.Method, fcs[k].Len(), members[0].Method, fcs[0].Len())
				continue series
			}
		}
		r.Forecasts[i] = meanForecast(method, fcs)
	}
	return r
}

// meanForecast averages forecasts of equal length.
func meanForecast(method string, fcs []*forecast.Forecast) *forecast.Forecast {
	h := fcs[0].Len()
	w := 1 / float64(len(fcs))
	out := &forecast.Forecast{Model: method, Strategy: "combination", Time: fcs[0].Time, Index: fcs[0].Index, Values: make([]float64, h)}
	for _, f := range fcs {
		for k, v := range f.Values {
			out.Values[k] += w * v
		}
	}
levels:
	for _, iv := range fcs[0].Intervals {
		m := forecast.Interval{Level: iv.Level, Lo: make([]float64, h), Hi: make([]float64, h)}
		for _, f := range fcs {
			fi, ok := f.Interval(iv.Level)
			if !ok || len(fi.Lo) != h || len(fi.Hi) != h {
				continue levels
			}
			for k := range h {
				m.Lo[k] += w * fi.Lo[k]
				m.Hi[k] += w * fi.Hi[k]
			}
		}
		out.Intervals = append(out.Intervals, m)
	}
	for _, f := range fcs {
		out.Notes = append(out.Notes, f.Notes...)
	}
	return out
}
