package forecast

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/tsf-go/tsf/dataset"
)

// ConformalConfig configures split-conformal prediction intervals. The
// zero value of every field but Horizon means its default.
type ConformalConfig struct {
	// Horizon is the number of steps calibrated (required); Predict
	// accepts h up to Horizon.
	Horizon int
	// Levels are the nominal coverages, each in (0, 1); default 0.8 and
	// 0.95.
	Levels []float64
	// Windows is the number of calibration origins, the last ones of the
	// training series, Step apart; default 30, reduced if the series is
	// short so that every calibration fit keeps at least half the series.
	Windows int
	// Step is the distance between calibration origins; default 1.
	Step int
	// MaxTrain caps each calibration fit's training window (see
	// BacktestConfig.MaxTrain); 0 means all points before the origin.
	MaxTrain int
	// Workers is the number of calibration fits run at once; 0 means
	// runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
}

// Conformal wraps any model with split-conformal prediction intervals.
// Fit calibrates by a rolling-origin backtest over the last Windows origins
// of the training series, keeping the absolute residuals |y - ŷ| of each
// forecast step k, then fits a fresh model on the whole series. The
// half-width of the level-α interval at step k is the ⌈(n+1)α⌉-th smallest
// of the n residuals of step k (the finite-sample correction), so under
// exchangeable residuals the interval covers with probability at least α.
// When ⌈(n+1)α⌉ > n (too few residuals at a step: missing actual values)
// the width is infinite, and forecasts leave that level out with a note.
type Conformal struct {
	newModel Factory
	cfg      ConformalConfig
	model    Forecaster
	levels   []float64
	width    [][]float64 // [level][step]
	resid    [][]float64 // [step][window], sorted
}

var (
	_ HistoryPredictor = (*Conformal)(nil)
	_ Persistent       = (*Conformal)(nil)
)

// NewConformal returns a conformal wrapper around the models newModel
// builds. It panics if cfg.Horizon < 1 or a level is outside (0, 1).
func NewConformal(newModel Factory, cfg ConformalConfig) *Conformal {
	if cfg.Horizon < 1 {
		panic(fmt.Sprintf("forecast: NewConformal with horizon %d", cfg.Horizon))
	}
	levels := cfg.Levels
	if len(levels) == 0 {
		levels = []float64{0.8, 0.95}
	}
	levels = slices.Clone(levels)
	slices.Sort(levels)
	for _, l := range levels {
		if !(l > 0 && l < 1) {
			panic(fmt.Sprintf("forecast: NewConformal with level %g outside (0, 1)", l))
		}
	}
	return &Conformal{newModel: newModel, cfg: cfg, levels: levels}
}

// Name returns the wrapped model's name.
func (c *Conformal) Name() string {
	if c.model != nil {
		return c.model.Name()
	}
	if c.newModel == nil {
		return "conformal"
	}
	return c.newModel().Name()
}

// Model returns the wrapped model fitted on the whole series (nil before
// Fit).
func (c *Conformal) Model() Forecaster { return c.model }

// Residuals returns the sorted absolute calibration residuals of step k
// (0-based). It returns nil for a Conformal loaded from a model file, which keeps
// only the calibrated widths, and panics if k is out of range otherwise.
func (c *Conformal) Residuals(k int) []float64 {
	if c.resid == nil {
		return nil
	}
	return c.resid[k]
}

// Horizon returns the number of calibrated steps: Predict accepts h up to it.
func (c *Conformal) Horizon() int { return c.cfg.Horizon }

// Levels returns the nominal coverages of the intervals, in increasing order.
func (c *Conformal) Levels() []float64 { return slices.Clone(c.levels) }

// Fit calibrates the intervals on s and then fits the model on all of s.
func (c *Conformal) Fit(ctx context.Context, s *dataset.Series) error {
	if c.newModel == nil {
		return errors.New(`conformal: no model to wrap (build it with NewConformal, or New("conformal") with Params["model"])`)
	}
	h := c.cfg.Horizon
	step := max(c.cfg.Step, 1)
	w := c.cfg.Windows
	if w == 0 {
		// Keep at least half the series in the first calibration fit.
		w = min(30, (s.Len()-s.Len()/2-h)/step+1)
	}
	top := c.levels[len(c.levels)-1]
	need := ConformalNeed(top)
	if w < need {
		if c.cfg.Windows != 0 {
			return fmt.Errorf("conformal: %d calibration windows give no finite interval at level %g; need at least %d", w, top, need)
		}
		return fmt.Errorf("conformal: %w", &ShortError{What: "train series", Have: s.Len(),
			Need: 2 * (h + (need-1)*step),
			Why:  fmt.Sprintf("%d calibration windows (for level %g) of horizon %d, each fit on at least half the series,", need, top, h)})
	}
	res, err := Backtest(ctx, s, c.newModel, BacktestConfig{
		Horizon: h, Folds: w, Step: step, MaxTrain: c.cfg.MaxTrain, Workers: c.cfg.Workers, Season: 1,
	})
	if err != nil {
		return fmt.Errorf("conformal calibration: %w", err)
	}
	c.resid = make([][]float64, h)
	for k := range h {
		r := make([]float64, 0, w)
		for _, f := range res.Folds {
			if e := math.Abs(f.Actual[k] - f.Forecast.Values[k]); !math.IsNaN(e) {
				r = append(r, e)
			}
		}
		slices.Sort(r)
		c.resid[k] = r
	}
	c.width = make([][]float64, len(c.levels))
	for i, l := range c.levels {
		c.width[i] = make([]float64, h)
		for k := range h {
			c.width[i][k] = conformalQuantile(c.resid[k], l)
		}
	}
	m := c.newModel()
	if err := m.Fit(ctx, s); err != nil {
		return err
	}
	c.model = m
	return nil
}

