package pipeline

import (
	"errors"
	"fmt"
	"maps"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/flagspec"
)

// Mode is what the pipeline does per series.
type Mode string

// The modes.
const (
	// Forecast fits a local model per series (Config.Model) and forecasts;
	// or, for a global model (Model.IsGlobal), fits ONE model on every
	// series and forecasts each from its own history; or, with
	// Config.ModelFile, forecasts every series from its history with one
	// saved model.
	Forecast Mode = "forecast"
	// Backtest backtests Config.Backtest.Models per series with the same
	// rolling-origin folds.
	Backtest Mode = "backtest"
)

// Model says how to build the model: for a local model, a series' model,
// forecast.New(Name, Options()) given intervals as `tsf forecast` gives
// them (forecast.IntervalFactory); for a global model (IsGlobal), the one
// model fitted on every series, forecast.New(Name, Options()) as
// `tsf forecast --id` builds it. Its fields are the serialisable part of
// forecast.Options.
type Model struct {
	Name   string
	Season int
	Window int
	// Horizon is --horizon; 0 means, for a local model, each series'
	// season (12 when it has none), and for a global model the season
	// every series shares (see Config.Model), as `tsf forecast --id`
	// chooses it.
	Horizon int
	Seed    uint64
	Params  map[string]string
	// Global trains one network of a neural model (forecast.IsNeural)
	// across every series, as tsf's --global; a model that is fitted
	// across series only (forecast.GlobalOnly: hybrid) needs no flag.
	Global bool
}

// IsGlobal reports whether the model is ONE model fitted on every series
// (forecast.GlobalFitter) rather than one model per series: a neural
// model with Global, or a model forecast.GlobalOnly names.
func (m Model) IsGlobal() bool {
	return forecast.GlobalOnly(m.Name) || (m.Global && forecast.IsNeural(m.Name))
}

// Options returns the forecast.Options of model name for horizon h, as
// `tsf forecast` builds them: the Params only for a model that takes them
// (those flagspec.ParseSettings gives Params: the neural models, auto and
// hybrid), since a backtest may mix neural and classical models under one
// set of flags; Global for a neural model.
func (m Model) Options(name string, h int) forecast.Options {
	o := forecast.Options{Season: m.Season, Window: m.Window, Horizon: h, Seed: m.Seed, Global: m.Global && forecast.IsNeural(name)}
	if takes, _ := flagspec.ParseSettings(name, nil); m.Params != nil && takes.Params != nil {
		o.Params = maps.Clone(m.Params)
	}
	return o
}

// HorizonFor returns the horizon of a local model for series s: Horizon,
// or the season (Season, or s's frequency's), or 12 for a series without
// one.
func (m Model) HorizonFor(s *dataset.Series) int {
	if m.Horizon > 0 {
		return m.Horizon
	}
	season := m.Season
	if season == 0 {
		season = s.Freq.Season()
	}
	if season <= 1 {
		return 12
	}
	return season
}

// BacktestSpec configures Backtest mode; its fields are those of
// forecast.BacktestConfig with the models by name.
type BacktestSpec struct {
	Models     []string
	Folds      int
	Step       int
	MaxTrain   int
	RefitEvery int
}

// Config is one pipeline run. Its fields travel to the workers (as JSON),
// so they are plain data.
type Config struct {
	// Mode is Forecast (default) or Backtest.
	Mode Mode
	// Inputs are file paths or globs ("data/*.csv", "gs://b/part-*.csv"),
	// expanded before the pipeline runs; each must match a file.
	Inputs []string
	// Read says how to parse the files; Read.IDColumn is required.
	Read dataset.Options
	// Model is the model (and, for a model file, the horizon). A global
	// model (Model.IsGlobal) is fitted on every series that loads, on ONE
	// worker, which holds them all: the series in the order of their first
	// row, as `tsf forecast --id` orders them, and one horizon for all,
	// Model.Horizon or else the season they share (Model.Season, or their
	// frequencies'; 12 without one). Series of different seasons without
	// Model.Horizon, or a failed fit, fail the run (a *ModelError).
	Model Model
	// ModelFile, if set, is a model file saved by `tsf train` (for
	// example `tsf train --id series --global`); every series is forecast
	// from its own history with it, without refitting, for Model.Horizon
	// steps or else the model's own (forecast.TrainedHorizon). One worker
	// reads it through Beam's file systems, so it may be a gs:// path; a
	// file that cannot be read or loaded fails the run (a *ModelError).
	ModelFile string
	// Backtest configures Backtest mode.
	Backtest BacktestSpec
	// Workers is how many series each worker fits at once; default 1.
	Workers int
	// Shards is the number of forecast (or per-series metrics) files;
	// default 1.
	Shards int
	// Out is the output prefix: forecasts go to
	// Out-SSSSS-of-NNNNN.csv, the errors to Out-errors.csv and, in
	// Backtest mode, the per-series metrics to Out-SSSSS-of-NNNNN.csv and
	// the aggregate table to Out-aggregate.csv.
	Out string
}

func (c Config) withDefaults() Config {
	if c.Mode == "" {
		c.Mode = Forecast
	}
	if c.Workers <= 0 {
		c.Workers = 1
	}
	if c.Shards <= 0 {
		c.Shards = 1
	}
	return c
}

// check returns an error for a configuration no series could run with.
func (c Config) check() error {
	switch {
	case len(c.Inputs) == 0:
		return errors.New("pipeline: no input files")
	case c.Read.IDColumn == "":
		return errors.New("pipeline: the id column is required (long files)")
	case c.Out == "":
		return errors.New("pipeline: no output prefix")
	}
	switch c.Mode {
	case Forecast:
		if c.ModelFile != "" {
			return nil
		}
		if c.Model.IsGlobal() {
			m, err := forecast.New(c.Model.Name, c.Model.Options(c.Model.Name, max(c.Model.Horizon, 1)))
			if err != nil {
				return fmt.Errorf("pipeline: model %q: %w", c.Model.Name, err)
			}
			_, fits := m.(forecast.GlobalModel)
			_, saves := m.(forecast.Persistent)
			if !fits || !saves {
				return fmt.Errorf("pipeline: model %q cannot be fitted across series and saved", c.Model.Name)
			}
			return nil
		}
		if _, err := forecast.IntervalFactory(c.Model.Name, c.Model.Options(c.Model.Name, max(c.Model.Horizon, 1)), forecast.ConformalConfig{}); err != nil {
			return fmt.Errorf("pipeline: model %q: %w", c.Model.Name, err)
		}
	case Backtest:
		if len(c.Backtest.Models) == 0 {
			return errors.New("pipeline: backtest needs at least one model")
		}
		for _, name := range c.Backtest.Models {
			if forecast.GlobalOnly(name) {
				return fmt.Errorf("pipeline: model %q is fitted on all series at once; a backtest fits each series on its own", name)
			}
			if _, err := forecast.New(name, c.Model.Options(name, max(c.Model.Horizon, 1))); err != nil {
				return fmt.Errorf("pipeline: model %q: %w", name, err)
			}
		}
	default:
		return fmt.Errorf("pipeline: unknown mode %q", c.Mode)
	}
	return nil
}
