package plots

import (
	"cmp"
	"fmt"
	"math"

	"gonum.org/v1/plot"
)

// SensitivityCurve is one model's lag sensitivity.
type SensitivityCurve struct {
	// Model names the model; it picks the colour.
	Model string
	// Values[k-1] is |∂ŷ/∂y(t−k)| at lag k = 1, 2, ...; values must be
	// >= 0 (zeros are fine: lags beyond a network's window).
	Values []float64
}

// SensitivityInput is what LagSensitivity draws.
type SensitivityInput struct {
	// Title is the plot title; "" means "Where the forecast looks back".
	Title string
	// Curves holds one entry per model, at least one.
	Curves []SensitivityCurve
	// Marks are lags drawn as labelled vertical lines (a season, a cycle
	// the data are known to have); each must be at least 1.
	Marks []int
	// Floor is the smallest value drawn, as for GradientFlow: 0 means one
	// decade below the smallest positive value.
	Floor float64
}

// LagSensitivity draws, one colour per model, the sensitivity of a
// forecast to each past value against the lag k on a log scale
// (forecast.LagSensitivity measures it): the picture that shows whether
// a model uses the value one season or one week back.
func LagSensitivity(in SensitivityInput) (*plot.Plot, error) {
	p, err := sensitivityPlot(in)
	return p, wrap("lag sensitivity", err)
}

func sensitivityPlot(in SensitivityInput) (*plot.Plot, error) {
	if len(in.Curves) == 0 {
		return nil, fmt.Errorf("curves: %w", ErrNoData)
	}
	if in.Floor < 0 {
		return nil, fmt.Errorf("floor %g is negative", in.Floor)
	}
	var all [][]float64
	longest := 0
	for i, c := range in.Curves {
		if c.Model == "" {
			return nil, fmt.Errorf("curves[%d]: empty model name", i)
		}
		if len(c.Values) == 0 {
			return nil, fmt.Errorf("%s: %w", c.Model, ErrNoData)
		}
		if err := checkValues(c.Model, c.Values); err != nil {
			return nil, err
		}
		for k, x := range c.Values {
			if x < 0 {
				return nil, fmt.Errorf("%s[%d] = %g is negative; a sensitivity is an absolute value", c.Model, k, x)
			}
		}
		all = append(all, c.Values)
		longest = max(longest, len(c.Values))
	}
	for _, m := range in.Marks {
		if m < 1 {
			return nil, fmt.Errorf("mark at lag %d; lags start at 1", m)
		}
	}
	floor := logFloor(in.Floor, all...)
	ch := newChart(cmp.Or(in.Title, "Where the forecast looks back"),
		"lag k (steps before the forecast origin)", "|∂forecast/∂y(t−k)| (log scale)")
	ch.logY = true
	addGrid(ch.p)
	clamped := 0
	for _, c := range in.Curves {
		v, n := clampFloor(c.Values, floor)
		clamped += n
		v = log10s(v)
		x := make([]float64, len(v))
		for k := range x {
			x[k] = float64(k + 1)
		}
		l, pts, err := newLine(x, v, ModelColor(c.Model), lineWidth, nil)
		if err != nil {
			return nil, err
		}
		ch.add(pts, l)
		ch.legend(c.Model, modelThumb(c.Model))
	}
	for _, m := range in.Marks {
		if m > longest {
			continue
		}
		v := vline{x: float64(m), style: lineStyle(grey, thinWidth, dotPattern)}
		ch.p.Add(v)
		ch.legend(fmt.Sprintf("lag %d", m), v)
	}
	if clamped > 0 {
		f := hline{y: math.Log10(floor), style: lineStyle(grey, thinWidth, dashPattern)}
		ch.addHLine(f)
		ch.legend(floorLabel(floor), f)
	}
	ch.p.X.Tick.Marker = intTicks{}
	ch.p.X.Min = 0
	setLogY(ch.p, floor, maxOf(all...))
	return ch.finish(), nil
}
