package neural

import (
	"fmt"
	"math"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// esFitBuf holds PredictFrom's work space.
type esFitBuf struct {
	w         esWork
	rows      [1]esRow
	logy      []float64
	raw, graw []float64
	best      []float64
	adam      esAdam
	sum       []float64 // (Horizon, esQ): the ensemble's sums
	q         [esQ]float64
}

// lookup returns the index of the training series history starts with
// (same ID or name, same values over the training length; or the series
// of a one-series Fit itself), or -1.
func (e *ESRNN) lookup(history *dataset.Series) int {
	if history == e.tail && len(e.labels) == 1 {
		// The series of a one-series Fit, named or not.
		return 0
	}
	for _, label := range []string{history.ID, history.Name} {
		if label == "" {
			continue
		}
		i, ok := e.known[label]
		if !ok {
			continue
		}
		if n := e.lengths[i]; history.Len() >= n && esHash(history.Values[:n]) == e.hashes[i] {
			return i
		}
	}
	return -1
}

// setWeights copies snapshot k's weights into the network.
func (e *ESRNN) setWeights(k int) {
	for i, p := range e.net.Params() {
		copy(p.W, e.snaps[k].w[i])
	}
}

// fitRaw fits the smoothing parameters of the series y (logs logy) with
// the network (its current weights) frozen: FitSteps Adam steps on the
// loss of its last Chunk positions, from esInit's start; it returns the
// parameters of the lowest loss seen, in f.best. A series of one value
// keeps the start.
func (e *ESRNN) fitRaw(f *esFitBuf, y, logy []float64) []float64 {
	c := &e.cfg
	P, n := esParams(c.Season), len(y)
	f.raw, f.graw, f.best = growF(f.raw, P), growF(f.graw, P), growF(f.best, P)
	esInit(y, c.Season, c.Alpha, c.Gamma, f.raw)
	flat := !c.NoSeasonTest && esFlat(y, c.Season)
	if flat {
		esFlatten(f.raw, c.Season)
	}
	copy(f.best, f.raw)
	if n < 2 {
		return f.best
	}
	f.adam.m, f.adam.v, f.adam.t = growF(f.adam.m, P), growF(f.adam.v, P), append(f.adam.t[:0], 0)
	clear(f.adam.m)
	clear(f.adam.v)
	first := esFirst(n, c.Window)
	p1 := n - 1
	p0 := max(first, p1-c.Chunk)
	r := &f.rows[0]
	*r = esRow{y: y, logy: logy, p0: p0, p1: p1, raw: f.raw, graw: f.graw, es: r.es}
	bestLoss := math.Inf(1)
	for range c.FitSteps {
		clear(f.graw)
		e.net.ZeroGrad()
		loss := c.eval(e.net, f.rows[:], p1-p0, &f.w, true)
		if !(loss < bestLoss) {
			if math.IsNaN(loss) {
				break
			}
		} else {
			bestLoss = loss
			copy(f.best, f.raw)
		}
		if flat {
			esFixFlat(f.graw, c.Season)
		}
		f.adam.step(0, P, f.raw, f.graw, c.ESLR)
	}
	loss := c.eval(e.net, f.rows[:], p1-p0, &f.w, false)
	if loss < bestLoss {
		copy(f.best, f.raw)
	}
	return f.best
}

// PredictFrom forecasts the h steps (at most Horizon) after history, a
// series seen in training or not: with every kept network, the series'
// smoothing parameters (its own if it was a training series, else fitted
// with the network frozen, once per seed) smooth the history, the network runs over its
// last Chunk positions, and the quantiles of the last position are
// re-seasonalised and multiplied by the last level; the forecasts and
// bounds are averaged over the networks. Every value of history must be
// positive.
func (e *ESRNN) PredictFrom(history *dataset.Series, h int) (*forecast.Forecast, error) {
	if len(e.snaps) == 0 {
		return nil, forecast.ErrNotFitted
	}
	c := &e.cfg
	if err := forecast.CheckHorizon(h); err != nil {
		return nil, err
	}
	if h > c.Horizon {
		return nil, fmt.Errorf("%s: %w: %d steps; the model was trained for %d", e.name, forecast.ErrHorizon, h, c.Horizon)
	}
	n := history.Len()
	label := seriesLabel(history, 0)
	if history.ID == "" && history.Name == "" {
		label = "(unnamed)"
	}
	if n == 0 {
		return nil, &forecast.ShortError{What: "history " + label, Have: 0, Need: 1, Why: e.name}
	}
	if err := esCheck(e.name, label, history.Values); err != nil {
		return nil, err
	}
	if e.fit == nil {
		e.fit = &esFitBuf{}
	}
	f := e.fit
	y := history.Values
	f.logy = growF(f.logy, n)
	for i, v := range y {
		f.logy[i] = math.Log(v)
	}
	known := e.lookup(history)
	P, m, H := esParams(c.Season), c.Season, c.Horizon
	f.sum = growF(f.sum, H*esQ)
	clear(f.sum)
	for k := range e.snaps {
		e.setWeights(k)
		var raw []float64
		switch {
		case known >= 0:
			raw = e.snaps[k].raw[known*P : (known+1)*P]
		case k%c.Last == 0:
			// An unseen series: fitted once per seed, with the seed's
			// first kept snapshot (its others differ by the last epochs'
			// small steps).
			raw = e.fitRaw(f, y, f.logy)
		default:
			raw = f.best
		}
		p0 := max(esFirst(n+1, c.Window), n-c.Chunk)
		r := &f.rows[0]
		*r = esRow{y: y, logy: f.logy, p0: p0, p1: n, raw: raw, es: r.es}
		T := n - p0
		f.w.x = growF(f.w.x, T*c.inputs())
		c.fill(f.rows[:], T, f.w.x)
		e.net.ClearResets()
		out := e.net.Forward(f.w.x, T, 1)
		last := out[(T-1)*H*esQ : T*H*esQ]
		ll := r.es.logl[n-1]
		for j := range H {
			esQuant(last[j*esQ:(j+1)*esQ], &f.q)
			base := ll + r.es.logs[n+j%m]
			for qi, v := range f.q {
				f.sum[j*esQ+qi] += math.Exp(v + base)
			}
		}
	}
	inv := 1 / float64(len(e.snaps))
	values := make([]float64, h)
	lo80, hi80, lo95, hi95 := make([]float64, h), make([]float64, h), make([]float64, h), make([]float64, h)
	for j := range h {
		s := f.sum[j*esQ : (j+1)*esQ]
		lo95[j], lo80[j], values[j], hi80[j], hi95[j] = s[0]*inv, s[1]*inv, s[2]*inv, s[3]*inv, s[4]*inv
	}
	out := forecast.AnchorOf(history).Forecast(e.name, "direct", values)
	out.Intervals = []forecast.Interval{{Level: 0.8, Lo: lo80, Hi: hi80}, {Level: 0.95, Lo: lo95, Hi: hi95}}
	if err := out.Settle(); err != nil {
		return nil, fmt.Errorf("%s: %w", e.name, err)
	}
	return out, nil
}
