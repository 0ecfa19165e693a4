package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// LagErrors is one model's test error as a function of lag (or sequence
// length), measured over several seeds.
type LagErrors struct {
	// Model names the model; it picks the colour.
	Model string
	// Lags holds the x values, strictly increasing.
	Lags []float64
	// Errors[i] holds the test error of each seed at Lags[i]; at least one
	// value per lag.
	Errors [][]float64
}

// LongDepInput is what LongDependency draws.
type LongDepInput struct {
	// Title is the plot title; "" means "Error vs dependency length".
	Title string
	// XLabel labels the x axis; "" means "lag (steps)".
	XLabel string
	// Metric labels the y axis; "" means "test MSE".
	Metric string
	// Results holds one entry per model, at least one.
	Results []LagErrors
	// Baseline is the error of the constant (mean) predictor, drawn as a
	// dashed horizontal line: a model at or above it has learnt nothing.
	// 0 means no baseline.
	Baseline float64
	// LogX and LogY make the axes logarithmic. On a log y axis values below
	// one decade under the smallest positive error (and zeros) are drawn at
	// that floor, marked in the legend.
	LogX, LogY bool
}

// LongDependency draws each model's mean test error against lag, with a band
// spanning the minimum and maximum over seeds, and the constant-predictor
// baseline as a line.
func LongDependency(in LongDepInput) (*plot.Plot, error) {
	p, err := longDepPlot(in)
	return p, wrap("long dependency", err)
}

func longDepPlot(in LongDepInput) (*plot.Plot, error) {
	if len(in.Results) == 0 {
		return nil, fmt.Errorf("results: %w", ErrNoData)
	}
	if math.IsNaN(in.Baseline) || math.IsInf(in.Baseline, 0) || in.Baseline < 0 {
		return nil, fmt.Errorf("baseline %v is not a finite non-negative number", in.Baseline)
	}
	type summary struct{ mean, lo, hi []float64 }
	sums := make([]summary, len(in.Results))
	var all [][]float64
	var lags []float64
	for i, r := range in.Results {
		if r.Model == "" {
			return nil, fmt.Errorf("results[%d]: empty model name", i)
		}
		if len(r.Lags) == 0 {
			return nil, fmt.Errorf("%s lags: %w", r.Model, ErrNoData)
		}
		if len(r.Errors) != len(r.Lags) {
			return nil, fmt.Errorf("%s has %d lags but %d error lists", r.Model, len(r.Lags), len(r.Errors))
		}
		if err := checkValues(r.Model+" lags", r.Lags); err != nil {
			return nil, err
		}
		for j := 1; j < len(r.Lags); j++ {
			if r.Lags[j] <= r.Lags[j-1] {
				return nil, fmt.Errorf("%s lags[%d] = %g is not above lags[%d] = %g", r.Model, j, r.Lags[j], j-1, r.Lags[j-1])
			}
		}
		if in.LogX && r.Lags[0] <= 0 {
			return nil, fmt.Errorf("%s lags[0] = %g: a log x axis needs positive lags", r.Model, r.Lags[0])
		}
		s := summary{make([]float64, len(r.Lags)), make([]float64, len(r.Lags)), make([]float64, len(r.Lags))}
		for j, e := range r.Errors {
			if len(e) == 0 {
				return nil, fmt.Errorf("%s at lag %g: %w", r.Model, r.Lags[j], ErrNoData)
			}
			if err := checkValues(fmt.Sprintf("%s errors at lag %g", r.Model, r.Lags[j]), e); err != nil {
				return nil, err
			}
			s.mean[j] = mean(e)
			s.lo[j], s.hi[j] = floatRange(e)
		}
		sums[i] = s
		all = append(all, s.lo, s.hi)
		lags = append(lags, r.Lags...)
	}
	if in.Baseline > 0 {
		all = append(all, []float64{in.Baseline})
	}
	logY := in.LogY
	if logY && minOf(all...) < 0 {
		return nil, fmt.Errorf("negative error %g cannot go on a log y axis", minOf(all...))
	}
	floor := logFloor(0, all...)

	ch := newChart(cmp.Or(in.Title, "Error vs dependency length"), cmp.Or(in.XLabel, "lag (steps)"), cmp.Or(in.Metric, "test MSE"))
	ch.logY = logY
	addGrid(ch.p)
	clamped := 0
	clamp := func(v []float64) []float64 {
		if !logY {
			return v
		}
		out, n := clampFloor(v, floor)
		clamped += n
		return log10s(out)
	}
	for i, r := range in.Results {
		s := sums[i]
		col := ModelColor(r.Model)
		lo, hi, m := clamp(s.lo), clamp(s.hi), clamp(s.mean)
		x := slices.Clone(r.Lags)
		if in.LogX {
			x = log10s(x)
		}
		if multiSeed(r) {
			ch.add(append(xys(x, lo), xys(x, hi)...), band{x: x, lo: lo, hi: hi, color: withAlpha(col, 0.2)})
		}
		l, pts, err := newLine(x, m, col, lineWidth, nil)
		if err != nil {
			return nil, err
		}
		sc, err := newPoints(pts, col, draw.CircleGlyph{})
		if err != nil {
			return nil, err
		}
		ch.add(pts, l, sc)
		ch.legend(r.Model, l, sc)
	}
	if slices.ContainsFunc(in.Results, multiSeed) {
		ch.legend("min–max over seeds", band{color: withAlpha(greyRGBA, 0.3)})
	}
	if in.Baseline > 0 {
		y := in.Baseline
		if logY {
			y = math.Log10(y)
		}
		b := hline{y: y, style: lineStyle(actualColor, thinWidth, dashPattern)}
		ch.addHLine(b)
		ch.legend("constant predictor", b)
	}
	if logY && clamped > 0 {
		f := hline{y: math.Log10(floor), style: lineStyle(grey, thinWidth, dotPattern)}
		ch.addHLine(f)
		ch.legend(floorLabel(floor), f)
	}
	switch u := uniq(lags); {
	case len(u) <= 10:
		ch.p.X.Tick.Marker = valueTicks(u, in.LogX)
	case in.LogX:
		ch.p.X.Tick.Marker = logTicks{}
	}
	if logY {
		ymin := floor
		if clamped == 0 {
			ymin = minOf(all...)
		}
		setLogY(ch.p, ymin, maxOf(all...))
	}
	return ch.finish(), nil
}

// multiSeed reports whether any lag of r has more than one seed.
func multiSeed(r LagErrors) bool {
	return slices.ContainsFunc(r.Errors, func(e []float64) bool { return len(e) > 1 })
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// uniq returns the sorted distinct values of v.
func uniq(v []float64) []float64 {
	u := slices.Clone(v)
	slices.Sort(u)
	return slices.Compact(u)
}

// valueTicks labels exactly the given x values, placed at log10(x) on a log
// axis.
func valueTicks(v []float64, log bool) plot.ConstantTicks {
	var ticks plot.ConstantTicks
	for _, x := range v {
		at := x
		if log {
			at = math.Log10(x)
		}
		ticks = append(ticks, plot.Tick{Value: at, Label: formatG(x)})
	}
	return ticks
}
