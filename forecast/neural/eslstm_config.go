package neural

import (
	"fmt"
	"math"
	"strconv"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
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
