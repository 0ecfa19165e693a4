package neural

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/stat"
)

// The quantiles of the network's heads, in output order: esQuantiles[2]
// is the point forecast's (ESConfig.Tau).
var esQuantiles = [esQ]float64{0.025, 0.1, 0.5, 0.9, 0.975}

// esQ is the number of quantile heads per step.
const esQ = 5

// ESRNN is Smyl's ES-RNN (the M4 competition's winner; IJF 36(1), 2020):
// per-series exponential smoothing (level and multiplicative season, its
// α, γ and initial seasonal factors learned per series by gradient
// descent) that normalises the data for one recurrent network trained on
// every series at once.
//
// At each position t of a series, the network's input is the last Window
// values deseasonalised and divided by the level at t, in logs:
// log(y_{t−k} / (l_t · s_{t−k})), and for seasonal and annual data the
// drift of the history up to t (ESConfig.Drift); its outputs are the next
// Horizon values in the same space, at five quantiles (0.025, 0.1, Tau, 0.9, 0.975),
// monotone by construction (the middle one plus or minus sums of
// softplus increments). The loss is the pinball loss of every quantile
// plus the level wiggliness penalty; the gradient of the point forecast's
// loss and the penalty (and IntervalGrad of the interval quantiles')
// flows through the network, the normalisation and the smoothing
// recursion into each series' α, γ and factors (esBackward), which have
// their own Adam learning rate. The
// network runs along the series (one step per position, Config.PerStep),
// over chunks of at most Chunk positions, a fixed number of chunks per
// epoch (Steps × Batch), so an epoch's cost does not grow with the
// series' lengths.
//
// A forecast is the middle quantile re-seasonalised and multiplied by the
// last level; the 80 % and 95 % intervals are the 0.1–0.9 and
// 0.025–0.975 quantiles, mapped the same way, averaged over the ensemble
// (seeds and the last epochs' snapshots) like the point forecast.
// PredictFrom uses the learned smoothing parameters of a training series
// (recognised by its ID or name and its values) and fits them, the
// network frozen, for any other series.
//
// Every value must be positive (the model takes logs): FitGlobal skips a
// series with a value ≤ 0 (Skipped names it), and PredictFrom refuses it
// with an ErrBadData error naming the series.
type ESRNN struct {
	cfg  ESConfig
	req  ESConfig // as asked, before the defaults that depend on the data
	name string
	net  esNet // the architecture; snapshots' weights are copied in
	// snaps are the kept networks: seeds × Last snapshots.
	snaps []esSnapshot
	// known maps a training series' label to its index in the tables.
	known   map[string]int
	lengths []int    // per training series
	hashes  []uint64 // per training series: esHash of its values
	labels  []string
	skipped []forecast.SkippedSeries
	hist    []float64          // first network's mean training loss per epoch
	metrics map[string]float64 // a loaded model's training figures
	at      forecast.Anchor
	tail    *dataset.Series // the series of a one-series Fit
	fit     *esFitBuf       // PredictFrom's work space
}

// esSnapshot is one kept network: its weights (per parameter, in Params
// order) and its smoothing parameters (training series × P, row-major).
type esSnapshot struct {
	w   [][]float64
	raw []float64
}

var (
	_ forecast.Forecaster       = (*ESRNN)(nil)
	_ forecast.HistoryPredictor = (*ESRNN)(nil)
	_ forecast.GlobalFitter     = (*ESRNN)(nil)
	_ forecast.Persistent       = (*ESRNN)(nil)
)

