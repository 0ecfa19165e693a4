package neural

import (
	"fmt"
	"math"
	"slices"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/windowing"
)

// normFloor is the smallest window standard deviation NormMean divides by,
// on the globally scaled data (unit standard deviation): flat windows are
// not blown up into noise.
const normFloor = 0.1

// resolveTransform resolves c.Transform for the training span of the
// target and sets n.floor: the globally scaled model takes the log of a
// positive span the log makes less skewed (TransformAuto) or as asked; the
// relative normalisations never transform.
func (n *Neural) resolveTransform(c *NeuralConfig, span []float64) error {
	n.floor = 0
	if c.Normalize != NormNone {
		c.Transform = TransformNone
		return nil
	}
	lo := slices.Min(span)
	switch c.Transform {
	case TransformAuto:
		c.Transform = TransformNone
		if lo > 0 {
			logs := make([]float64, len(span))
			for i, v := range span {
				logs[i] = math.Log(v)
			}
			if math.Abs(skewness(logs)) < math.Abs(skewness(span)) {
				c.Transform = TransformLog
			}
		}
	case TransformLog:
		if lo <= 0 {
			i := slices.Index(span, lo)
			return fmt.Errorf("%s: %w: transform %q needs positive values; training value %d is %g", c.Model, forecast.ErrBadData, TransformLog, i, lo)
		}
	}
	if c.Transform == TransformLog {
		n.floor = lo / 2
	}
	return nil
}

// transformed returns s with the target mapped by forwardT (s itself
// without a transform).
func (n *Neural) transformed(s *dataset.Series) *dataset.Series {
	if n.floor == 0 {
		return s
	}
	t := *s
	t.Values = make([]float64, len(s.Values))
	for i, v := range s.Values {
		t.Values[i] = n.forwardT(v)
	}
	return &t
}

// windows returns the training windows of the transformed series t (see
// transformed) as the network sees them: scaled with the fitted scaler.
func (n *Neural) windows(t *dataset.Series) (*windowing.Windows, error) {
	wins, err := windowing.New([]*dataset.Series{n.scaler.Transform(t)},
		windowing.Config{Input: n.cfg.Window, Horizon: n.out})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", n.cfg.Model, err)
	}
	return wins, nil
}

// skewness returns the moment coefficient of skewness of x, 0 for a
// constant x.
func skewness(x []float64) float64 {
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var m2, m3 float64
	for _, v := range x {
		d := v - mean
		m2 += d * d
		m3 += d * d * d
	}
	m2 /= float64(len(x))
	m3 /= float64(len(x))
	if m2 == 0 {
		return 0
	}
	return m3 / math.Pow(m2, 1.5)
}

// forwardT maps a target value to the space the network models: its log
// (floored) under TransformLog, itself otherwise.
func (n *Neural) forwardT(v float64) float64 {
	if n.floor == 0 {
		return v
	}
	return math.Log(max(v, n.floor))
}

// original maps a scaled model output back to the original scale: the
// inverse scaling, then the inverse transform.
func (n *Neural) original(v float64) float64 {
	v = n.scaler.InverseValue(v)
	if n.floor == 0 {
		return v
	}
	return math.Exp(v)
}

// splitWindows says which of the windows (W inputs, H targets) of a series
// of n points train and which validate: the latest val fraction of the
// nWin windows validates (nVal of them, none if val ≤ 0); the first nTrain
// train, whose targets end before the first validation target.
func splitWindows(n, W, H int, val float64) (nWin, nTrain, nVal int) {
	nWin = n - W - H + 1
	if val > 0 {
		nVal = max(1, int(math.Round(val*float64(nWin))))
	}
	nTrain = nWin - nVal
	if nVal > 0 {
		nTrain -= H - 1 // no training target overlaps a validation target
	}
	return nWin, nTrain, nVal
}

// valTruth returns the targets of the nVal validation windows of v
// (window, step), on the original scale.
func valTruth(v []float64, W, H, nWin, nVal int) []float64 {
	out := make([]float64, 0, nVal*H)
	for id := nWin - nVal; id < nWin; id++ {
		out = append(out, v[id+W:id+W+H]...)
	}
	return out
}

// seasonalBeatsNaive tells whether the seasonal-naive forecast (lag m) of
// the last k windows (W inputs, H targets) of v has a lower mean absolute
// error than the naive one.
func seasonalBeatsNaive(v []float64, W, H, m, k int) bool {
	nWin := len(v) - W - H + 1
	var naive, seasonal float64
	for i := max(0, nWin-k); i < nWin; i++ {
		last := v[i+W-1]
		for h := range H {
			y := v[i+W+h]
			naive += math.Abs(y - last)
			seasonal += math.Abs(y - v[i+W-m+h%m])
		}
	}
	return seasonal < naive
}

// normBuf holds what the window-level normalisation of a batch took away:
// the offsets of every target (B, H) and the scale of every row (B); and
// the network input when it has the level channel (T, B, netIn).
type normBuf struct {
	off, scale, x []float64
}

func (n *Neural) newNormBuf(B, H int) *normBuf {
	nb := &normBuf{off: make([]float64, B*H), scale: make([]float64, B)}
	if n.level() {
		nb.x = make([]float64, n.cfg.Window*B*n.netIn())
	}
	return nb
}

