package combine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/work"
	"github.com/tsf-go/tsf/internal/workpool"
)

// HybridConfig configures Hybrid. The zero value combines one global
// ES-LSTM (eslstm: Smyl's exponential smoothing learned with a global LSTM)
// with ETS and Theta, equal weights, intervals at 80 % and 95 %.
type HybridConfig struct {
	// Candidates names the members: first one network trained once across
	// every series ("eslstm" or "esrnn", or a neural model "lstm", "gru",
	// "rnn" or "mlp" trained with Options.Global), then any number of local
	// models, fitted on each series on its own. Empty means "eslstm",
	// "ets", "theta".
	Candidates []string
	// Weights is how the members' forecasts are combined, chosen on the
	// pooled validation windows: "mean" (default: equal weights),
	// "inverse2" (weights ∝ 1/MASE², the members' pooled validation MASE)
	// or "best" (the member with the lowest pooled validation MASE alone).
	Weights string
	// Horizon is the number of steps forecast, the length of every
	// series' validation window and the most steps the intervals are
	// calibrated for; 0 means the season, or 12 without one.
	Horizon int
	// Season is the seasonal period; 0 means from the first series'
	// frequency.
	Season int
	// Seed seeds the network.
	Seed uint64
	// Progress, if not nil, is called after each training epoch of the
	// network (in both of its trainings).
	Progress forecast.Progress
	// Params holds settings of the neural member (as for New("lstm")).
	Params map[string]string
	// Levels are the interval levels; empty means 0.8 and 0.95.
	Levels []float64
	// Workers is the number of local fits run at once during FitGlobal; 0
	// means runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
}

// HybridMember is one member of a fitted Hybrid with its pooled validation
// scores and its weight.
type HybridMember struct {
	// Name is the member's model name; the neural member's ends in
	// " (global)".
	Name string
	// Series is the number of validation windows the member forecast.
	Series int
	// SMAPE and MASE are the member's mean sMAPE and MASE over the
	// validation windows every member forecast (NaN when there is none).
	SMAPE, MASE float64
	// Weight is the member's weight in the combination.
	Weight float64
	// Skipped says why a member was left out of the combination ("" if it
	// was not): the network, when no series can train it (too short, or
	// values eslstm cannot take the log of).
	Skipped string
}

// Hybrid is tsf's default for a collection of series: one neural network
// trained across every series (FitGlobal) combined with local classical
// models (ETS and Theta) fitted on each series, the combination that beat
// the M3 competition's winner (docs/M3.md).
//
// FitGlobal holds out every series' last Horizon points, trains the
// network on the shortened series and fits every local member on each of
// them, and forecasts the held-out points with every member: the pooled
// validation windows. Their errors, scaled by each series' in-sample
// seasonal-naive error (the MASE scale), give the members' scores, the
// combination weights (HybridConfig.Weights) and the intervals: the
// conformal quantiles of the combination's scaled errors, per step when
// there are enough series for a level and pooled over the steps (each
// step scaled by its mean absolute error) otherwise; a level that even
// the pooled errors cannot calibrate is left out. The network is then
// trained again on the whole series.
//
// PredictFrom forecasts a series, seen in training or not, from its
// history: the network from its last window, every local member fitted on
// the history, the forecasts combined with the weights (renormalised over
// the members that could forecast it), and the interval bounds placed at
// the calibrated quantiles times the history's MASE scale. When every
// value of the history is positive, the lower bounds are at least 0.
// Same data and seed, same model and forecasts, whatever the number of
// workers.
type Hybrid struct {
	cfg     HybridConfig
	fitted  bool
	net     forecast.HistoryPredictor // the neural member, trained on every series; nil when left out
	members []HybridMember
	weights []float64 // per member, in the order of cfg.Candidates
	cal     []hybridBand
	calN    int // validation windows behind cal
	scored  int // validation windows behind the members' scores
	at      forecast.Anchor
	tail    *dataset.Series // the series of a one-series Fit, for Predict
	skipped []forecast.SkippedSeries
	// netSummary is the network's training summary read from a model
	// file (nil after a fit).
	netSummary *forecast.Summary
}

// hybridBand is the calibrated interval of one level: the quantiles of the
// scaled errors per step.
type hybridBand struct {
	level  float64
	lo, hi []float64
}

var (
	_ forecast.Forecaster       = (*Hybrid)(nil)
	_ forecast.HistoryPredictor = (*Hybrid)(nil)
	_ forecast.GlobalFitter     = (*Hybrid)(nil)
	_ forecast.Persistent       = (*Hybrid)(nil)
)

// HybridWeights are the values of HybridConfig.Weights.
var HybridWeights = []string{"mean", "inverse2", "best"}

