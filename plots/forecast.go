package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// Interval is a central prediction interval around a forecast.
type Interval struct {
	// Level is the nominal coverage in (0, 1): 0.8 for an 80 % interval.
	Level float64
	// Lower and Upper bound the interval at each forecast step; both have
	// the forecast's length and Lower[i] <= Upper[i].
	Lower, Upper []float64
}

// ForecastInput is what Forecast draws. Timestamps are optional: when both
// HistoryTime and Time are nil the series is integer-indexed.
type ForecastInput struct {
	// Title is the plot title; "" means "<Model> forecast".
	Title string
	// Model names the forecaster; it picks the colour (see ModelColor).
	// "" means "forecast".
	Model string
	// Unit labels the y axis, e.g. "passengers (thousands)"; "" means "value".
	Unit string
	// HistoryTime holds one timestamp per History value, or nil.
	HistoryTime []time.Time
	// History holds the observations up to and including the forecast origin.
	History []float64
	// Context is how many of the last History points are drawn: 0 means
	// max(4×horizon, 48), a negative value means all of them.
	Context int
	// Time holds one timestamp per forecast step (nil when HistoryTime is nil).
	Time []time.Time
	// Forecast holds the point forecast, one value per step; it must not be
	// empty.
	Forecast []float64
	// Actual holds the observed future, when known: nil or len(Forecast).
	Actual []float64
	// Intervals are drawn as translucent bands, widest underneath.
	Intervals []Interval
	// IndexStart is the position of History[0] for an integer-indexed series.
	IndexStart int
}

// Forecast draws history, the actual future when known, the point forecast and
// its prediction intervals, with a vertical line at the forecast origin.
// Bad data (NaN, Inf, mismatched lengths, times out of order, an empty
// forecast) is an error naming the field and index.
func Forecast(in ForecastInput) (*plot.Plot, error) {
	p, err := forecastPlot(in)
	return p, wrap("forecast", err)
}

func forecastPlot(in ForecastInput) (*plot.Plot, error) {
	h := len(in.Forecast)
	if h == 0 {
		return nil, fmt.Errorf("forecast: %w", ErrNoData)
	}
	if err := checkValues("forecast", in.Forecast); err != nil {
		return nil, err
	}
	if err := checkValues("history", in.History); err != nil {
		return nil, err
	}
	if in.Actual != nil {
		if err := checkLen("actual", in.Actual, h, "forecast"); err != nil {
			return nil, err
		}
		if err := checkValues("actual", in.Actual); err != nil {
			return nil, err
		}
	}
	ivs, err := checkIntervals(in.Intervals, in.Forecast)
	if err != nil {
		return nil, err
	}
	histT, hist, start := tail(in.HistoryTime, in.History, in.IndexStart, in.Context, h)
	tl, err := makeTimeline(histT, len(hist), in.Time, h, start)
	if err != nil {
		return nil, err
	}

	model := cmp.Or(in.Model, "forecast")
	col := ModelColor(model)
	c := newChart(cmp.Or(in.Title, model+" forecast"), tl.xLabel(), cmp.Or(in.Unit, "value"))
	addGrid(c.p)

	// Bands: widest first, so the narrower one sits on top and reads darker.
	bands := make([]band, len(ivs))
	for i, iv := range ivs {
		alpha := 0.15
		if i == len(ivs)-1 {
			alpha = 0.30
		}
		bands[i] = band{x: tl.fut, lo: slices.Clone(iv.Lower), hi: slices.Clone(iv.Upper), color: withAlpha(col, alpha)}
		c.add(append(xys(tl.fut, iv.Lower), xys(tl.fut, iv.Upper)...), bands[i])
	}
	if len(hist) > 0 {
		l, pts, err := newLine(tl.hist, hist, actualColor, thinWidth, nil)
		if err != nil {
			return nil, err
		}
		c.add(pts, l)
		c.legend("history", l)
	}
	if in.Actual != nil {
		x, y := tl.fut, in.Actual
		if len(hist) > 0 { // connect to the last observation
			x = append([]float64{tl.hist[len(hist)-1]}, x...)
			y = append([]float64{hist[len(hist)-1]}, y...)
		}
		l, pts, err := newLine(x, y, actualColor, thinWidth, dashPattern)
		if err != nil {
			return nil, err
		}
		c.add(pts, l)
		c.legend("actual", l)
	}
	l, pts, err := newLine(tl.fut, in.Forecast, col, lineWidth, nil)
	if err != nil {
		return nil, err
	}
	c.add(pts, l)
	thumbs := []plot.Thumbnailer{l}
	if h <= 60 {
		s, err := newPoints(pts, col, draw.CircleGlyph{})
		if err != nil {
			return nil, err
		}
		c.p.Add(s)
		thumbs = append(thumbs, s)
	}
	c.legend(model+" forecast", thumbs...)
	for i := len(ivs) - 1; i >= 0; i-- {
		c.legend(levelLabel(ivs[i].Level)+" interval", bands[i])
	}
	origin := vline{x: tl.origin(), style: lineStyle(actualColor, thinWidth, dotPattern)}
	c.p.Add(origin)
	c.legend("forecast origin", origin)
	tl.apply(c.p)
	return c.finish(), nil
}

