package combine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// AutoConfig configures Auto. The zero value takes a local LSTM when the
// series is long enough for one, and otherwise the mean of ETS and Theta.
type AutoConfig struct {
	// Candidates names the models to combine, built with New; empty means
	// "lstm", "ets", "theta".
	Candidates []string
	// Weights is how the candidates' forecasts are combined: "fallback"
	// (default: the first candidate alone when it can fit the series, else
	// the mean of the others that can), "inverse2" (weights ∝ 1/MAE² on a
	// holdout of the last Horizon points), "mean" (equal weights) or "best"
	// (the candidate with the lowest holdout MAE alone). Only inverse2 and
	// best fit the candidates twice (once for the holdout).
	Weights string
	// Horizon is the forecast horizon the candidates are trained for and the
	// length of the holdout; 0 means the season, or 12 without one.
	Horizon int
	// Season is the seasonal period; 0 means from the series' frequency.
	Season int
	// Seed seeds the neural candidates.
	Seed uint64
	// Progress, if not nil, is called after each training epoch of a
	// neural candidate.
	Progress forecast.Progress
	// Params holds settings of the neural candidates (as for New("lstm")),
	// passed to every neural candidate.
	Params map[string]string
}

// AutoMember is one candidate of a fitted Auto: its holdout error and its
// weight in the combination, or why it was left out.
type AutoMember struct {
	// Name is the candidate's model name ("lstm", "ets", "theta").
	Name string
	// Model is what the candidate resolved to when fitted on the whole
	// series (its Name, e.g. "ets(A,Ad,M)"); "" if it was left out.
	Model string
	// MAE is the candidate's mean absolute error on the holdout, NaN when
	// the series was too short for a holdout.
	MAE float64
	// Weight is the candidate's weight in the combined forecast; 0 when
	// it was left out.
	Weight float64
	// Skipped says why a candidate was left out ("" if it was not).
	Skipped string
}

// Auto is tsf's default model. By default it forecasts with a local LSTM
// when the series is long enough for one (enough windows to train it and to
// calibrate finite 80 % and 95 % intervals), and otherwise with the mean of
// ETS and Theta (the combination that beats the M3 competition's Theta),
// so it forecasts every series that ETS or Theta can, and says which it
// took (Members). With Weights "inverse2" it instead scores every
// candidate on a holdout of the series' last Horizon points, refits them
// on the whole series and combines their forecasts and intervals with
// weights ∝ 1/MAE²; that measured worse than the LSTM alone on the long
// series of docs/EVALUATION.md, where one holdout is too noisy to weigh by.
// A candidate that cannot fit is left out and says why.
type Auto struct {
	cfg     AutoConfig
	members []AutoMember
	models  []forecast.Forecaster // the refitted candidates with Weight > 0
	weights []float64             // their weights, summing to 1
}

var (
	_ forecast.Forecaster       = (*Auto)(nil)
	_ forecast.HistoryPredictor = (*Auto)(nil)
	_ forecast.Persistent       = (*Auto)(nil)
)

// NewAuto returns an unfitted Auto. It returns an error for an unknown
// candidate or combination.
func NewAuto(cfg AutoConfig) (*Auto, error) {
	if len(cfg.Candidates) == 0 {
		cfg.Candidates = []string{"lstm", "ets", "theta"}
	}
	if cfg.Weights == "" {
		cfg.Weights = "fallback"
	}
	switch cfg.Weights {
	case "fallback", "inverse2", "mean", "best":
	default:
		return nil, fmt.Errorf("auto: unknown weights %q (want fallback, inverse2, mean or best)", cfg.Weights)
	}
	for _, c := range cfg.Candidates {
		if c == "auto" {
			return nil, errors.New("auto: auto cannot be its own candidate")
		}
		if _, err := cfg.candidate(c); err != nil {
			return nil, err
		}
	}
	return &Auto{cfg: cfg}, nil
}

// candidate builds an unfitted candidate by name.
func (c AutoConfig) candidate(name string) (forecast.Forecaster, error) {
	o := forecast.Options{Horizon: c.Horizon, Season: c.Season, Seed: c.Seed}
	if forecast.IsNeural(name) {
		o.Params, o.Progress = c.Params, c.Progress
	}
	m, err := forecast.New(name, o)
	if err != nil {
		return nil, fmt.Errorf("auto: candidate %s: %w", name, err)
	}
	return m, nil
}

// Name returns "auto".
func (a *Auto) Name() string { return "auto" }

// Members returns every candidate with its holdout MAE and weight, or why
// it was left out, in the order of AutoConfig.Candidates.
func (a *Auto) Members() []AutoMember { return slices.Clone(a.members) }

// Models returns the fitted candidates that make the forecast, in the order
// of Members with a positive weight; nil before Fit.
func (a *Auto) Models() []forecast.Forecaster { return slices.Clone(a.models) }

// horizon is the holdout length and training horizon for s.
func (a *Auto) horizon(s *dataset.Series) int {
	if a.cfg.Horizon > 0 {
		return a.cfg.Horizon
	}
	if m := forecast.SeasonOf(a.cfg.Season, s); m > 1 {
		return m
	}
	return 12
}

