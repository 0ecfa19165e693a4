package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// Forecaster is a model that is fitted on one series and forecasts the steps
// after it. Every tsf model, neural or classical, implements it, so
// backtests and comparisons treat them alike.
//
// Fit may be called again to refit on another series; Predict forecasts the
// h steps after the series last given to Fit, on its original scale.
type Forecaster interface {
	// Name is a short, stable name such as "naive" or "ets(A,Ad,M)".
	Name() string
	// Fit fits the model on s. It must not keep a reference that lets it
	// see beyond s, and must not modify s.
	Fit(ctx context.Context, s *dataset.Series) error
	// Predict forecasts the h steps after the fitted series.
	Predict(h int) (*Forecast, error)
}

// HistoryPredictor is a Forecaster that can forecast from new history
// without refitting: it keeps its fitted parameters and forecasts the h
// steps after history. `tsf predict` uses it with a loaded model, and
// Backtest uses it between refits (BacktestConfig.RefitEvery).
type HistoryPredictor interface {
	Forecaster
	PredictFrom(history *dataset.Series, h int) (*Forecast, error)
}

// Factory builds a new, unfitted Forecaster. Backtests, conformal
// calibration and FitMany call it once per fold or series so that no state
// is shared between concurrent fits.
type Factory func() Forecaster

// Forecast holds h forecast steps.
type Forecast struct {
	// Model is the Name of the Forecaster that made it.
	Model string
	// Strategy is how a multi-step forecast was made: "direct",
	// "recursive" or "n/a" (for closed-form baselines).
	Strategy string
	// Time holds the timestamps of the steps; nil for an integer-indexed
	// series.
	Time []time.Time
	// Index holds the integer positions of the steps, counted from the
	// first point of the series the forecast was made from.
	Index []int
	// Values holds the point forecasts, len h.
	Values []float64
	// Intervals holds prediction intervals, one per level, in increasing
	// order of level. It is empty when the model gives none (see Conformal).
	// Every bound is finite: an interval that cannot be computed (too few
	// calibration residuals for its level, an overflow) is left out, never
	// given infinite, NaN or collapsed bounds, and Notes says why.
	Intervals []Interval
	// Notes says why an interval the model gives is missing from
	// Intervals, one short line per reason, each starting with the levels
	// it concerns: "no 95% interval: too few validation windows (a 95%
	// interval needs 19 residuals; each window gives 12)". Empty when none
	// is missing.
	Notes []string
}

// Len returns the number of forecast steps.
func (f *Forecast) Len() int { return len(f.Values) }

// Interval returns the interval with the given level and whether it exists.
func (f *Forecast) Interval(level float64) (Interval, bool) {
	for _, iv := range f.Intervals {
		if math.Abs(iv.Level-level) < 1e-9 {
			return iv, true
		}
	}
	return Interval{}, false
}

// CheckFinite returns an error wrapping ErrNotFinite when a point forecast
// or an interval bound of f is NaN or infinite. The forecasts of this
// package's models pass it; WriteCSV and WriteLongCSV refuse those that do
// not, so nothing is ever written as "inf" or an accidental empty cell.
func (f *Forecast) CheckFinite() error {
	for k, v := range f.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: %s forecast step %d is %g", ErrNotFinite, f.Model, k+1, v)
		}
	}
	for _, iv := range f.Intervals {
		if k, v, ok := nonFinite(iv.Lo, iv.Hi); ok {
			return fmt.Errorf("%w: %s %s interval at step %d has bound %g (a model leaves out an interval it cannot compute)",
				ErrNotFinite, f.Model, LevelName(iv.Level), k+1, v)
		}
	}
	return nil
}

// nonFinite returns the first position and value that is NaN or infinite
// in any of xs, and whether there is one.
func nonFinite(xs ...[]float64) (int, float64, bool) {
	for _, x := range xs {
		for k, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return k, v, true
			}
		}
	}
	return 0, 0, false
}

// LevelName formats a nominal coverage as a percentage: "95%", "99.5%".
func LevelName(level float64) string {
	return strconv.FormatFloat(100*level, 'g', 6, 64) + "%"
}

