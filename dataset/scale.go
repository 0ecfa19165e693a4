package dataset

import (
	"fmt"
	"math"
	"slices"
)

// ScaleMethod names a scaling.
type ScaleMethod string

// The scalings. Transform maps x to (x - Center) / Scale per column.
const (
	// ScaleStandard: Center = mean, Scale = standard deviation (population).
	ScaleStandard ScaleMethod = "standard"
	// ScaleMinMax: Center = min, Scale = max - min, so training values lie
	// in [0, 1].
	ScaleMinMax ScaleMethod = "minmax"
	// ScaleRobust: Center = median, Scale = interquartile range (linear
	// quantiles), insensitive to outliers.
	ScaleRobust ScaleMethod = "robust"
	// ScaleNone: Center = 0, Scale = 1.
	ScaleNone ScaleMethod = "none"
)

// Scaler is an affine per-column scaling fitted on a training series. Column
// 0 is the target, columns 1.. are the covariates in order. A column whose
// spread is zero (a constant series) gets Scale 1, so nothing divides by
// zero. Scaler has exported fields and JSON tags so a model file can store
// it; a decoded Scaler works without refitting.
//
// Fit only ever sees the series it is given: fit on the training part of a
// Split (whose views cannot reach past their end), then Transform the
// training, validation and test parts with the same Scaler.
type Scaler struct {
	// Method is the scaling; "" means ScaleStandard.
	Method ScaleMethod `json:"method"`
	// Center holds the subtracted offset per column (target first).
	Center []float64 `json:"center"`
	// Scale holds the divisor per column (target first); never zero.
	Scale []float64 `json:"scale"`
}

// Fit fits the scaler on s: every column, target first. It returns an error
// for an unknown method, an empty series, or a non-finite value.
func (sc *Scaler) Fit(s *Series) error {
	m := sc.Method
	if m == "" {
		m = ScaleStandard
	}
	switch m {
	case ScaleStandard, ScaleMinMax, ScaleRobust, ScaleNone:
	default:
		return fmt.Errorf("dataset: unknown scaling %q (want standard, minmax, robust or none)", sc.Method)
	}
	if s.Len() == 0 {
		return fmt.Errorf("dataset: cannot fit a scaler on series %q: it is empty: %w", s.Name, ErrTooShort)
	}
	cols := append([][]float64{s.Values}, s.Covariates...)
	center := make([]float64, len(cols))
	scale := make([]float64, len(cols))
	var buf []float64
	for j, c := range cols {
		for i, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("dataset: cannot fit a scaler on series %q: column %d, observation %d is %g", s.Name, j, i, v)
			}
		}
		var ctr, spr float64
		switch m {
		case ScaleStandard:
			for _, v := range c {
				ctr += v
			}
			ctr /= float64(len(c))
			for _, v := range c {
				spr += (v - ctr) * (v - ctr)
			}
			spr = math.Sqrt(spr / float64(len(c)))
		case ScaleMinMax:
			lo, hi := slices.Min(c), slices.Max(c)
			ctr, spr = lo, hi-lo
		case ScaleRobust:
			buf = append(buf[:0], c...)
			slices.Sort(buf)
			ctr = quantile(buf, 0.5)
			spr = quantile(buf, 0.75) - quantile(buf, 0.25)
		case ScaleNone:
			spr = 1
		}
		if !(spr > 1e-12*math.Max(1, math.Abs(ctr))) {
			spr = 1
		}
		center[j], scale[j] = ctr, spr
	}
	sc.Method, sc.Center, sc.Scale = m, center, scale
	return nil
}

// quantile returns the q-quantile of sorted x by linear interpolation.
func quantile(x []float64, q float64) float64 {
	p := q * float64(len(x)-1)
	i := int(p)
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	f := p - float64(i)
	return x[i] + f*(x[i+1]-x[i])
}

func (sc *Scaler) check(cols int) {
	if len(sc.Scale) == 0 {
		panic("dataset: Scaler used before Fit")
	}
	if cols > len(sc.Scale) {
		panic(fmt.Sprintf("dataset: Scaler fitted on %d columns, series has %d", len(sc.Scale), cols))
	}
}

// Transform returns a scaled copy of s (target and covariates); s is not
// modified. It panics if the scaler is not fitted or s has more columns
// than the series it was fitted on.
func (sc *Scaler) Transform(s *Series) *Series {
	sc.check(1 + len(s.Covariates))
	out := *s
	out.Values = scaleCol(s.Values, sc.Center[0], sc.Scale[0])
	out.Covariates = make([][]float64, len(s.Covariates))
	for j, c := range s.Covariates {
		out.Covariates[j] = scaleCol(c, sc.Center[j+1], sc.Scale[j+1])
	}
	return &out
}

func scaleCol(x []float64, c, s float64) []float64 {
	y := make([]float64, len(x))
	inv := 1 / s
	for i, v := range x {
		y[i] = (v - c) * inv
	}
	return y
}

// Inverse maps scaled target values (predictions, interval bounds) back to
// the original units: dst[i] = src[i]*Scale[0] + Center[0]. dst and src may
// be the same slice. It panics if len(dst) < len(src) or the scaler is not
// fitted.
func (sc *Scaler) Inverse(dst, src []float64) {
	sc.check(1)
	if len(dst) < len(src) {
		panic(fmt.Sprintf("dataset: Inverse dst has %d elements, src %d", len(dst), len(src)))
	}
	c, s := sc.Center[0], sc.Scale[0]
	for i, v := range src {
		dst[i] = v*s + c
	}
}

// InverseValue maps one scaled target value back to original units.
func (sc *Scaler) InverseValue(v float64) float64 {
	sc.check(1)
	return v*sc.Scale[0] + sc.Center[0]
}

// InverseSpread maps a scaled spread (a standard deviation, an interval
// half-width, an MAE) back to original units: d × Scale[0].
func (sc *Scaler) InverseSpread(d float64) float64 {
	sc.check(1)
	return d * sc.Scale[0]
}