// Fit scores every candidate on the last Horizon points of s (when s is
// long enough to keep at least max(2·season, 8) points before them, and
// the weights need a holdout), refits
// them on all of s and sets the combination weights. It fails on a series
// shorter than a season (or 5 points), which even a seasonal naive forecast
// cannot use, and when no candidate can fit s, naming each one's reason.
func (a *Auto) Fit(ctx context.Context, s *dataset.Series) error {
	if err := forecast.CheckSeries(s); err != nil {
		return err
	}
	c := a.cfg
	c.Horizon = a.horizon(s)
	H, n := c.Horizon, s.Len()
	m := max(forecast.SeasonOf(c.Season, s), 1)
	if need := max(m, 5); n < need {
		why := "auto"
		if m > 1 {
			why = fmt.Sprintf("auto with season %d (a seasonal naive forecast's minimum)", m)
		}
		return &forecast.ShortError{What: "train series", Have: n, Need: need, Why: why}
	}
	members := make([]AutoMember, len(c.Candidates))
	errs := make([]error, len(c.Candidates))
	holdout := n-H >= max(2*m, 8) && (c.Weights == "inverse2" || c.Weights == "best")
	for i, name := range c.Candidates {
		members[i] = AutoMember{Name: name, MAE: math.NaN()}
		if !holdout {
			continue
		}
		mae, err := holdoutMAE(ctx, c, name, s, H)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			members[i].Skipped = "holdout: " + err.Error()
			errs[i] = err
			continue
		}
		members[i].MAE = mae
	}
	var models []forecast.Forecaster
	var idx []int
	for i, name := range c.Candidates {
		if members[i].Skipped != "" {
			continue
		}
		if c.Weights == "fallback" && i > 0 && len(models) > 0 && idx[0] == 0 {
			members[i].Skipped = "not needed: " + c.Candidates[0] + " fits the series"
			continue
		}
		f, err := c.candidate(name)
		if err == nil {
			err = f.Fit(ctx, s)
		}
		if err == nil && c.Weights == "fallback" && i == 0 && len(c.Candidates) > 1 {
			err = soundForecast(f, H)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			members[i].Skipped = err.Error()
			errs[i] = err
			continue
		}
		members[i].Model = f.Name()
		models = append(models, f)
		idx = append(idx, i)
	}
	if len(models) == 0 {
		var why []string
		for _, mb := range members {
			why = append(why, mb.Name+": "+mb.Skipped)
		}
		err := fmt.Errorf("auto: no candidate could forecast series %q (%s)", s.Name, strings.Join(why, "; "))
		if slices.ContainsFunc(errs, func(e error) bool { return errors.Is(e, forecast.ErrTooShort) }) {
			return fmt.Errorf("%w: %w", forecast.ErrTooShort, err)
		}
		return err
	}
	mae := make([]float64, len(idx))
	for k, i := range idx {
		mae[k] = members[i].MAE
	}
	w := autoWeights(c.Weights, mae)
	var keptModels []forecast.Forecaster
	var kept []float64
	for k, i := range idx {
		members[i].Weight = w[k]
		if w[k] > 0 {
			keptModels = append(keptModels, models[k])
			kept = append(kept, w[k])
		}
	}
	a.cfg.Horizon = c.Horizon
	a.members, a.models, a.weights = members, keptModels, kept
	return nil
}

