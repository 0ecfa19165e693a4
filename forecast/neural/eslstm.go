package neural

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/stat"
	"github.com/tsf-go/tsf/models"
)

// ESConfig configures ESRNN. The zero value of every field means the
// documented default.
type ESConfig struct {
	// Cell is the recurrent cell: "lstm" (the model "eslstm", default) or
	// "rnn" ("esrnn").
	Cell string `json:"cell"`
	// Horizon is the number of steps forecast (the network's outputs per
	// quantile); 0 means the season, or 12 without one.
	Horizon int `json:"horizon"`
	// Season is the seasonal period m; 0 means from the first series'
	// frequency. 1 (yearly data) means no seasonal factors.
	Season int `json:"season"`
	// Window is the number of past values each step's input holds;
	// 0 means max(Season, 8) for a season of at least 4, 10 for annual
	// data and 6 otherwise (per frequency, as Smyl's configurations;
	// chosen on M3, docs/M3-eslstm.md).
	Window int `json:"window"`
	// Hidden is the number of units per recurrent layer; default 40.
	Hidden int `json:"hidden"`
	// Layers is the number of stacked recurrent layers; default 2.
	Layers int `json:"layers"`
	// Dilations, if not empty, replaces Layers by blocks of dilated
	// layers with residual connections between blocks, as Smyl's:
	// "1-2/4-8" is two blocks, of dilations 1 and 2 and of 4 and 8.
	// float64 only. Default none (docs/M3-eslstm.md).
	Dilations string `json:"dilations,omitempty"`
	// Epochs is the number of training epochs; 0 means 30 for a season
	// of at least 4 and 20 otherwise (a chunk covers a smaller share of a
	// seasonal series, whose positions are then visited less often per
	// epoch; on M3 yearly 30 overfit; docs/M3-eslstm.md).
	Epochs int `json:"epochs"`
	// Batch is the number of series per training step; default 8 (on M3
	// monthly 8 beat 16 and 32: more steps per epoch; docs/M3-eslstm.md).
	Batch int `json:"batch"`
	// Steps is the number of training steps per epoch; 0 means enough for
	// every series to be drawn once, ⌈N/Batch⌉, and at least 80 (on M3's
	// 174 "other" series the 22 steps of ⌈N/Batch⌉ underfit: sMAPE 4.84
	// against 4.26 with 80; yearly, 81 steps beat 200 and 400, which
	// overfit; docs/M3-eslstm.md).
	Steps int `json:"steps"`
	// Chunk is the most consecutive positions of one series a training
	// step runs the network over (and the positions a forecast runs it
	// over); 0 means max(2·Season, 12) for a season of at least 4, 8 for
	// annual data and max(3·Horizon, 12) otherwise. With Steps it bounds
	// an epoch's cost whatever the series' lengths.
	Chunk int `json:"chunk"`
	// LR is the network's Adam learning rate; default 0.003, decayed by a
	// cosine schedule to a tenth.
	LR float64 `json:"lr"`
	// ESLR is the Adam learning rate of the per-series smoothing
	// parameters; default 0.05.
	ESLR float64 `json:"es_lr"`
	// Penalty is the weight of the level wiggliness penalty (the mean
	// squared second difference of the log level); default 50, negative
	// for none.
	Penalty float64 `json:"penalty"`
	// Alpha and Gamma are the level and seasonal smoothing every series
	// starts from; 0 means sigmoid(0.5) ≈ 0.62, Smyl's start.
	Alpha float64 `json:"alpha,omitempty"`
	Gamma float64 `json:"gamma,omitempty"`
	// Tau is the quantile of the point forecast's pinball loss; default
	// 0.48 (as Smyl's M4 configurations, a little below the median: on
	// M3 it lowered sMAPE and MASE on every group, docs/M3-eslstm.md).
	Tau float64 `json:"tau"`
	// QWeight weighs the pinball losses of the four interval quantiles
	// (0.025, 0.1, 0.9, 0.975) against the point forecast's; default 1,
	// negative for 0 (the interval heads then do not train).
	QWeight float64 `json:"qweight"`
	// IntervalGrad is the share of the interval quantiles' gradient that
	// reaches the network's trunk and the smoothing (their head rows get
	// all of it): 0 trains the trunk and smoothing on the point
	// forecast's pinball loss (and the level penalty) alone, the interval
	// heads being linear read-outs of the trunk's features; 1 trains
	// everything on the whole loss. Default 0.1, negative for 0: on M3
	// monthly the whole loss cost 0.25 points of sMAPE, and 0 gave
	// intervals half again as wide in MSIS (docs/M3-eslstm.md).
	IntervalGrad float64 `json:"interval_grad"`
	// NoSeasonTest, if set, learns every series' initial seasonal
	// factors. By default a series that fails Theta's seasonality test
	// (the autocorrelation at lag Season at 90 %; fewer than 3 seasons
	// fail it) starts with factors 1, which it keeps, and a seasonal
	// smoothing γ of 0.05, which it learns: on M3 monthly, learning 12
	// initial factors of a series with no significant season fitted noise
	// (sMAPE 13.75 with every series' factors learned, 13.29 with the
	// test; docs/M3-eslstm.md).
	NoSeasonTest bool `json:"no_season_test,omitempty"`
	// Drift, if positive, gives the network one more input at each
	// position t: the slope of the least-squares line through the logs of
	// the series' values up to t, times Horizon (the log change over a
	// horizon that the whole history's drift predicts; Theta's drift is
	// half of it). The window alone shows only the last Window values.
	// 0 means on for a season of at least 4 and for annual data, off
	// otherwise (on M3 "other" it cost 0.1 sMAPE; docs/M3-eslstm.md);
	// negative means off.
	Drift int `json:"drift,omitempty"`
	// Clip is the global gradient-norm clipping of the network; default
	// 1, negative for none.
	Clip float64 `json:"clip"`
	// Ensemble is the number of networks trained from seeds Seed,
	// Seed+1, ... (concurrently, GOMAXPROCS at a time); default 3.
	Ensemble int `json:"ensemble"`
	// Last is the number of last epochs whose weights (and smoothing
	// parameters) each network keeps; every kept snapshot forecasts and
	// the forecasts are averaged. Default 3.
	Last int `json:"last"`
	// FitSteps is the number of Adam steps that fit the smoothing
	// parameters of a series the model never saw, the network frozen;
	// default 60.
	FitSteps int `json:"fit_steps"`
	// DType is the element type of the network's passes: "float64"
	// (default) or "float32" (float64 master weights).
	DType string `json:"dtype,omitempty"`
	// Seed seeds the networks and the sampling.
	Seed uint64 `json:"seed"`
	// Progress, if not nil, is called after each epoch of the first
	// network.
	Progress forecast.Progress `json:"-"`
}

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
// log(y_{t−k} / (l_t · s_{t−k})); its outputs are the next Horizon values
// in the same space, at five quantiles (0.025, 0.1, Tau, 0.9, 0.975),
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

