package neural

import (
	"fmt"
	"math"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// lastRows returns the last w observations of s as rows (w, In): target
// first, then the covariates.
func lastRows(s *dataset.Series, w int) []float64 {
	in := 1 + len(s.Covariates)
	out := make([]float64, w*in)
	n := s.Len()
	for t := 0; t < w; t++ {
		out[t*in] = s.Values[n-w+t]
		for j, cv := range s.Covariates {
			out[t*in+1+j] = cv[n-w+t]
		}
	}
	return out
}

// Predict forecasts the h steps after the fitted series. A global model
// fitted on several series has no one series to continue: use PredictFrom.
func (n *Neural) Predict(h int) (*forecast.Forecast, error) {
	if !n.fitted {
		return nil, fmt.Errorf("%s: %w", n.cfg.Model, forecast.ErrNotFitted)
	}
	if n.cfg.Global {
		if n.tail == nil {
			return nil, fmt.Errorf("%s: %w", n.cfg.Model, forecast.ErrGlobalPredict)
		}
		return n.predictGlobalValues(n.tail, n.at, h)
	}
	return n.predictTail(n.tail, n.at, h)
}

// PredictFrom forecasts the h steps after history with the fitted weights
// and scaler, without refitting. history must have the covariates the model
// was trained with and at least Window points.
func (n *Neural) PredictFrom(history *dataset.Series, h int) (*forecast.Forecast, error) {
	if !n.fitted {
		return nil, fmt.Errorf("%s: %w", n.cfg.Model, forecast.ErrNotFitted)
	}
	if n.cfg.Global {
		return n.predictGlobal(history, h)
	}
	if n.cfg.NoCovariates && len(history.Covariates) > 0 {
		t := *history
		t.Covariates, t.CovariateNames = nil, nil
		history = &t
	}
	if 1+len(history.Covariates) != n.in {
		return nil, fmt.Errorf("%s: %w: the model was trained with %d covariates; history has %d",
			n.cfg.Model, forecast.ErrBadData, n.in-1, len(history.Covariates))
	}
	if history.Len() < n.cfg.Window {
		return nil, &forecast.ShortError{What: "history", Have: history.Len(), Need: n.cfg.Window,
			Why: fmt.Sprintf("window %d", n.cfg.Window)}
	}
	for i, v := range history.Values[history.Len()-n.cfg.Window:] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %w: history value %d is %g", n.cfg.Model, forecast.ErrBadData, history.Len()-n.cfg.Window+i, v)
		}
	}
	return n.predictTail(lastRows(history, n.cfg.Window), forecast.AnchorOf(history), h)
}

// predictTail forecasts h steps after the raw rows tail (Window, In).
func (n *Neural) predictTail(tail []float64, at forecast.Anchor, h int) (*forecast.Forecast, error) {
	c := n.cfg
	if h < 1 {
		return nil, fmt.Errorf("%s: %w: %d", c.Model, forecast.ErrHorizon, h)
	}
	if n.in > 1 && h > n.out {
		return nil, fmt.Errorf("%s: %w: forecasting %d steps past the trained horizon %d needs future covariates; train with a longer horizon or without covariates",
			c.Model, forecast.ErrHorizon, h, n.out)
	}
	values := n.predictValues(tail, h)
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %w: the network produced %g", c.Model, ErrDiverged, v)
		}
	}
	f := at.Forecast(c.Model, c.Strategy, values)
	for li, level := range c.Levels {
		if li >= len(n.widths) {
			break
		}
		if !n.widthsFinite(li, h) {
			f.NoInterval(level, n.noWidth(level))
			continue
		}
		iv := forecast.Interval{Level: level, Lo: make([]float64, h), Hi: make([]float64, h)}
		for k := range h {
			w := n.width(li, k)
			iv.Lo[k], iv.Hi[k] = values[k]-w, values[k]+w
		}
		f.Intervals = append(f.Intervals, iv)
	}
	f.DropNonFinite()
	return f, nil
}

// predictValues returns the h-step point forecast after the raw rows tail
// (Window, In) on the original scale: a combined model's is the weighted
// sum of its parts' forecasts, parts in order.
func (n *Neural) predictValues(tail []float64, h int) []float64 {
	if len(n.parts) > 0 {
		values := make([]float64, h)
		for i, p := range n.parts {
			for k, v := range p.predictValues(tail, h) {
				values[k] += n.weights[i] * v
			}
		}
		return values
	}
	W, H, in := n.cfg.Window, n.out, n.in
	// Scaled window, time-major with B = 1: x[t*in+i].
	x := make([]float64, W*in)
	for t := 0; t < W; t++ {
		x[t*in] = (n.forwardT(tail[t*in]) - n.scaler.Center[0]) / n.scaler.Scale[0]
		for j := 1; j < in; j++ {
			x[t*in+j] = (tail[t*in+j] - n.scaler.Center[j]) / n.scaler.Scale[j]
		}
	}
	xn := make([]float64, W*in)
	off := make([]float64, H)
	buf := make([]float64, H)
	var xl []float64 // with the level channel: (W, in+1)
	if n.level() {
		xl = make([]float64, W*(in+1))
	}
	values := make([]float64, 0, h+H)
	for len(values) < h {
		copy(xn, x)
		sc := n.normRow(xn, in, W, off)
		input := xn
		if xl != nil {
			for t := 0; t < W; t++ {
				xl[t*(in+1)] = xn[t*in]
				xl[t*(in+1)+1] = x[t*in]
				copy(xl[t*(in+1)+2:(t+1)*(in+1)], x[t*in+1:(t+1)*in])
			}
			input = xl
		}
		out := n.forward(input, W, 1, buf)
		block := make([]float64, H)
		for k := range H {
			block[k] = out[k]*sc + off[k]
		}
		// Slide the window over the block (target only; covariates are
		// never needed here: see the check above).
		if H >= W {
			// The block is at least a window long: its last W values are
			// the next window.
			for t := 0; t < W; t++ {
				x[t*in] = block[H-W+t]
			}
		} else {
			copy(x, x[H*in:])
			for k := range H {
				x[(W-H+k)*in] = block[k]
			}
		}
		for _, v := range block {
			values = append(values, n.original(v))
		}
	}
	return values[:h]
}