// soundForecast checks that f's forecast of h steps is finite, intervals
// included: a network fitted on a series with too few validation windows
// for a finite 95 % interval is not what fallback should settle for.
func soundForecast(f forecast.Forecaster, h int) error {
	fc, err := f.Predict(h)
	if err != nil {
		return err
	}
	finite := func(x []float64) bool {
		return !slices.ContainsFunc(x, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
	}
	if !finite(fc.Values) {
		return fmt.Errorf("its forecast is not finite: %w", forecast.ErrBadData)
	}
	for _, iv := range fc.Intervals {
		if !finite(iv.Lo) || !finite(iv.Hi) {
			return fmt.Errorf("the series is too short for finite %g %% intervals (too few validation windows): %w", 100*iv.Level, forecast.ErrTooShort)
		}
	}
	if len(fc.Notes) > 0 {
		// An interval it cannot calibrate is left out, with a note.
		return fmt.Errorf("the series is too short for its intervals (%s): %w", strings.Join(fc.Notes, "; "), forecast.ErrTooShort)
	}
	return nil
}

// holdoutMAE fits candidate name on s without its last H points and
// returns its MAE on them.
func holdoutMAE(ctx context.Context, c AutoConfig, name string, s *dataset.Series, H int) (float64, error) {
	n := s.Len()
	f, err := c.candidate(name)
	if err != nil {
		return 0, err
	}
	if err := f.Fit(ctx, s.Slice(0, n-H)); err != nil {
		return 0, err
	}
	fc, err := f.Predict(H)
	if err != nil {
		return 0, err
	}
	mae := 0.0
	for k, v := range fc.Values {
		mae += math.Abs(v - s.Values[n-H+k])
	}
	mae /= float64(H)
	if math.IsNaN(mae) || math.IsInf(mae, 0) {
		return 0, fmt.Errorf("non-finite holdout forecast: %w", forecast.ErrBadData)
	}
	return mae, nil
}

// autoWeights turns holdout MAEs (NaN where unknown) into weights summing
// to 1. Without a holdout (and for fallback, whose first candidate, when it
// fits, is the only one fitted) every candidate weighs the same.
func autoWeights(how string, mae []float64) []float64 {
	w := make([]float64, len(mae))
	known := !slices.ContainsFunc(mae, math.IsNaN)
	if how == "mean" || how == "fallback" || !known {
		for i := range w {
			w[i] = 1 / float64(len(w))
		}
		return w
	}
	best := 0
	for i, e := range mae {
		if e < mae[best] {
			best = i
		}
	}
	if how == "best" || mae[best] == 0 {
		w[best] = 1
		return w
	}
	sum := 0.0
	for i, e := range mae {
		w[i] = 1 / (e * e)
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// Predict combines the refitted candidates' forecasts of the h steps after
// the fitted series.
func (a *Auto) Predict(h int) (*forecast.Forecast, error) {
	if a.models == nil {
		return nil, forecast.ErrNotFitted
	}
	fcs := make([]*forecast.Forecast, len(a.models))
	for i, m := range a.models {
		fc, err := m.Predict(h)
		if err != nil {
			return nil, fmt.Errorf("auto: %s: %w", m.Name(), err)
		}
		fcs[i] = fc
	}
	return a.combine(fcs), nil
}

// PredictFrom combines the candidates' forecasts of the h steps after
// history, without refitting; every candidate must be a HistoryPredictor.
func (a *Auto) PredictFrom(history *dataset.Series, h int) (*forecast.Forecast, error) {
	if a.models == nil {
		return nil, forecast.ErrNotFitted
	}
	fcs := make([]*forecast.Forecast, len(a.models))
	for i, m := range a.models {
		fc, err := forecast.PredictFrom(m, history, h)
		if err != nil {
			return nil, fmt.Errorf("auto: %s: %w", m.Name(), err)
		}
		fcs[i] = fc
	}
	return a.combine(fcs), nil
}

// combine averages the forecasts with the weights, and the bounds of every
// interval level that all of them give (quantile averaging).
func (a *Auto) combine(fcs []*forecast.Forecast) *forecast.Forecast {
	h := fcs[0].Len()
	strategy := "combination"
	if len(fcs) == 1 {
		strategy = fcs[0].Strategy
	}
	out := &forecast.Forecast{Model: "auto", Strategy: strategy, Time: fcs[0].Time, Index: fcs[0].Index, Values: make([]float64, h)}
	for i, fc := range fcs {
		for k, v := range fc.Values {
			out.Values[k] += a.weights[i] * v
		}
	}
	for _, iv := range fcs[0].Intervals {
		civ := forecast.Interval{Level: iv.Level, Lo: make([]float64, h), Hi: make([]float64, h)}
		all := true
		for i, fc := range fcs {
			jv, ok := fc.Interval(iv.Level)
			if !ok {
				all = false
				break
			}
			for k := range h {
				civ.Lo[k] += a.weights[i] * jv.Lo[k]
				civ.Hi[k] += a.weights[i] * jv.Hi[k]
			}
		}
		if all {
			out.Intervals = append(out.Intervals, civ)
		}
	}
	for _, fc := range fcs {
		out.Notes = append(out.Notes, fc.Notes...)
	}
	return out
}

// AutoFromOptions turns Options into an AutoConfig: Params "candidates"
// (comma-separated model names) and "weights" are Auto's own, every other
// parameter goes to the neural candidates.
func AutoFromOptions(o forecast.Options) (AutoConfig, error) {
	cands, weights, params := combinationParams(o)
	return AutoConfig{Horizon: o.Horizon, Season: o.Season, Seed: o.Seed, Progress: o.Progress,
		Candidates: cands, Weights: weights, Params: params}, nil
}

// combinationParams splits the Params of a combination (auto, hybrid):
// "candidates" (comma-separated model names) and "weights" are its own,
// every other parameter, and Options.Window as "window" unless given, goes
// to its neural member.
func combinationParams(o forecast.Options) (candidates []string, weights string, params map[string]string) {
	for k, v := range o.Params {
		switch k {
		case "candidates":
			// Comma-separated, or "+" (a flag list of key=value pairs
			// cannot hold commas).
			for _, name := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '+' }) {
				if name = strings.TrimSpace(name); name != "" {
					candidates = append(candidates, name)
				}
			}
		case "weights":
			weights = v
		default:
			if params == nil {
				params = map[string]string{}
			}
			params[k] = v
		}
	}
	if o.Window > 0 {
		if params == nil {
			params = map[string]string{}
		}
		if _, ok := params["window"]; !ok {
			params["window"] = strconv.Itoa(o.Window)
		}
	}
	return candidates, weights, params
}

func init() {
	forecast.Register("auto", func(o forecast.Options) (forecast.Forecaster, error) {
		c, err := AutoFromOptions(o)
		if err != nil {
			return nil, err
		}
		return NewAuto(c)
	})
}
