package neural

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/windowing"
)

var _ forecast.GlobalFitter = (*Neural)(nil)

// GlobalNorm is the window normalisation a global model uses when
// NeuralConfig.Normalize is NormAuto: every window standardised by its own
// mean and spread.
const GlobalNorm = NormMean

// GlobalWindow returns the input window a global model picks by default
// for the seasonal period season: max(2·season, 6), the PyTorch global
// reference's choice (24 for monthly, 8 for quarterly, 6 for yearly data).
func GlobalWindow(season int) int { return max(2*season, 6) }

// seriesLabel names series i of a FitGlobal input for messages.
func seriesLabel(s *dataset.Series, i int) string {
	switch {
	case s.ID != "":
		return s.ID
	case s.Name != "":
		return s.Name
	}
	return fmt.Sprintf("#%d", i)
}

// FitGlobal trains ONE network (every ensemble member) on the windows of
// all series: each window (Window inputs, Horizon targets) is normalised on
// its own (see normRowGlobal: relative to its mean, NormMean, the default;
// or to its last value, NormLast; or to the seasonal-naive forecast,
// NormSeason; divided by its standard deviation), so series of any scale
// train one model. With TransformLog (TransformAuto: when every value of
// every series is positive) the network sees log values, so a window's
// spread is relative to its level.
//
// Validation (unless Val < 0) is each series' latest window; every earlier
// window of every series trains, shuffled together (the latest training
// targets overlap the validation targets by H-1 steps, as in the PyTorch
// reference: the most recent data matter most, and on M3 the intervals
// calibrated this way still covered close to their levels). Early stopping and the conformal intervals use the
// pooled validation windows; the intervals are calibrated on the
// normalised scale, so each series' intervals scale with its own windows.
// Window defaults to GlobalWindow(Season); Season to the first series'
// frequency's.
//
// Memory: the windows are index lists over the series (one transformed
// copy of the data with TransformLog), never copied out; an epoch's time is
// linear in the number of windows. A series with fewer than Window+Horizon
// points, or a missing or non-finite value, gives no window: Skipped lists
// it with the reason, and training goes on with the others (an error only
// when no series gives a training window). Same seed and data, same model,
// whatever GOMAXPROCS.
func (n *Neural) FitGlobal(ctx context.Context, series []*dataset.Series) error {
	c := n.req
	c.Global = true
	c.Progress = n.cfg.Progress
	n.fitted = false
	n.parts, n.weights, n.valPred, n.skipped, n.tail = nil, nil, nil, nil, nil
	if len(series) == 0 {
		return fmt.Errorf("%s: %w: no series", c.Model, forecast.ErrTooShort)
	}
	n.in = 1
	n.out = c.Horizon
	if c.Strategy == Recursive {
		n.out = 1
	}
	if c.Season == 0 {
		c.Season = max(1, series[0].Freq.Season())
	}
	if c.Window == 0 {
		c.Window = GlobalWindow(c.Season)
	}
	W, H := c.Window, n.out
	switch c.Normalize {
	case NormAuto:
		c.Normalize = GlobalNorm
	case NormNone:
		return fmt.Errorf("%s: a global model normalises every window; normalisation %q is for one series", c.Model, NormNone)
	case NormSeason:
		if c.Season > W {
			return fmt.Errorf("%s: normalisation %q needs the window (%d) to cover a season (%d)", c.Model, NormSeason, W, c.Season)
		}
	}

	// The series that give a window, their covariates dropped (a shallow
	// copy: the values are shared).
	used := make([]*dataset.Series, 0, len(series))
	positive := true
	for i, s := range series {
		label := seriesLabel(s, i)
		if s.Len() < W+H {
			n.skipped = append(n.skipped, forecast.SkippedSeries{Series: label, Err: &forecast.ShortError{What: "series " + label, Have: s.Len(), Need: W + H,
				Why: fmt.Sprintf("window %d + horizon %d", W, H)}})
			continue
		}
		bad := -1
		for j, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad = j
				break
			}
			if v <= 0 {
				if c.Transform == TransformLog {
					bad = j
					break
				}
				positive = false
			}
		}
		if bad >= 0 {
			err := fmt.Errorf("%w: series %s: value %d is %g", forecast.ErrBadData, label, bad, s.Values[bad])
			if c.Transform == TransformLog {
				err = fmt.Errorf("%w (transform %q needs positive values)", err, TransformLog)
			}
			n.skipped = append(n.skipped, forecast.SkippedSeries{Series: label, Err: err})
			continue
		}
		t := *s
		t.Covariates, t.CovariateNames = nil, nil
		used = append(used, &t)
	}
	if len(used) == 0 {
		return fmt.Errorf("%s: no series gives a window: %w", c.Model, n.skipped[0].Err)
	}
	if c.Transform == TransformAuto {
		c.Transform = TransformNone
		if positive {
			c.Transform = TransformLog
		}
	}
	n.floor = 0
	if c.Transform == TransformLog {
		// Every value is positive: the floor only marks the transform.
		n.floor = math.SmallestNonzeroFloat64
	}
	n.cfg = c
	n.scaler = dataset.Scaler{Method: dataset.ScaleNone, Center: []float64{0}, Scale: []float64{1}}
	for i, s := range used {
		used[i] = n.transformed(s)
	}
	wins, err := windowing.New(used, windowing.Config{Input: W, Horizon: H})
	if err != nil {
		return fmt.Errorf("%s: %w", c.Model, err)
	}
	var trainIDs, valIDs []int
	first := 0
	for _, s := range used {
		nWin := s.Len() - W - H + 1
		nTrain := nWin
		if c.Val >= 0 {
			valIDs = append(valIDs, first+nWin-1)
			// Every window but the latest trains, as in the PyTorch
			// reference: on M3 monthly this beat training only on windows
			// whose targets end before the validation targets (sMAPE 14.45
			// against 14.56, intervals still covering 78 % and 96 %;
			// docs/M3-global.md).
			nTrain = nWin - 1
		}
		for k := range max(0, nTrain) {
			trainIDs = append(trainIDs, first+k)
		}
		first += nWin
	}
	if len(trainIDs) == 0 {
		// Every series gives one window, and it validates.
		longest := 0
		for _, s := range used {
			longest = max(longest, s.Len())
		}
		return &forecast.ShortError{What: "the longest series", Have: longest, Need: W + H + 1,
			Why: fmt.Sprintf("window %d + horizon %d + 1 (a window to train on besides each series' latest, which validates)", W, H)}
	}

	start := time.Now()
	fitErr := n.trainMembers(ctx, wins, trainIDs, valIDs)
	if len(n.nets) == 0 {
		return fitErr
	}
	n.history.Transform = c.Transform
	n.widths = nil
	n.valMAE = math.NaN()
	if len(valIDs) > 0 {
		n.calibrate(wins, valIDs, nil)
	}
	n.history.ValMAE = n.valMAE
	n.history.Elapsed = time.Since(start)
	if len(series) == 1 {
		// Fit(s) of a Global model: Predict forecasts s.
		n.tail = slices.Clone(series[0].Values[series[0].Len()-W:])
		n.at = forecast.AnchorOf(series[0])
	} else {
		n.at = forecast.Anchor{Name: fmt.Sprintf("%d series", len(series)), Freq: series[0].Freq}
	}
	n.fitted = true
	return fitErr
}