// checkIntervals validates intervals against the forecast and returns them
// sorted widest (highest level) first.
func checkIntervals(ivs []Interval, fc []float64) ([]Interval, error) {
	out := slices.Clone(ivs)
	for k, iv := range out {
		what := "interval " + levelLabel(iv.Level)
		if !(iv.Level > 0 && iv.Level < 1) {
			return nil, fmt.Errorf("intervals[%d]: level %v is not in (0, 1)", k, iv.Level)
		}
		if err := checkLen(what+" lower", iv.Lower, len(fc), "forecast"); err != nil {
			return nil, err
		}
		if err := checkLen(what+" upper", iv.Upper, len(fc), "forecast"); err != nil {
			return nil, err
		}
		if err := checkValues(what+" lower", iv.Lower); err != nil {
			return nil, err
		}
		if err := checkValues(what+" upper", iv.Upper); err != nil {
			return nil, err
		}
		for i := range iv.Lower {
			if iv.Lower[i] > iv.Upper[i] {
				return nil, fmt.Errorf("%s: lower[%d] = %g is above upper[%d] = %g", what, i, iv.Lower[i], i, iv.Upper[i])
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Interval) int { return cmp.Compare(b.Level, a.Level) })
	return out, nil
}

// levelLabel formats a coverage level: 0.8 → "80 %", 0.975 → "97.5 %".
func levelLabel(level float64) string {
	return strconv.FormatFloat(math.Round(level*1000)/10, 'f', -1, 64) + " %"
}

// tail returns the last n history points to draw (see ForecastInput.Context)
// and the index position of the first one.
func tail(t []time.Time, v []float64, start, context, h int) ([]time.Time, []float64, int) {
	n := context
	if n == 0 {
		n = max(4*h, 48)
	}
	if n < 0 || n >= len(v) || (t != nil && len(t) != len(v)) {
		return t, v, start
	}
	skip := len(v) - n
	if t != nil {
		t = t[skip:]
	}
	return t, v[skip:], start + skip
}

// ModelForecast is one model's forecast in a Comparison.
type ModelForecast struct {
	// Model names the model; it picks the colour.
	Model string
	// Values is the point forecast, len(ComparisonInput.Actual).
	Values []float64
	// MASE is shown in the legend; NaN means unknown and is shown as "n/a".
	MASE float64
}

// ComparisonInput is what Comparison draws.
type ComparisonInput struct {
	// Title is the plot title; "" means "Forecast comparison".
	Title string
	// Unit labels the y axis; "" means "value".
	Unit string
	// HistoryTime, History, Context and IndexStart are as in ForecastInput.
	HistoryTime []time.Time
	History     []float64
	Context     int
	IndexStart  int
	// Time holds one timestamp per forecast step (nil for an indexed series).
	Time []time.Time
	// Actual is the observed future the forecasts are compared with.
	Actual []float64
	// Forecasts holds one entry per model, at least one. The legend lists
	// them by increasing MASE.
	Forecasts []ModelForecast
}

// Comparison draws several models' forecasts against the actual future, with
// each model's MASE in the legend (best first).
func Comparison(in ComparisonInput) (*plot.Plot, error) {
	p, err := comparisonPlot(in)
	return p, wrap("comparison", err)
}

func comparisonPlot(in ComparisonInput) (*plot.Plot, error) {
	h := len(in.Actual)
	if h == 0 {
		return nil, fmt.Errorf("actual: %w", ErrNoData)
	}
	if len(in.Forecasts) == 0 {
		return nil, fmt.Errorf("forecasts: %w", ErrNoData)
	}
	if err := checkValues("actual", in.Actual); err != nil {
		return nil, err
	}
	if err := checkValues("history", in.History); err != nil {
		return nil, err
	}
	for i, f := range in.Forecasts {
		if f.Model == "" {
			return nil, fmt.Errorf("forecasts[%d]: empty model name", i)
		}
		if err := checkLen(f.Model+" forecast", f.Values, h, "actual"); err != nil {
			return nil, err
		}
		if err := checkValues(f.Model+" forecast", f.Values); err != nil {
			return nil, err
		}
		if math.IsInf(f.MASE, 0) || f.MASE < 0 {
			return nil, fmt.Errorf("%s: MASE %v is not a finite non-negative number", f.Model, f.MASE)
		}
	}
	histT, hist, start := tail(in.HistoryTime, in.History, in.IndexStart, in.Context, h)
	tl, err := makeTimeline(histT, len(hist), in.Time, h, start)
	if err != nil {
		return nil, err
	}
	c := newChart(cmp.Or(in.Title, "Forecast comparison"), tl.xLabel(), cmp.Or(in.Unit, "value"))
	addGrid(c.p)

	if len(hist) > 0 {
		l, pts, err := newLine(tl.hist, hist, actualColor, thinWidth, nil)
		if err != nil {
			return nil, err
		}
		c.add(pts, l)
		c.legend("history", l)
	}
	x, y := tl.fut, in.Actual
	if len(hist) > 0 {
		x = append([]float64{tl.hist[len(hist)-1]}, x...)
		y = append([]float64{hist[len(hist)-1]}, y...)
	}
	l, pts, err := newLine(x, y, actualColor, lineWidth, nil)
	if err != nil {
		return nil, err
	}
	c.add(pts, l)
	c.legend("actual", l)

	fcs := slices.Clone(in.Forecasts)
	slices.SortStableFunc(fcs, func(a, b ModelForecast) int {
		switch {
		case math.IsNaN(a.MASE) && math.IsNaN(b.MASE):
			return 0
		case math.IsNaN(a.MASE):
			return 1
		case math.IsNaN(b.MASE):
			return -1
		}
		return cmp.Compare(a.MASE, b.MASE)
	})
	// Draw the best model last, on top.
	for i := len(fcs) - 1; i >= 0; i-- {
		f := fcs[i]
		l, pts, err := newLine(tl.fut, f.Values, ModelColor(f.Model), lineWidth, nil)
		if err != nil {
			return nil, err
		}
		c.add(pts, l)
	}
	for _, f := range fcs {
		mase := "n/a"
		if !math.IsNaN(f.MASE) {
			mase = strconv.FormatFloat(f.MASE, 'f', 2, 64)
		}
		c.legend(fmt.Sprintf("%s (MASE %s)", f.Model, mase), modelThumb(f.Model))
	}
	tl.apply(c.p)
	return c.finish(), nil
}