// levelNames lists levels as percentages: "95%", "80% or 95%", "80%, 90%
// or 95%".
func levelNames(levels []float64) string {
	names := make([]string, len(levels))
	for i, l := range levels {
		names[i] = LevelName(l)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// NoInterval leaves the interval at level out of f, if it is there, and
// notes why: "no 95% interval: why".
func (f *Forecast) NoInterval(level float64, why string) {
	f.Intervals = slices.DeleteFunc(f.Intervals, func(iv Interval) bool { return math.Abs(iv.Level-level) < 1e-9 })
	f.Notes = append(f.Notes, "no "+LevelName(level)+" interval: "+why)
}

// Settle returns an ErrNotFinite error for the first point forecast of f
// that is NaN or infinite (an overflow); otherwise it leaves out every
// interval with a non-finite bound, noting why (DropNonFinite).
func (f *Forecast) Settle() error {
	if k, v, ok := nonFinite(f.Values); ok {
		return fmt.Errorf("%w: step %d is %g (beyond the float64 range)", ErrNotFinite, k+1, v)
	}
	f.DropNonFinite()
	return nil
}

// DropNonFinite leaves out every interval of f with a NaN or infinite
// bound (an overflow), noting why.
func (f *Forecast) DropNonFinite() {
	for i := 0; i < len(f.Intervals); {
		iv := f.Intervals[i]
		k, v, ok := nonFinite(iv.Lo, iv.Hi)
		if !ok {
			i++
			continue
		}
		f.NoInterval(iv.Level, fmt.Sprintf("its bound at step %d overflows (%g)", k+1, v))
	}
}

// Interval is a prediction interval at one nominal level: the true value is
// expected to lie in [Lo[k], Hi[k]] with probability Level at step k.
type Interval struct {
	// Level is the nominal coverage in (0, 1), e.g. 0.8 or 0.95.
	Level float64
	// Lo and Hi are the bounds per step, len h.
	Lo, Hi []float64
}

// NewForecast returns a Forecast for the h steps after s with the given
// values, filling Time and Index from s. Forecaster implementations use it.
// It panics if len(values) == 0.
func NewForecast(model, strategy string, s *dataset.Series, values []float64) *Forecast {
	if len(values) == 0 {
		panic("forecast: NewForecast with no values")
	}
	return &Forecast{
		Model:    model,
		Strategy: strategy,
		Time:     s.Future(len(values)),
		Index:    s.FutureIndex(len(values)),
		Values:   values,
	}
}

// Sentinel errors; test them with errors.Is.
var (
	// ErrTooShort: the series has too few points for the model or
	// protocol. The message says how many were needed and why. It is
	// dataset.ErrTooShort, so one errors.Is test matches a series too
	// short for the loader, the windows or a model.
	ErrTooShort = dataset.ErrTooShort
	// ErrNotFitted: Predict was called before a successful Fit.
	ErrNotFitted = errors.New("model is not fitted")
	// ErrHorizon: the horizon is not positive or exceeds what the model
	// supports (e.g. a Conformal wrapper calibrated for fewer steps).
	ErrHorizon = errors.New("invalid horizon")
	// ErrBadData: the series holds values the model cannot use (NaN, Inf,
	// or non-positive values for a multiplicative model).
	ErrBadData = errors.New("bad data")
	// ErrUnknownModel: no model is registered under that name.
	ErrUnknownModel = errors.New("unknown model")
	// ErrNoHistory: the Forecaster cannot forecast from new history
	// without refitting (it does not implement HistoryPredictor).
	ErrNoHistory = errors.New("model cannot forecast from new history")
	// ErrNotFinite: a point forecast (or, for Forecast.CheckFinite, an
	// interval bound) is NaN or infinite, e.g. a forecast beyond the
	// float64 range.
	ErrNotFinite = errors.New("forecast is not finite")
)

// ShortError reports a series that is too short, in the form
// "train series has 40 points; window 48 + horizon 12 needs at least 60".
// errors.Is(err, ErrTooShort) holds for it.
type ShortError struct {
	// What names the series: "train series", "series".
	What string
	// Have is the number of points given, Need the minimum.
	Have, Need int
	// Why says what needs Need points: "window 48 + horizon 12".
	Why string
}

// Error says what was too short, how long it was and what it needed.
func (e *ShortError) Error() string {
	what := e.What
	if what == "" {
		what = "train series"
	}
	return fmt.Sprintf("%s has %d points; %s needs at least %d", what, e.Have, e.Why, e.Need)
}

// Is reports whether target is ErrTooShort.
func (e *ShortError) Is(target error) bool { return target == ErrTooShort }

// CheckHorizon returns an ErrHorizon error for h < 1.
func CheckHorizon(h int) error {
	if h < 1 {
		return fmt.Errorf("%w: horizon %d; want at least 1", ErrHorizon, h)
	}
	return nil
}

// CheckSeries returns an ErrBadData error naming the first non-finite value.
func CheckSeries(s *dataset.Series) error {
	for i, v := range s.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: series %q has %v at point %d", ErrBadData, s.Name, v, i)
		}
	}
	return nil
}

// EpochInfo describes one finished training epoch of an iteratively
// trained model.
type EpochInfo struct {
	// Epoch counts from 1; Epochs is the planned total (0 if unknown).
	Epoch, Epochs int
	// TrainLoss is the mean training loss of the epoch, on the scaled
	// data. ValLoss is the validation loss, NaN without a validation set.
	TrainLoss, ValLoss float64
	// LearningRate is the rate used in the epoch.
	LearningRate float64
	// Elapsed is the wall time since training started.
	Elapsed time.Duration
}