// level tells whether the network sees the level channel.
func (n *Neural) level() bool {
	return !n.cfg.NoLevel && !n.cfg.Global && n.cfg.Normalize != NormNone
}

// netIn returns the network's input features: the (normalised) target, the
// level channel if any, the covariates.
func (n *Neural) netIn() int {
	if n.level() {
		return n.in + 1
	}
	return n.in
}

// prepare normalises the batch b in place (see normalize) and returns the
// network input: b.X itself, or with the level channel, nb.x holding per
// step the normalised target, the scaled target before normalisation and
// the covariates.
func (n *Neural) prepare(b *windowing.Batch, nb *normBuf) []float64 {
	T, B, In := b.T, b.B, b.In
	if !n.level() {
		n.normalize(b, nb)
		return b.X[:T*B*In]
	}
	x := nb.x[:T*B*(In+1)]
	for i := 0; i < T*B; i++ {
		x[i*(In+1)+1] = b.X[i*In]
		copy(x[i*(In+1)+2:(i+1)*(In+1)], b.X[i*In+1:(i+1)*In])
	}
	n.normalize(b, nb)
	for i := 0; i < T*B; i++ {
		x[i*(In+1)] = b.X[i*In]
	}
	return x
}

// normRow normalises the target column of one window in place: its T
// values are x[0], x[stride], ... It writes the offsets of the H targets
// to off and returns their scale: a target y is seen as (y-off)/scale.
func (n *Neural) normRow(x []float64, stride, T int, off []float64) float64 {
	if n.cfg.Global {
		return n.normRowGlobal(x, stride, T, off)
	}
	switch n.cfg.Normalize {
	case NormLast:
		ref := x[(T-1)*stride]
		for t := 0; t < T; t++ {
			x[t*stride] -= ref
		}
		for h := range off {
			off[h] = ref
		}
		return 1
	case NormMean:
		mean, sd := moments(x, stride, T)
		sd = max(sd, normFloor)
		for t := 0; t < T; t++ {
			x[t*stride] = (x[t*stride] - mean) / sd
		}
		for h := range off {
			off[h] = mean
		}
		return sd
	case NormSeason:
		m := n.cfg.Season
		for h := range off {
			off[h] = x[(T-m+h%m)*stride]
		}
		ref := x[(T-1)*stride]
		for t := 0; t < T; t++ {
			x[t*stride] -= ref
		}
		return 1
	default:
		for h := range off {
			off[h] = 0
		}
		return 1
	}
}

// moments returns the mean and the population standard deviation of the
// T values x[0], x[stride], x[2·stride], ….
func moments(x []float64, stride, T int) (mean, sd float64) {
	for t := 0; t < T; t++ {
		mean += x[t*stride]
	}
	mean /= float64(T)
	var ss float64
	for t := 0; t < T; t++ {
		d := x[t*stride] - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(T))
}

// globalFloor is the smallest spread a global model divides a window by,
// relative to the window's mean magnitude (with the log transform: in log
// units, i.e. relative to the level): a flat window is not blown up into
// noise, whatever the series' scale.
const globalFloor = 0.01

// normRowGlobal is normRow for a global model, whose windows come from
// series of every scale: the window's values are taken relative to a
// reference (its mean under NormMean, its last value under NormLast and
// NormSeason) and divided by the window's standard deviation, floored at
// globalFloor of its mean magnitude (of 1 with the log transform); the
// targets' offsets are the mean (NormMean), the last value (NormLast) or
// the value one season earlier (NormSeason).
func (n *Neural) normRowGlobal(x []float64, stride, T int, off []float64) float64 {
	mean, sd := moments(x, stride, T)
	floor := globalFloor
	if n.floor == 0 {
		floor *= math.Abs(mean)
	}
	sd = max(sd, floor, 1e-12)
	ref := mean
	if n.cfg.Normalize != NormMean {
		ref = x[(T-1)*stride]
	}
	for h := range off {
		off[h] = ref
		if n.cfg.Normalize == NormSeason {
			m := n.cfg.Season
			off[h] = x[(T-m+h%m)*stride]
		}
	}
	for t := 0; t < T; t++ {
		x[t*stride] = (x[t*stride] - ref) / sd
	}
	return sd
}

// normalize normalises every row of b (inputs and targets) and records the
// offsets and scales in nb.
func (n *Neural) normalize(b *windowing.Batch, nb *normBuf) {
	T, B, In, H := b.T, b.B, b.In, b.H
	for r := 0; r < B; r++ {
		off := nb.off[r*H : (r+1)*H]
		sc := n.normRow(b.X[r*In:], B*In, T, off)
		nb.scale[r] = sc
		for h := 0; h < H; h++ {
			b.Y[r*H+h] = (b.Y[r*H+h] - off[h]) / sc
		}
	}
}

// setTransform restores a loaded model's target transform: TransformLog
// with its floor, anything else (older files have none) TransformNone.
func (n *Neural) setTransform(kind string, floor float64) error {
	n.cfg.Transform, n.floor = TransformNone, 0
	if kind != TransformLog {
		return nil
	}
	if !(floor > 0) || math.IsInf(floor, 0) {
		return fmt.Errorf("%w: transform %q with floor %g", forecast.ErrCorrupt, kind, floor)
	}
	n.cfg.Transform, n.floor = TransformLog, floor
	return nil
}
