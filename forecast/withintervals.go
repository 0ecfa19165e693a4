package forecast

import (
	"context"
	"errors"
	"fmt"

	"github.com/tsf-go/tsf/dataset"
)

// WithIntervals is a model as `tsf forecast` fits it on one series, so that
// every forecast has prediction intervals where the series allows them: a
// model whose forecasts carry intervals of their own (the neural models,
// theta), or say why they lack one (Forecast.Notes), keeps them; any other
// is wrapped in split-conformal intervals (NewConformal); and a series too
// short to calibrate those is forecast without intervals (NoIntervals, and
// each forecast's Notes, say why). Another program that builds its models
// with NewWithIntervals from the same name and Options gets the same
// forecasts as the CLI.
type WithIntervals struct {
	name   string
	opt    Options
	cfg    ConformalConfig
	fitted Forecaster
	note   error
}

var _ HistoryPredictor = (*WithIntervals)(nil)

// NewWithIntervals returns the model registered under name, built with o,
// to be given intervals as WithIntervals describes; cfg configures the
// conformal intervals (cfg.Horizon 0 means o.Horizon, or 1). It returns
// the error of New for an unknown name or bad options.
func NewWithIntervals(name string, o Options, cfg ConformalConfig) (*WithIntervals, error) {
	if _, err := New(name, o); err != nil {
		return nil, err
	}
	if cfg.Horizon == 0 {
		cfg.Horizon = max(o.Horizon, 1)
	}
	return &WithIntervals{name: name, opt: o, cfg: cfg}, nil
}

// IntervalFactory returns a Factory of NewWithIntervals(name, o, cfg), for
// ForecastEach; it returns New's error for an unknown name or bad options.
//
// `tsf forecast --id` fits each series with IntervalFactory(model, o,
// ConformalConfig{Horizon: h, Workers: 1}), where o has Horizon h, Window
// (--window), Season (--season), Seed (--seed, 1 by default) and, for the
// neural models and auto, Params holding the neural flags that were set
// (hidden, layers, epochs, lr, ...) by their flag names; ConformalConfig's
// Workers do not change the result. Another program that does the same
// gets the same forecasts, bit for bit.
func IntervalFactory(name string, o Options, cfg ConformalConfig) (Factory, error) {
	if _, err := NewWithIntervals(name, o, cfg); err != nil {
		return nil, err
	}
	return func() Forecaster {
		w, _ := NewWithIntervals(name, o, cfg)
		return w
	}, nil
}

// Name returns the fitted model's name (the unfitted one's before Fit).
func (w *WithIntervals) Name() string {
	if w.fitted != nil {
		return w.fitted.Name()
	}
	m, err := New(w.name, w.opt)
	if err != nil {
		return w.name
	}
	return m.Name()
}

// Fit fits the model on s, then, if its forecasts carry no intervals,
// calibrates conformal intervals (which refits it on the calibration
// windows). When s is too short for the calibration but long enough for
// the model, Fit succeeds and NoIntervals returns the reason.
func (w *WithIntervals) Fit(ctx context.Context, s *dataset.Series) error {
	w.fitted, w.note = nil, nil
	m, err := New(w.name, w.opt)
	if err != nil {
		return err
	}
	if err := m.Fit(ctx, s); err != nil {
		return err
	}
	if fc, err := m.Predict(1); err == nil && (len(fc.Intervals) > 0 || len(fc.Notes) > 0) {
		// Intervals of its own, or a note on why it has none.
		w.fitted = m
		return nil
	}
	c := NewConformal(func() Forecaster {
		f, _ := New(w.name, w.opt)
		return f
	}, w.cfg)
	switch err := c.Fit(ctx, s); {
	case err == nil:
		w.fitted = c
	case errors.Is(err, ErrTooShort):
		w.fitted, w.note = m, err
	default:
		return err
	}
	return nil
}

// Predict forecasts the h steps after the fitted series.
func (w *WithIntervals) Predict(h int) (*Forecast, error) {
	if w.fitted == nil {
		return nil, fmt.Errorf("%s: %w", w.name, ErrNotFitted)
	}
	return w.noted(w.fitted.Predict(h))
}

// noted adds to fc, when the series was too short to calibrate intervals,
// the note that says so.
func (w *WithIntervals) noted(fc *Forecast, err error) (*Forecast, error) {
	if err != nil || w.note == nil {
		return fc, err
	}
	why := w.note.Error()
	var se *ShortError
	if errors.As(w.note, &se) {
		why = se.Error()
	}
	fc.Notes = append(fc.Notes, "no "+levelNames(IntervalLevels("WithIntervals", w.cfg.Levels))+" interval: "+why)
	return fc, nil
}

// PredictFrom forecasts the h steps after history with the fitted
// parameters, if the fitted model can (ErrNoHistory otherwise).
func (w *WithIntervals) PredictFrom(history *dataset.Series, h int) (*Forecast, error) {
	if w.fitted == nil {
		return nil, fmt.Errorf("%s: %w", w.name, ErrNotFitted)
	}
	return w.noted(PredictFrom(w.fitted, history, h))
}

// Model returns the fitted model: the model itself, or the *Conformal that
// wraps it; nil before a successful Fit. Save this one to a model file.
func (w *WithIntervals) Model() Forecaster { return w.fitted }

// NoIntervals returns why the last fitted model's forecasts have no
// prediction intervals (the series is too short to calibrate them), or nil.
func (w *WithIntervals) NoIntervals() error { return w.note }