// NewHybrid returns an unfitted Hybrid, or an error for bad members or
// weights.
func NewHybrid(cfg HybridConfig) (*Hybrid, error) {
	if len(cfg.Candidates) == 0 {
		cfg.Candidates = []string{"eslstm", "ets", "theta"}
	}
	if cfg.Weights == "" {
		cfg.Weights = "mean"
	}
	if !slices.Contains(HybridWeights, cfg.Weights) {
		return nil, fmt.Errorf("hybrid: unknown weights %q (want %s)", cfg.Weights, orList(HybridWeights))
	}
	if len(cfg.Levels) == 0 {
		cfg.Levels = []float64{0.8, 0.95}
	}
	for _, l := range cfg.Levels {
		if !(l > 0 && l < 1) {
			return nil, fmt.Errorf("hybrid: interval level %g; want one in (0, 1)", l)
		}
	}
	nets := 0
	for i, c := range cfg.Candidates {
		switch {
		case c == "hybrid" || c == "auto" || c == "conformal":
			return nil, fmt.Errorf("hybrid: %s cannot be a member", c)
		case hybridNetwork(c):
			nets++
			if i != 0 {
				return nil, fmt.Errorf("hybrid: the neural member %s must come first in the candidates", c)
			}
		}
		if slices.Index(cfg.Candidates, c) != i {
			return nil, fmt.Errorf("hybrid: member %s given twice", c)
		}
		if _, err := cfg.member(c); err != nil {
			return nil, err
		}
	}
	if nets != 1 {
		return nil, fmt.Errorf("hybrid: candidates %s; want exactly one neural model (lstm, gru, rnn, mlp, eslstm or esrnn), first", strings.Join(cfg.Candidates, ","))
	}
	slices.Sort(cfg.Levels)
	return &Hybrid{cfg: cfg}, nil
}

// hybridNetwork reports whether name can be a hybrid's global member: a
// neural model (trained across series with Options.Global) or a model
// fitted on collections only, such as eslstm.
func hybridNetwork(name string) bool {
	return forecast.IsNeural(name) || (forecast.GlobalOnly(name) && name != "hybrid")
}

// member builds an unfitted member by name: the neural one global.
func (c HybridConfig) member(name string) (forecast.Forecaster, error) {
	o := forecast.Options{Horizon: c.Horizon, Season: c.Season, Seed: c.Seed}
	if hybridNetwork(name) {
		o.Params, o.Progress, o.Global = c.Params, c.Progress, true
	}
	m, err := forecast.New(name, o)
	if err != nil {
		return nil, fmt.Errorf("hybrid: member %s: %w", name, err)
	}
	if o.Global {
		if _, ok := m.(forecast.GlobalFitter); !ok {
			return nil, fmt.Errorf("hybrid: member %s cannot train across series", name)
		}
	}
	if _, ok := m.(forecast.HistoryPredictor); !ok && o.Global {
		return nil, fmt.Errorf("hybrid: member %s: %w", name, forecast.ErrNoHistory)
	}
	return m, nil
}

// Name returns "hybrid".
func (hy *Hybrid) Name() string { return "hybrid" }

// Members returns the members with their pooled validation scores and
// weights, in the order of the candidates; nil before a fit.
func (hy *Hybrid) Members() []HybridMember { return slices.Clone(hy.members) }

// Horizon returns the number of steps the hybrid was fitted and
// calibrated for (the most PredictFrom forecasts); 0 before a fit.
func (hy *Hybrid) Horizon() int {
	if !hy.fitted {
		return 0
	}
	return hy.cfg.Horizon
}

// Network returns the fitted neural member; nil before a fit, or when no
// series was long enough to train it (Members says so).
func (hy *Hybrid) Network() forecast.HistoryPredictor { return hy.net }

// Skipped returns the series the network drew no training window from (it
// forecasts them from their history all the same).
func (hy *Hybrid) Skipped() []forecast.SkippedSeries { return hy.skipped }

// Scored returns the number of validation windows behind the members'
// scores (those every member with validation forecasts forecast).
func (hy *Hybrid) Scored() int { return hy.scored }

// Calibration says on how many validation windows the intervals were
// calibrated and which levels they have.
func (hy *Hybrid) Calibration() (windows int, levels []float64) {
	for _, b := range hy.cal {
		levels = append(levels, b.level)
	}
	return hy.calN, levels
}

// horizonFor is the horizon for a collection whose first series is s.
func (c HybridConfig) horizonFor(s *dataset.Series) int {
	if c.Horizon > 0 {
		return c.Horizon
	}
	if m := forecast.SeasonOf(c.Season, s); m > 1 {
		return m
	}
	return 12
}

// Fit fits the hybrid on one series (FitGlobal of that series alone);
// Predict then forecasts it.
func (hy *Hybrid) Fit(ctx context.Context, s *dataset.Series) error {
	if err := hy.FitGlobal(ctx, []*dataset.Series{s}); err != nil {
		return err
	}
	hy.tail = s
	hy.at = forecast.AnchorOf(s)
	return nil
}

// Predict forecasts the h steps after the series of a one-series Fit.
func (hy *Hybrid) Predict(h int) (*forecast.Forecast, error) {
	if hy.tail == nil {
		if hy.fitted {
			return nil, forecast.ErrGlobalPredict
		}
		return nil, forecast.ErrNotFitted
	}
	return hy.PredictFrom(hy.tail, h)
}