// ConformalNeed returns the fewest residuals whose conformal quantile at
// level is finite, the least n with ⌈(n+1)·level⌉ ≤ n: 4 at 80 %, 19 at
// 95 %.
func ConformalNeed(level float64) int { return int(math.Ceil(level/(1-level) - 1e-9)) }

// conformalQuantile returns the ⌈(n+1)·level⌉-th smallest of the sorted
// residuals r, or +Inf if that rank exceeds n.
func conformalQuantile(r []float64, level float64) float64 {
	n := len(r)
	rank := int(math.Ceil(float64(n+1)*level - 1e-9))
	if rank > n || n == 0 {
		return math.Inf(1)
	}
	return r[max(rank, 1)-1]
}

// Predict forecasts h ≤ Horizon steps with their intervals.
func (c *Conformal) Predict(h int) (*Forecast, error) {
	if c.model == nil {
		return nil, fmt.Errorf("conformal: %w", ErrNotFitted)
	}
	if err := c.checkH(h); err != nil {
		return nil, err
	}
	fc, err := c.model.Predict(h)
	if err != nil {
		return nil, err
	}
	c.attach(fc)
	return fc, nil
}

// PredictFrom forecasts from new history with the wrapped model's fitted
// parameters (it must be a HistoryPredictor) and the calibrated widths.
func (c *Conformal) PredictFrom(history *dataset.Series, h int) (*Forecast, error) {
	if c.model == nil {
		return nil, fmt.Errorf("conformal: %w", ErrNotFitted)
	}
	if err := c.checkH(h); err != nil {
		return nil, err
	}
	fc, err := PredictFrom(c.model, history, h)
	if err != nil {
		return nil, err
	}
	c.attach(fc)
	return fc, nil
}

func (c *Conformal) checkH(h int) error {
	if h < 1 || h > c.cfg.Horizon {
		return fmt.Errorf("conformal: %w: horizon %d; calibrated for 1 to %d", ErrHorizon, h, c.cfg.Horizon)
	}
	return nil
}

// attach sets the intervals of fc from the calibrated half-widths. A
// level whose width is infinite at one of fc's steps (fewer residuals
// there than the level needs: actual values were missing, or a model file
// says so) is left out, with a note.
func (c *Conformal) attach(fc *Forecast) {
	fc.Intervals, fc.Notes = fc.Intervals[:0], fc.Notes[:0]
levels:
	for i, l := range c.levels {
		iv := Interval{Level: l, Lo: make([]float64, fc.Len()), Hi: make([]float64, fc.Len())}
		for k, v := range fc.Values {
			w := c.width[i][k]
			if math.IsInf(w, 0) || math.IsNaN(w) {
				// Only what a model file keeps too: a loaded model's note
				// is the same.
				fc.NoInterval(l, fmt.Sprintf("too few calibration residuals at step %d (a %s interval needs %d)",
					k+1, LevelName(l), ConformalNeed(l)))
				continue levels
			}
			iv.Lo[k], iv.Hi[k] = v-w, v+w
		}
		fc.Intervals = append(fc.Intervals, iv)
	}
	fc.DropNonFinite()
}

func init() {
	Register("conformal", func(o Options) (Forecaster, error) {
		inner := o.Params["model"]
		if inner == "" {
			// An empty shell, for Load.
			return &Conformal{}, nil
		}
		if o.Horizon < 1 {
			return nil, fmt.Errorf("conformal: horizon %d; want at least 1", o.Horizon)
		}
		io := o
		io.Params = maps.Clone(o.Params)
		delete(io.Params, "model")
		if _, err := New(inner, io); err != nil {
			return nil, err
		}
		return NewConformal(func() Forecaster { g, _ := New(inner, io); return g }, ConformalConfig{Horizon: o.Horizon}), nil
	})
}

// IntervalModel is a Forecaster whose forecasts carry prediction intervals
// of its own, from its model rather than from refits (ets.ETS, theta.Theta): it
// needs no Conformal wrapper to give lo80..hi95. Conformal intervals stay
// available for it with NewConformal.
type IntervalModel interface {
	Forecaster
	// IntervalLevels returns the nominal coverages of the intervals its
	// forecasts carry, in increasing order.
	IntervalLevels() []float64
}

var (
	_ IntervalModel = (*Conformal)(nil)
)

// HasIntervals reports whether f's forecasts carry intervals at every one
// of the given levels (0.8 and 0.95 if none are given) without a wrapper.
func HasIntervals(f Forecaster, levels ...float64) bool {
	im, ok := f.(IntervalModel)
	if !ok {
		return false
	}
	if len(levels) == 0 {
		levels = []float64{0.8, 0.95}
	}
	have := im.IntervalLevels()
	for _, l := range levels {
		if !slices.ContainsFunc(have, func(h float64) bool { return math.Abs(h-l) < 1e-9 }) {
			return false
		}
	}
	return true
}

// IntervalLevels returns the levels of the calibrated intervals.
func (c *Conformal) IntervalLevels() []float64 { return c.Levels() }
