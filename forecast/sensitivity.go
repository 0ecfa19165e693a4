package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/tsf-go/tsf/dataset"
)

// SensitivityConfig configures LagSensitivity. The zero value of a field
// means its documented default.
type SensitivityConfig struct {
	// MaxLag is the farthest lag k measured; default 48.
	MaxLag int
	// Origins is the number of forecast origins averaged over: the last
	// Origins positions of the series, every Every steps; default 20.
	Origins int
	// Every is the spacing of the origins; default 1.
	Every int
	// Steps is the number of forecast steps whose sensitivities are
	// averaged; default 1 (the one-step forecast).
	Steps int
	// Delta is the size of the perturbation relative to the series'
	// scale (its mean absolute one-step change); default 1e-3.
	Delta float64
}

// ErrSensitivity marks a LagSensitivity that cannot be measured: a series
// too short for the origins and lags asked, or a model that cannot
// forecast from a perturbed history.
var ErrSensitivity = errors.New("lag sensitivity")

// LagSensitivity measures how much a fitted model's forecast depends on
// each past value: out[k−1] is |∂ŷ/∂y_{t−k}|, the absolute derivative of
// the forecast made at origin t with respect to the value k steps before
// it, averaged over the forecast steps and the origins. It is measured by
// central differences of PredictFrom on histories s[:t] whose value t−k is
// moved by ±Delta times the series' scale, so it needs nothing of the
// model but HistoryPredictor: for a network it is the lag profile of what
// it learned (zero beyond its input window), for ETS or Theta that of
// their smoothing (which PredictFrom refits on each history). The
// derivative is on the original scale and dimensionless (a change of the
// forecast per unit change of a past value). A derivative below the
// differences' resolution (8 ulps of the largest forecast over 2·Delta
// times the scale) is rounding noise and reported as 0.
//
// An origin t needs t ≥ MaxLag+1 values before it; the origins are the
// last Origins·Every positions, every Every steps, and the latest is the
// series' end. It costs 2·MaxLag+1 forecasts per origin.
func LagSensitivity(ctx context.Context, m HistoryPredictor, s *dataset.Series, cfg SensitivityConfig) ([]float64, error) {
	c := cfg
	if c.MaxLag == 0 {
		c.MaxLag = 48
	}
	if c.Origins == 0 {
		c.Origins = 20
	}
	if c.Every == 0 {
		c.Every = 1
	}
	if c.Steps == 0 {
		c.Steps = 1
	}
	if c.Delta == 0 {
		c.Delta = 1e-3
	}
	if c.MaxLag < 1 || c.Origins < 1 || c.Every < 1 || c.Steps < 1 || !(c.Delta > 0) || math.IsInf(c.Delta, 0) {
		return nil, fmt.Errorf("%w: max lag %d, origins %d, every %d, steps %d and delta %g must be positive", ErrSensitivity,
			c.MaxLag, c.Origins, c.Every, c.Steps, c.Delta)
	}
	n := s.Len()
	first := n - (c.Origins-1)*c.Every
	if first < c.MaxLag+1 {
		return nil, fmt.Errorf("%w: %w", ErrSensitivity, &ShortError{What: "series " + seriesName(s), Have: n,
			Need: c.MaxLag + 1 + (c.Origins-1)*c.Every, Why: fmt.Sprintf("%d origins every %d steps, each with %d values before it", c.Origins, c.Every, c.MaxLag+1)})
	}
	scale := 0.0
	for i := 1; i < n; i++ {
		scale += math.Abs(s.Values[i] - s.Values[i-1])
	}
	scale /= float64(max(n-1, 1))
	if !(scale > 0) {
		return nil, fmt.Errorf("%w: series %s is constant: no scale for the perturbation", ErrSensitivity, seriesName(s))
	}
	d := c.Delta * scale
	out := make([]float64, c.MaxLag)
	values := slices.Clone(s.Values)
	view := *s
	view.Values = values
	top := 0.0 // the largest |forecast| seen
	predict := func(t int) ([]float64, error) {
		fc, err := m.PredictFrom(view.Slice(0, t), c.Steps)
		if err != nil {
			return nil, err
		}
		for _, v := range fc.Values {
			top = max(top, math.Abs(v))
		}
		return fc.Values, nil
	}
	for o := range c.Origins {
		t := first + o*c.Every
		for k := 1; k <= c.MaxLag; k++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			i := t - k
			old := values[i]
			values[i] = old + d
			up, err := predict(t)
			if err == nil {
				up = slices.Clone(up)
				values[i] = old - d
				var down []float64
				down, err = predict(t)
				if err == nil {
					var sum float64
					for j := range up {
						sum += math.Abs(up[j]-down[j]) / (2 * d)
					}
					out[k-1] += sum / float64(len(up))
				}
			}
			values[i] = old
			if err != nil {
				return nil, fmt.Errorf("%w: forecast from origin %d with value %d moved: %w", ErrSensitivity, t, i, err)
			}
		}
	}
	// A difference of forecasts is known to a few ulps of the largest one:
	// below that, over 2d, a derivative is rounding noise.
	res := 8 * 0x1p-52 * top / (2 * d)
	for k := range out {
		out[k] /= float64(c.Origins)
		if out[k] < res {
			out[k] = 0
		}
	}
	return out, nil
}

// seriesName returns the ID, else the name, else "(unnamed)".
func seriesName(s *dataset.Series) string {
	switch {
	case s.ID != "":
		return s.ID
	case s.Name != "":
		return s.Name
	}
	return "(unnamed)"
}