// FitGlobal fits the hybrid on a collection: validation on every series'
// last Horizon points, weights and intervals from the pooled validation
// windows, and the network trained again on the whole series (see
// Hybrid). It fails only when the network cannot be trained.
func (hy *Hybrid) FitGlobal(ctx context.Context, series []*dataset.Series) error {
	c := hy.cfg
	if len(series) == 0 {
		return fmt.Errorf("hybrid: %w: no series", forecast.ErrTooShort)
	}
	c.Horizon = c.horizonFor(series[0])
	if c.Season == 0 {
		c.Season = max(1, series[0].Freq.Season())
	}
	H := c.Horizon
	hy.fitted, hy.net, hy.members, hy.weights, hy.cal, hy.calN, hy.scored, hy.tail, hy.skipped, hy.netSummary = false, nil, nil, nil, nil, 0, 0, nil, nil, nil

	// The validation windows: every series long enough to keep two points
	// before its last H.
	var idx []int
	var short []*dataset.Series
	for i, s := range series {
		if s.Len() >= H+2 && forecast.CheckSeries(s) == nil {
			idx = append(idx, i)
			short = append(short, s.Slice(0, s.Len()-H))
		}
	}
	k := len(c.Candidates)
	val := make([][][]float64, k) // val[j][v]: member j's forecast of window v, nil if none
	if len(short) > 0 {
		net, err := c.member(c.Candidates[0])
		if err != nil {
			return err
		}
		if err := net.(forecast.GlobalFitter).FitGlobal(ctx, short); err != nil && (ctx.Err() != nil || !(errors.Is(err, forecast.ErrTooShort) || errors.Is(err, forecast.ErrBadData))) {
			return fmt.Errorf("hybrid: validation training of %s: %w", c.Candidates[0], err)
		} else if err == nil {
			val[0] = hy.predictAll(ctx, c, func(int) (forecast.Forecaster, error) { return net, nil }, short, true)
		}
		for j := 1; j < k; j++ {
			name := c.Candidates[j]
			val[j] = hy.predictAll(ctx, c, func(int) (forecast.Forecaster, error) { return c.member(name) }, short, false)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	hy.members, hy.weights, hy.scored = c.score(series, idx, val)

	net, err := c.member(c.Candidates[0])
	if err != nil {
		return err
	}
	if err := net.(forecast.GlobalFitter).FitGlobal(ctx, series); err != nil {
		if ctx.Err() != nil || !(errors.Is(err, forecast.ErrTooShort) || errors.Is(err, forecast.ErrBadData)) || k == 1 {
			return fmt.Errorf("hybrid: %s: %w", c.Candidates[0], err)
		}
		// No series is long enough for the network: the local members
		// forecast alone, their weights renormalised.
		val[0] = nil
		hy.members[0].Skipped = err.Error()
		dropFirst(hy.weights)
		for j := range hy.members {
			hy.members[j].Weight = hy.weights[j]
		}
	} else {
		hy.net = net.(forecast.HistoryPredictor)
		if sk, ok := net.(interface {
			Skipped() []forecast.SkippedSeries
		}); ok {
			hy.skipped = sk.Skipped()
		}
	}
	hy.cal, hy.calN = c.calibrate(series, idx, val, hy.weights)
	hy.at = forecast.Anchor{Name: fmt.Sprintf("%d series", len(series)), Freq: series[0].Freq}
	hy.cfg.Horizon, hy.cfg.Season = c.Horizon, c.Season
	hy.fitted = true
	return nil
}

// dropFirst sets w[0] to 0 and renormalises the others to sum to 1 (equal
// weights when they were all 0).
func dropFirst(w []float64) {
	w[0] = 0
	sum := 0.0
	for _, v := range w[1:] {
		sum += v
	}
	for j := 1; j < len(w); j++ {
		if sum > 0 {
			w[j] /= sum
		} else {
			w[j] = 1 / float64(len(w)-1)
		}
	}
}

// predictAll forecasts the H steps after every history with the member
// newMember(v) gives (fitted on the history first unless fitted is set),
// on a pool of workers; a failed forecast is nil.
func (hy *Hybrid) predictAll(ctx context.Context, c HybridConfig, newMember func(int) (forecast.Forecaster, error), hist []*dataset.Series, fitted bool) [][]float64 {
	out := make([][]float64, len(hist))
	workers := c.Workers
	if fitted {
		// The network's forecasts reuse buffers: one at a time.
		workers = 1
	}
	workpool.For(ctx, len(hist), workers, func(v int) {
		f, err := newMember(v)
		if err != nil {
			return
		}
		var fc *forecast.Forecast
		if fitted {
			fc, err = work.Safely(func() (*forecast.Forecast, error) { return forecast.PredictFrom(f, hist[v], c.Horizon) })
		} else {
			fc, err = work.Safely(func() (*forecast.Forecast, error) {
				if err := f.Fit(ctx, hist[v]); err != nil {
					return nil, err
				}
				return f.Predict(c.Horizon)
			})
		}
		if err != nil || fc.Len() != c.Horizon || !allFinite(fc.Values) {
			return
		}
		out[v] = fc.Values
	})
	return out
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