// resolve fills the defaults that depend on the first series.
func (c *ESConfig) resolve(first *dataset.Series) {
	if c.Season == 0 {
		c.Season = max(1, first.Freq.Season())
	}
	if c.Horizon == 0 {
		c.Horizon = 12
		if c.Season > 1 {
			c.Horizon = c.Season
		}
	}
	annual := c.Season < 4 && first.Freq.Kind == dataset.Annual
	if c.Window == 0 {
		switch {
		case c.Season >= 4:
			c.Window = max(c.Season, 8)
		case annual:
			c.Window = 10
		default:
			c.Window = 6
		}
	}
	cyclic := c.Season >= 4
	if c.Epochs == 0 {
		c.Epochs = 20
		if cyclic {
			c.Epochs = 30
		}
	}
	c.Last = min(c.Last, c.Epochs)
	if c.Drift == 0 {
		c.Drift = -1
		if cyclic || annual {
			c.Drift = 1
		}
	}
	if c.Chunk == 0 {
		switch {
		case c.Season >= 4:
			c.Chunk = max(2*c.Season, 12)
		case annual:
			c.Chunk = 8
		default:
			c.Chunk = max(3*c.Horizon, 12)
		}
	}
}

// inputs returns the network's inputs per position: the window and, with
// Drift, the drift.
func (c *ESConfig) inputs() int {
	if c.Drift > 0 {
		return c.Window + 1
	}
	return c.Window
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

// esNet is what ESRNN needs of a network: models.Network has it, and
// esNet32 gives it to a float32 one.
type esNet interface {
	Forward(x []float64, T, B int) []float64
	Backward(dOut []float64)
	InputGrad() []float64
	ZeroGrad()
	Params() []*models.Param
	Outputs() []float64
	ResetAt(t, b int)
	ClearResets()
}

// esNet32 is a float32 network behind float64 master weights
// (models.Master32) with the input gradient and resets of the network.
type esNet32 struct {
	*models.Master32
	net   *models.NetworkOf[float32]
	dx, h []float64
}

// Outputs returns the float32 network's top hidden states as float64, in
// a buffer owned by n.
func (n *esNet32) Outputs() []float64 {
	o := n.net.Outputs()
	n.h = growF(n.h, len(o))
	for i, v := range o {
		n.h[i] = float64(v)
	}
	return n.h
}

// InputGrad returns the float32 network's dL/dx as float64, in a buffer
// owned by n.
func (n *esNet32) InputGrad() []float64 {
	g := n.net.InputGrad()
	n.dx = growF(n.dx, len(g))
	for i, v := range g {
		n.dx[i] = float64(v)
	}
	return n.dx
}

// ResetAt is the network's ResetAt.
func (n *esNet32) ResetAt(t, b int) { n.net.ResetAt(t, b) }

// ClearResets is the network's ClearResets.
func (n *esNet32) ClearResets() { n.net.ClearResets() }

// build returns a new network of the configuration, seeded; the interval
// heads' biases start at −2.5 so that the quantiles start close together
// (softplus(−2.5) ≈ 0.08 in log units).
func (c ESConfig) build(seed uint64) (esNet, error) {
	cell, err := models.ParseCell(c.Cell)
	if err != nil {
		return nil, err
	}
	mc := models.Config{Cell: cell, Input: c.inputs(), Hidden: c.Hidden, Layers: c.Layers, Output: c.Horizon * esQ,
		PerStep: true, Seed: seed, MaxSeq: c.Chunk, MaxBatch: c.Batch}
	var net esNet
	if c.Dilations != "" {
		d, err := newESDilated(c, cell, seed)
		if err != nil {
			return nil, err
		}
		net = d
	} else if c.DType == "float32" {
		mc.DType = models.Float32
		n32, err := models.NewOf[float32](mc)
		if err != nil {
			return nil, err
		}
		net = &esNet32{Master32: models.NewMaster32(n32), net: n32}
	} else {
		n64, err := models.New(mc)
		if err != nil {
			return nil, err
		}
		net = n64
	}
	for _, p := range net.Params() {
		if p.Name != "head.bias" {
			continue
		}
		for j := range c.Horizon {
			for q := range esQ {
				if q != 2 {
					p.W[j*esQ+q] = -2.5
				}
			}
		}
	}
	return net, nil
}

// ESFromOptions turns Options into an ESConfig for the cell ("lstm" or
// "rnn"): Horizon, Season, Window and Seed, and the Params epochs, hidden,
// layers, batch, lr, es_lr, ensemble, last, steps, chunk, penalty, tau,
// qweight, interval_grad, clip, fit_steps, dtype, dilations, window,
// season, alpha, gamma, season_test and drift.
func ESFromOptions(cell string, o forecast.Options) (ESConfig, error) {
	c := ESConfig{Cell: cell, Horizon: o.Horizon, Season: o.Season, Window: o.Window, Seed: o.Seed, Progress: o.Progress}
	name := "es" + cell
	if err := forecast.CheckParams(name, o.Params, "epochs", "hidden", "layers", "batch", "lr", "es_lr", "ensemble", "last", "steps",
		"chunk", "penalty", "tau", "qweight", "clip", "fit_steps", "dtype", "window", "season", "alpha", "gamma", "interval_grad", "dilations", "season_test", "drift"); err != nil {
		return c, err
	}
	ints := map[string]*int{"epochs": &c.Epochs, "hidden": &c.Hidden, "layers": &c.Layers, "batch": &c.Batch, "ensemble": &c.Ensemble,
		"last": &c.Last, "steps": &c.Steps, "chunk": &c.Chunk, "fit_steps": &c.FitSteps, "window": &c.Window, "season": &c.Season}
	reals := map[string]*float64{"lr": &c.LR, "es_lr": &c.ESLR, "penalty": &c.Penalty, "alpha": &c.Alpha, "gamma": &c.Gamma, "interval_grad": &c.IntervalGrad, "tau": &c.Tau, "qweight": &c.QWeight, "clip": &c.Clip}
	for k, v := range o.Params {
		switch {
		case ints[k] != nil:
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return c, fmt.Errorf("%s: %s %q; want a whole number ≥ 0", name, k, v)
			}
			*ints[k] = n
		case reals[k] != nil:
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return c, fmt.Errorf("%s: %s %q; want a number", name, k, v)
			}
			*reals[k] = f
		case k == "dtype":
			c.DType = v
		case k == "dilations":
			c.Dilations = v
		case k == "season_test":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return c, fmt.Errorf("%s: season_test %q; want true or false", name, v)
			}
			c.NoSeasonTest = !b
		case k == "drift":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return c, fmt.Errorf("%s: drift %q; want true or false", name, v)
			}
			c.Drift = -1
			if b {
				c.Drift = 1
			}
		}
	}
	return c, nil
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
