package plots

import (
	"cmp"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// LossCurve is one model's loss per epoch.
type LossCurve struct {
	// Model names the model; it picks the colour.
	Model string
	// Train holds the training loss of epochs 1, 2, ...; it must not be empty.
	Train []float64
	// Valid holds the validation loss of epochs 1, 2, ...; nil when there is
	// no validation set.
	Valid []float64
}

// LossInput is what Loss draws.
type LossInput struct {
	// Title is the plot title; "" means "Training and validation loss".
	Title string
	// Loss labels the y axis, e.g. "MSE (scaled units²)"; "" means "loss".
	Loss string
	// Curves holds one entry per model, at least one.
	Curves []LossCurve
	// Linear uses a linear y axis. The default is logarithmic; it also falls
	// back to linear when a loss is negative (a Gaussian NLL can be). On the
	// log axis exact zeros are drawn at a floor, marked in the legend.
	Linear bool
}

// Loss draws training (solid) and validation (dashed) loss per epoch, one
// colour per model, on a log scale by default.
func Loss(in LossInput) (*plot.Plot, error) {
	p, err := lossPlot(in)
	return p, wrap("loss", err)
}

func lossPlot(in LossInput) (*plot.Plot, error) {
	if len(in.Curves) == 0 {
		return nil, fmt.Errorf("curves: %w", ErrNoData)
	}
	var all [][]float64
	for i, c := range in.Curves {
		if c.Model == "" {
			return nil, fmt.Errorf("curves[%d]: empty model name", i)
		}
		if len(c.Train) == 0 {
			return nil, fmt.Errorf("%s train: %w", c.Model, ErrNoData)
		}
		if err := checkValues(c.Model+" train", c.Train); err != nil {
			return nil, err
		}
		if err := checkValues(c.Model+" valid", c.Valid); err != nil {
			return nil, err
		}
		all = append(all, c.Train, c.Valid)
	}
	logY := !in.Linear && minOf(all...) >= 0
	floor := logFloor(0, all...)

	ch := newChart(cmp.Or(in.Title, "Training and validation loss"), "epoch", cmp.Or(in.Loss, "loss"))
	ch.logY = logY
	addGrid(ch.p)
	clamped := 0
	hasValid := false
	for _, c := range in.Curves {
		col := ModelColor(c.Model)
		for _, s := range []struct {
			v      []float64
			dashed bool
		}{{c.Train, false}, {c.Valid, true}} {
			if len(s.v) == 0 {
				continue
			}
			v := s.v
			if logY {
				var n int
				v, n = clampFloor(v, floor)
				clamped += n
				v = log10s(v)
			}
			l, pts, err := newLine(epochs(len(v)), v, col, lineWidth, nil)
			if err != nil {
				return nil, err
			}
			if s.dashed {
				l.LineStyle.Dashes = dashPattern
				hasValid = true
			}
			ch.add(pts, l)
		}
		ch.legend(c.Model, modelThumb(c.Model))
	}
	ch.legend("train", hline{style: lineStyle(grey, lineWidth, nil)})
	if hasValid {
		ch.legend("validation", hline{style: lineStyle(grey, lineWidth, dashPattern)})
	}
	ch.p.X.Tick.Marker = intTicks{}
	if logY {
		ymax := maxOf(all...)
		if clamped > 0 {
			f := hline{y: math.Log10(floor), style: lineStyle(grey, thinWidth, dotPattern)}
			ch.addHLine(f)
			ch.legend(floorLabel(floor), f)
		}
		ymin := floor
		if clamped == 0 {
			ymin = minOf(all...)
		}
		setLogY(ch.p, ymin, ymax)
	}
	return ch.finish(), nil
}

// epochs returns 1, 2, ..., n as float64.
func epochs(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i + 1)
	}
	return x
}

// GradientCurve is one model's gradient norms back through time.
type GradientCurve struct {
	// Model names the model; it picks the colour.
	Model string
	// Trained[k] is ‖∂L/∂h_{T−k}‖ after training, k = 0, 1, ...; values
	// must be >= 0 (zeros are fine). Nil when only Init is known.
	Trained []float64
	// Init is the same at initialisation; nil when not measured.
	Init []float64
}

