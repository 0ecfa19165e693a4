package combine

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// PredictFrom forecasts the h steps after history (h at most the Horizon
// the intervals were calibrated for): see Hybrid.
func (hy *Hybrid) PredictFrom(history *dataset.Series, h int) (*forecast.Forecast, error) {
	if !hy.fitted {
		return nil, forecast.ErrNotFitted
	}
	c := hy.cfg
	if err := forecast.CheckHorizon(h); err != nil {
		return nil, err
	}
	if h > c.Horizon {
		return nil, fmt.Errorf("hybrid: %w: %d steps; the model was fitted for %d", forecast.ErrHorizon, h, c.Horizon)
	}
	if history.Len() == 0 {
		return nil, &forecast.ShortError{What: "history", Have: 0, Need: 1, Why: "hybrid"}
	}
	if err := forecast.CheckSeries(history); err != nil {
		return nil, err
	}
	k := len(c.Candidates)
	fc := make([][]float64, k)
	var why []string
	for j, name := range c.Candidates {
		if hy.weights[j] == 0 {
			continue
		}
		var f *forecast.Forecast
		var err error
		if j == 0 {
			f, err = hy.net.PredictFrom(history, h)
		} else {
			var m forecast.Forecaster
			if m, err = c.member(name); err == nil {
				if err = m.Fit(context.Background(), history); err == nil {
					f, err = m.Predict(h)
				}
			}
		}
		if err == nil && !allFinite(f.Values) {
			err = fmt.Errorf("%w: non-finite forecast", forecast.ErrBadData)
		}
		if err != nil {
			why = append(why, name+": "+err.Error())
			continue
		}
		fc[j] = f.Values
	}
	values := combined(hy.weights, fc, h)
	if values == nil {
		err := fmt.Errorf("hybrid: no member could forecast the series (%s)", strings.Join(why, "; "))
		if len(history.Values) < 3 {
			err = fmt.Errorf("%w: %w", forecast.ErrTooShort, err)
		}
		return nil, err
	}
	out := forecast.NewForecast("hybrid", "combination", history, values)
	for _, l := range c.Levels {
		if !slices.ContainsFunc(hy.cal, func(b hybridBand) bool { return b.level == l }) {
			out.Notes = append(out.Notes, fmt.Sprintf("no %g%% interval: %d pooled validation windows of %d steps are too few to calibrate it", 100*l, hy.calN, c.Horizon))
		}
	}
	sc := scaleOf(history.Values, c.Season)
	if math.IsNaN(sc) {
		if len(hy.cal) > 0 {
			out.Notes = append(out.Notes, fmt.Sprintf("no interval: the history's %d points have no scale (a constant series, or a single point)", history.Len()))
		}
		return out, nil
	}
	positive := !slices.ContainsFunc(history.Values, func(v float64) bool { return v <= 0 })
	for _, b := range hy.cal {
		iv := forecast.Interval{Level: b.level, Lo: make([]float64, h), Hi: make([]float64, h)}
		ok := true
		for t := range h {
			iv.Lo[t] = values[t] + b.lo[t]*sc
			iv.Hi[t] = values[t] + b.hi[t]*sc
			if positive {
				iv.Lo[t] = max(iv.Lo[t], 0)
			}
			if math.IsInf(iv.Lo[t], 0) || math.IsInf(iv.Hi[t], 0) {
				ok = false
			}
		}
		if ok {
			out.Intervals = append(out.Intervals, iv)
		} else {
			out.Notes = append(out.Notes, fmt.Sprintf("no %g%% interval: its bounds overflow", 100*b.level))
		}
	}
	return out, nil
}
