package plots

import (
	"cmp"
	"fmt"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BacktestAxis says what the x axis of a Backtest plot counts.
type BacktestAxis int

const (
	// ByFold draws one group of bars per backtest fold (the default).
	ByFold BacktestAxis = iota
	// ByHorizon draws a line per model over forecast steps 1..H.
	ByHorizon
)

// ModelErrors is one model's backtest error per fold or per horizon step.
type ModelErrors struct {
	// Model names the model; it picks the colour.
	Model string
	// Errors holds one value per fold (or horizon step), fold 1 first; every
	// model has the same number of values.
	Errors []float64
}

// BacktestInput is what Backtest draws.
type BacktestInput struct {
	// Title is the plot title; "" means "Backtest error by fold" or
	// "Backtest error by horizon step".
	Title string
	// Metric labels the y axis with its unit, e.g. "MAE (passengers)";
	// "" means "error".
	Metric string
	// Unit labels the x axis; "" means "fold" or "horizon step".
	Unit string
	// By chooses the x axis: ByFold (bars) or ByHorizon (lines).
	By BacktestAxis
	// Models holds one entry per model, at least one.
	Models []ModelErrors
}

// Backtest draws each model's error per backtest fold (grouped bars) or per
// horizon step (lines with markers).
func Backtest(in BacktestInput) (*plot.Plot, error) {
	p, err := backtestPlot(in)
	return p, wrap("backtest", err)
}

func backtestPlot(in BacktestInput) (*plot.Plot, error) {
	if len(in.Models) == 0 {
		return nil, fmt.Errorf("models: %w", ErrNoData)
	}
	if in.By != ByFold && in.By != ByHorizon {
		return nil, fmt.Errorf("unknown axis %d", in.By)
	}
	n := len(in.Models[0].Errors)
	for i, m := range in.Models {
		if m.Model == "" {
			return nil, fmt.Errorf("models[%d]: empty model name", i)
		}
		if len(m.Errors) == 0 {
			return nil, fmt.Errorf("%s errors: %w", m.Model, ErrNoData)
		}
		if err := checkLen(m.Model+" errors", m.Errors, n, in.Models[0].Model+" errors"); err != nil {
			return nil, err
		}
		if err := checkValues(m.Model+" errors", m.Errors); err != nil {
			return nil, err
		}
	}
	unit, title := "fold", "Backtest error by fold"
	if in.By == ByHorizon {
		unit, title = "horizon step", "Backtest error by horizon step"
	}
	ch := newChart(cmp.Or(in.Title, title), cmp.Or(in.Unit, unit), cmp.Or(in.Metric, "error"))
	addGrid(ch.p)
	if in.By == ByFold {
		// Bars are at most 28 pt wide and a fold's group at most 300/folds pt.
		w := vg.Points(min(28, 300/float64(n*len(in.Models))))
		for i, m := range in.Models {
			b, err := plotter.NewBarChart(plotter.Values(m.Errors), w)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.Model, err)
			}
			b.Color = ModelColor(m.Model)
			b.LineStyle.Width = 0
			b.Offset = vg.Length(float64(i)-float64(len(in.Models)-1)/2) * w
			ch.add(xys(steps(n), m.Errors), b)
			ch.legend(m.Model, b)
		}
		names := make([]string, n)
		for i := range names {
			names[i] = strconv.Itoa(i + 1)
		}
		ch.p.NominalX(names...)
		ch.p.X.Tick.Length = 0
		if ch.p.Y.Min > 0 {
			ch.p.Y.Min = 0
		}
		ch.p.Y.Max += 0.04 * (ch.p.Y.Max - ch.p.Y.Min)
		return ch.finish(), nil
	}
	x := epochs(n)
	for _, m := range in.Models {
		col := ModelColor(m.Model)
		l, pts, err := newLine(x, m.Errors, col, lineWidth, nil)
		if err != nil {
			return nil, err
		}
		s, err := newPoints(pts, col, draw.CircleGlyph{})
		if err != nil {
			return nil, err
		}
		ch.add(pts, l, s)
		ch.legend(m.Model, l, s)
	}
	ch.p.X.Tick.Marker = intTicks{}
	return ch.finish(), nil
}