// NewESRNN returns an unfitted ESRNN, or an error for a bad setting.
func NewESRNN(cfg ESConfig) (*ESRNN, error) {
	if cfg.Cell == "" {
		cfg.Cell = "lstm"
	}
	if cfg.Cell != "lstm" && cfg.Cell != "rnn" {
		return nil, fmt.Errorf("eslstm: cell %q; want lstm or rnn", cfg.Cell)
	}
	name := "es" + cfg.Cell
	bad := func(what string, v any) error { return fmt.Errorf("%s: %s %v; want a positive value", name, what, v) }
	for _, c := range []struct {
		what string
		v    int
	}{{"horizon", cfg.Horizon}, {"season", cfg.Season}, {"window", cfg.Window}, {"hidden", cfg.Hidden}, {"layers", cfg.Layers},
		{"epochs", cfg.Epochs}, {"batch", cfg.Batch}, {"steps", cfg.Steps}, {"chunk", cfg.Chunk}, {"ensemble", cfg.Ensemble},
		{"last", cfg.Last}, {"fit_steps", cfg.FitSteps}} {
		if c.v < 0 {
			return nil, bad(c.what, c.v)
		}
	}
	for _, c := range []struct {
		what string
		v    float64
	}{{"lr", cfg.LR}, {"es_lr", cfg.ESLR}} {
		if c.v < 0 || math.IsNaN(c.v) || math.IsInf(c.v, 0) {
			return nil, bad(c.what, c.v)
		}
	}
	if cfg.Tau != 0 && !(cfg.Tau > 0.1 && cfg.Tau < 0.9) {
		return nil, fmt.Errorf("%s: tau %g; want one in (0.1, 0.9)", name, cfg.Tau)
	}
	for _, v := range []float64{cfg.Alpha, cfg.Gamma} {
		if v != 0 && !(v > 0 && v < 1) {
			return nil, fmt.Errorf("%s: starting smoothing %g; want one in (0, 1)", name, v)
		}
	}
	if !(cfg.IntervalGrad <= 1) {
		return nil, fmt.Errorf("%s: interval_grad %g; want one at most 1 (negative: 0)", name, cfg.IntervalGrad)
	}
	if cfg.Dilations != "" {
		if _, err := parseDilations(cfg.Dilations); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if cfg.DType == "float32" {
			return nil, fmt.Errorf("%s: dilations need dtype float64", name)
		}
	}
	if cfg.DType != "" && cfg.DType != "float64" && cfg.DType != "float32" {
		return nil, fmt.Errorf("%s: dtype %q; want float64 or float32", name, cfg.DType)
	}
	set := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	setF := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	set(&cfg.Hidden, 40)
	set(&cfg.Layers, 2)
	set(&cfg.Batch, 8)
	set(&cfg.Ensemble, 3)
	set(&cfg.Last, 3)
	set(&cfg.FitSteps, 60)
	setF(&cfg.LR, 0.003)
	setF(&cfg.ESLR, 0.05)
	setF(&cfg.Penalty, 50)
	setF(&cfg.Alpha, stat.Sigmoid(0.5))
	setF(&cfg.Gamma, stat.Sigmoid(0.5))
	setF(&cfg.Tau, 0.48)
	setF(&cfg.QWeight, 1)
	setF(&cfg.IntervalGrad, 0.1)
	setF(&cfg.Clip, 1)
	if cfg.DType == "" {
		cfg.DType = "float64"
	}
	return &ESRNN{cfg: cfg, req: cfg, name: name}, nil
}

// Name returns "eslstm" or "esrnn".
func (e *ESRNN) Name() string { return e.name }

// Config returns the configuration, with the defaults that depend on the
// data filled in after a fit.
func (e *ESRNN) Config() ESConfig { return e.cfg }

// Skipped returns the series the last FitGlobal could not train on (a
// value ≤ 0, a missing value, or fewer than 2 points), with the reason.
func (e *ESRNN) Skipped() []forecast.SkippedSeries { return e.skipped }

// TrainLoss returns the first network's mean training loss per epoch;
// nil for a loaded model.
func (e *ESRNN) TrainLoss() []float64 { return slices.Clone(e.hist) }

// Horizon returns the number of steps the model forecasts at most; 0
// before a fit.
func (e *ESRNN) Horizon() int {
	if len(e.snaps) == 0 {
		return 0
	}
	return e.cfg.Horizon
}

// Fit fits the model on one series (FitGlobal of that series alone);
// Predict then forecasts it.
func (e *ESRNN) Fit(ctx context.Context, s *dataset.Series) error {
	if err := e.FitGlobal(ctx, []*dataset.Series{s}); err != nil {
		return err
	}
	e.tail = s
	e.at = forecast.AnchorOf(s)
	return nil
}

// Predict forecasts the h steps after the series of a one-series Fit.
func (e *ESRNN) Predict(h int) (*forecast.Forecast, error) {
	if e.tail == nil {
		if len(e.snaps) > 0 {
			return nil, forecast.ErrGlobalPredict
		}
		return nil, forecast.ErrNotFitted
	}
	return e.PredictFrom(e.tail, h)
}

func init() {
	for _, cell := range []string{"lstm", "rnn"} {
		forecast.Register("es"+cell, func(o forecast.Options) (forecast.Forecaster, error) {
			c, err := ESFromOptions(cell, o)
			if err != nil {
				return nil, err
			}
			return NewESRNN(c)
		})
	}
}