// Skipped returns the series the last FitGlobal drew no window from, in
// input order, with the reason; nil when every series trained.
func (n *Neural) Skipped() []forecast.SkippedSeries { return n.skipped }

// predictGlobal forecasts h steps after history with a global model (see
// predictGlobalValues).
func (n *Neural) predictGlobal(history *dataset.Series, h int) (*forecast.Forecast, error) {
	N := history.Len()
	return n.predictGlobalValues(history.Values[max(0, N-n.cfg.Window):], forecast.AnchorOf(history), h)
}

// predictGlobalValues forecasts h steps after the target values last (the
// last Window values of a history, or all of a shorter one) with a global
// model. A history shorter than Window is padded at the front: each
// missing value is the one a season later (Season of the config), or the
// next one when that is past the window. The intervals come from the
// normalised conformal widths mapped through each block's own offset and
// scale (so they scale with the series, and are asymmetric under the log
// transform); a level whose width is infinite (too few validation
// residuals) or whose bounds overflow is left out, with a note.
func (n *Neural) predictGlobalValues(last []float64, at forecast.Anchor, h int) (*forecast.Forecast, error) {
	c := n.cfg
	if h < 1 {
		return nil, fmt.Errorf("%s: %w: %d", c.Model, forecast.ErrHorizon, h)
	}
	W, H := c.Window, n.out
	if len(last) == 0 {
		return nil, &forecast.ShortError{What: "history", Have: 0, Need: 1, Why: "a global model pads a short history, but needs one point"}
	}
	x := make([]float64, W) // the input window, transformed
	p := W - len(last)      // padded positions at the front
	for i, v := range last {
		if math.IsNaN(v) || math.IsInf(v, 0) || (n.floor != 0 && v <= 0) {
			return nil, fmt.Errorf("%s: %w: history value %d is %g", c.Model, forecast.ErrBadData, at.N-len(last)+i, v)
		}
		x[p+i] = n.forwardT(v)
	}
	for t := p - 1; t >= 0; t-- {
		if m := max(1, c.Season); t+m < W {
			x[t] = x[t+m]
		} else {
			x[t] = x[t+1]
		}
	}
	xn := make([]float64, W)
	off := make([]float64, H)
	buf := make([]float64, H)
	mid := make([]float64, 0, h+H)         // transformed point forecasts
	lo := make([][]float64, len(n.widths)) // per level, original scale
	hi := make([][]float64, len(n.widths)) // per level, original scale
	values := make([]float64, 0, h+H)      // original scale
	for len(mid) < h {
		copy(xn, x)
		sc := n.normRow(xn, 1, W, off)
		out := n.forward(xn, W, 1, buf)
		for k := range H {
			step := len(mid)
			v := out[k]*sc + off[k]
			mid = append(mid, v)
			values = append(values, n.original(v))
			for li := range n.widths {
				w := n.width(li, step)
				lo[li] = append(lo[li], n.original((out[k]-w)*sc+off[k]))
				hi[li] = append(hi[li], n.original((out[k]+w)*sc+off[k]))
			}
		}
		block := mid[len(mid)-H:]
		copy(x, x[min(H, W):])
		for k := range min(H, W) {
			x[W-min(H, W)+k] = block[H-min(H, W)+k]
		}
	}
	for _, v := range values[:h] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %w: the network produced %g", c.Model, ErrDiverged, v)
		}
	}
	f := at.Forecast(c.Model, c.Strategy, values[:h])
	for li := range n.widths {
		if !n.widthsFinite(li, h) {
			f.NoInterval(c.Levels[li], n.noWidth(c.Levels[li]))
			continue
		}
		f.Intervals = append(f.Intervals, forecast.Interval{Level: c.Levels[li], Lo: lo[li][:h], Hi: hi[li][:h]})
	}
	f.DropNonFinite()
	return f, nil
}