// GradientInput is what GradientFlow draws.
type GradientInput struct {
	// Title is the plot title; "" means "Gradient flow back through time".
	Title string
	// Curves holds one entry per model, at least one.
	Curves []GradientCurve
	// Floor is the smallest value drawn: smaller values and exact zeros are
	// drawn at Floor, and a dotted line labelled in the legend marks it.
	// 0 means one decade below the smallest positive value.
	Floor float64
}

// GradientFlow draws ‖∂L/∂h_{T−k}‖ against k on a log scale, one colour per
// model: after training solid, at initialisation dashed. It shows the
// vanishing gradient of a vanilla RNN next to the LSTM's constant error
// carousel. Norms may span 1e-30..1e2 and contain exact zeros.
func GradientFlow(in GradientInput) (*plot.Plot, error) {
	p, err := gradientPlot(in)
	return p, wrap("gradient flow", err)
}

func gradientPlot(in GradientInput) (*plot.Plot, error) {
	if len(in.Curves) == 0 {
		return nil, fmt.Errorf("curves: %w", ErrNoData)
	}
	if in.Floor < 0 {
		return nil, fmt.Errorf("floor %g is negative", in.Floor)
	}
	var all [][]float64
	for i, c := range in.Curves {
		if c.Model == "" {
			return nil, fmt.Errorf("curves[%d]: empty model name", i)
		}
		if len(c.Trained) == 0 && len(c.Init) == 0 {
			return nil, fmt.Errorf("%s: %w", c.Model, ErrNoData)
		}
		for _, s := range []struct {
			what string
			v    []float64
		}{{c.Model + " trained", c.Trained}, {c.Model + " init", c.Init}} {
			if err := checkValues(s.what, s.v); err != nil {
				return nil, err
			}
			for k, x := range s.v {
				if x < 0 {
					return nil, fmt.Errorf("%s[%d] = %g is negative; a norm cannot be", s.what, k, x)
				}
			}
		}
		all = append(all, c.Trained, c.Init)
	}
	floor := logFloor(in.Floor, all...)
	ch := newChart(cmp.Or(in.Title, "Gradient flow back through time"),
		"k (steps back from the last time step T)", "|∂L/∂h(T−k)| (log scale)")
	ch.logY = true
	addGrid(ch.p)
	clamped := 0
	hasInit, hasTrained := false, false
	for _, c := range in.Curves {
		col := ModelColor(c.Model)
		for _, s := range []struct {
			v    []float64
			init bool
		}{{c.Init, true}, {c.Trained, false}} {
			if len(s.v) == 0 {
				continue
			}
			v, n := clampFloor(s.v, floor)
			clamped += n
			v = log10s(v)
			l, pts, err := newLine(steps(len(v)), v, col, lineWidth, nil)
			if err != nil {
				return nil, err
			}
			if s.init {
				l.LineStyle.Dashes = dashPattern
				l.LineStyle.Width = thinWidth
				hasInit = true
			} else {
				hasTrained = true
			}
			ch.add(pts, l)
		}
		ch.legend(c.Model, modelThumb(c.Model))
	}
	if hasTrained && hasInit {
		ch.legend("after training", hline{style: lineStyle(grey, lineWidth, nil)})
	}
	if hasInit {
		ch.legend("at initialisation", hline{style: lineStyle(grey, thinWidth, dashPattern)})
	}
	if clamped > 0 {
		f := hline{y: math.Log10(floor), style: lineStyle(grey, thinWidth, dotPattern)}
		ch.addHLine(f)
		ch.legend(floorLabel(floor), f)
	}
	ch.p.X.Tick.Marker = intTicks{}
	setLogY(ch.p, floor, maxOf(all...))
	return ch.finish(), nil
}

// steps returns 0, 1, ..., n-1 as float64.
func steps(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	return x
}

// formatG formats x with up to 3 significant digits.
func formatG(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