// Progress is called after every training epoch. It runs on the training
// goroutine, so it must be quick; cancellation goes through the context
// given to Fit.
type Progress func(EpochInfo)

// Options configures a model built by name with New. The zero value means
// the model's defaults; each model documents which fields it reads.
type Options struct {
	// Season is the seasonal period; 0 means from the series' frequency
	// (dataset.Freq.Season).
	Season int
	// Window is the moving-average window ("ma") or the input window of a
	// neural model; 0 means the model's default.
	Window int
	// Horizon is the number of steps a direct model is trained for.
	Horizon int
	// Seed seeds every random choice of the model.
	Seed uint64
	// Progress, if not nil, is called after each training epoch.
	Progress Progress
	// Global asks a neural model for one network trained across series
	// (neural.NeuralConfig.Global); other models ignore it.
	Global bool
	// Params holds model-specific settings by name, e.g. "trend": "damped"
	// for "ets". Unknown keys are an error.
	Params map[string]string
}

// Constructor builds a model from Options.
type Constructor func(Options) (Forecaster, error)

var registry = struct {
	sync.RWMutex
	m map[string]Constructor
}{m: map[string]Constructor{}}

// Register makes a model constructible by name with New and loadable from a
// model file of that kind. It panics if name is empty or already registered.
// The core registers "naive", "snaive", "drift", "mean", "ma" and
// "conformal"; each model family registers its own when imported.
func Register(name string, c Constructor) {
	registry.Lock()
	defer registry.Unlock()
	if name == "" || c == nil {
		panic("forecast: Register with empty name or nil constructor")
	}
	if _, dup := registry.m[name]; dup {
		panic("forecast: Register called twice for " + name)
	}
	registry.m[name] = c
}

// New builds the model registered under name. A model of a family whose
// package is not imported is an ErrUnknownModel error naming the package
// to import.
func New(name string, opt Options) (Forecaster, error) {
	c, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	return c(opt)
}

// Lookup returns the Constructor registered under name. Its error wraps
// ErrUnknownModel; for a model of a family whose package is not imported
// it names the package to import (see AllPackage).
func Lookup(name string) (Constructor, error) {
	registry.RLock()
	c, ok := registry.m[name]
	registry.RUnlock()
	if ok {
		return c, nil
	}
	if pkg, known := families[name]; known {
		return nil, fmt.Errorf("%w %q: it is registered by package %s; import it, or %s for every model",
			ErrUnknownModel, name, pkg, AllPackage)
	}
	return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownModel, name, strings.Join(Names(), ", "))
}

// AllPackage is the import path of the package that registers every model
// family: a program that builds models by name (New, Load) imports it for
// its side effect,
//
//	import _ "github.com/tsf-go/tsf/forecast/all"
const AllPackage = "github.com/tsf-go/tsf/forecast/all"

// families names the package that registers each model outside this
// package, for the error of New and Load when it is not imported. A new
// family adds its names here.
var families = map[string]string{
	"ets":    "github.com/tsf-go/tsf/forecast/ets",
	"theta":  "github.com/tsf-go/tsf/forecast/theta",
	"naive2": "github.com/tsf-go/tsf/forecast/theta",
	"lstm":   "github.com/tsf-go/tsf/forecast/neural",
	"gru":    "github.com/tsf-go/tsf/forecast/neural",
	"rnn":    "github.com/tsf-go/tsf/forecast/neural",
	"mlp":    "github.com/tsf-go/tsf/forecast/neural",
	"eslstm": "github.com/tsf-go/tsf/forecast/neural",
	"esrnn":  "github.com/tsf-go/tsf/forecast/neural",
	"auto":   "github.com/tsf-go/tsf/forecast/combine",
	"hybrid": "github.com/tsf-go/tsf/forecast/combine",
}

// Names returns the registered model names, sorted.
func Names() []string {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]string, 0, len(registry.m))
	for n := range registry.m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// PredictFrom forecasts the h steps after history with f's fitted
// parameters if f is a HistoryPredictor, and returns ErrNoHistory otherwise.
func PredictFrom(f Forecaster, history *dataset.Series, h int) (*Forecast, error) {
	hp, ok := f.(HistoryPredictor)
	if !ok {
		return nil, fmt.Errorf("%s: %w", f.Name(), ErrNoHistory)
	}
	return hp.PredictFrom(history, h)
}

// CheckParams returns an error for keys of p not in allowed.
func CheckParams(model string, p map[string]string, allowed ...string) error {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("%s: unknown parameter %q (known: %s)", model, k, strings.Join(allowed, ", "))
		}
	}
	return nil
}
