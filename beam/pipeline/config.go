package pipeline

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// Mode is what the pipeline does per series.
type Mode string

// The modes.
const (
	// Forecast fits a local model per series (Config.Model) and forecasts,
	// or, with Config.ModelFile, forecasts every series from its history
	// with one saved (global) model.
	Forecast Mode = "forecast"
	// Backtest backtests Config.Backtest.Models per series with the same
	// rolling-origin folds.
	Backtest Mode = "backtest"
)

// Model says how to build a series' model: forecast.New(Name, Options())
// given intervals as `tsf forecast` gives them (forecast.IntervalFactory).
// Its fields are the serialisable part of forecast.Options.
type Model struct {
	Name   string
	Season int
	Window int
	// Horizon is --horizon; 0 means each series' season (12 when it has
	// none), as `tsf forecast` chooses it.
	Horizon int
	Seed    uint64
	Params  map[string]string
}

// NeuralModels are the models trained by gradient descent, the only ones
// that take the training flags (Model.Params), as in `tsf forecast`.
var NeuralModels = []string{"lstm", "gru", "rnn", "mlp"}

// Options returns the forecast.Options of model name for horizon h: the
// Params only for a neural model or "auto" (which hands them to its neural
// candidates), as `tsf forecast` does; a backtest may mix neural and
// classical models under one set of flags.
func (m Model) Options(name string, h int) forecast.Options {
	o := forecast.Options{Season: m.Season, Window: m.Window, Horizon: h, Seed: m.Seed}
	if m.Params != nil && (slices.Contains(NeuralModels, name) || name == "auto") {
		o.Params = maps.Clone(m.Params)
	}
	return o
}

// HorizonFor returns the horizon for series s: Horizon, or the season
// (Season, or s's frequency's), or 12 for a series without one.
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
	// Model is the per-series model (and, for a model file, the horizon).
	Model Model
	// ModelFile, if set, is a model file saved by `tsf train` (for
	// example `tsf train --id series --global`); every series is forecast
	// from its own history with it, without refitting. Workers read it
	// through Beam's file systems, so it may be a gs:// path.
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
		if _, err := forecast.IntervalFactory(c.Model.Name, c.Model.Options(c.Model.Name, max(c.Model.Horizon, 1)), forecast.ConformalConfig{}); err != nil {
			return fmt.Errorf("pipeline: model %q: %w", c.Model.Name, err)
		}
	case Backtest:
		if len(c.Backtest.Models) == 0 {
			return errors.New("pipeline: backtest needs at least one model")
		}
		for _, name := range c.Backtest.Models {
			if _, err := forecast.New(name, c.Model.Options(name, max(c.Model.Horizon, 1))); err != nil {
				return fmt.Errorf("pipeline: model %q: %w", name, err)
			}
		}
	default:
		return fmt.Errorf("pipeline: unknown mode %q", c.Mode)
	}
	return nil
}
