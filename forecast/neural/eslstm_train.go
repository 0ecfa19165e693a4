package neural

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/workpool"
	"github.com/tsf-go/tsf/models"
)

// esData is the training data of ESRNN: the usable series' values and
// their logs.
type esData struct {
	ys, logys [][]float64
	// start holds every series' starting raw smoothing parameters (series
	// × P, the same for every network of the ensemble) and flat whether a
	// series failed the seasonality test (its initial factors stay 1).
	start []float64
	flat  []bool
}

// starts fills d.start and d.flat for the configuration c.
func (c ESConfig) starts(d *esData) {
	P, m := esParams(c.Season), c.Season
	d.start = make([]float64, len(d.ys)*P)
	d.flat = make([]bool, len(d.ys))
	for i, y := range d.ys {
		raw := d.start[i*P : (i+1)*P]
		esInit(y, m, c.Alpha, c.Gamma, raw)
		if !c.NoSeasonTest && esFlat(y, m) {
			d.flat[i] = true
			esFlatten(raw, m)
		}
	}
}

// esHash is the FNV-1a hash of the bits of y: it recognises a training
// series in PredictFrom.
func esHash(y []float64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, v := range y {
		u := math.Float64bits(v)
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	return h.Sum64()
}

// esCheck returns an ErrBadData error naming the series label when a value
// of y is missing, not finite or not positive.
func esCheck(name, label string, y []float64) error {
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			return fmt.Errorf("%w: series %s: value %d is %g; %s takes logs and needs positive values", forecast.ErrBadData, label, i, v, name)
		}
	}
	return nil
}

// FitGlobal trains the networks (Ensemble seeds, Last snapshots each) and
// every series' smoothing parameters on the collection (see ESRNN). A
// series with fewer than 2 values, or a value that is missing or not
// positive, is skipped (Skipped says why); an error only when no series is
// left, or when the context is cancelled or the training diverges. Same
// data and seed, same model, whatever GOMAXPROCS.
func (e *ESRNN) FitGlobal(ctx context.Context, series []*dataset.Series) error {
	c := e.req
	c.Progress = e.cfg.Progress
	e.metrics = nil
	e.snaps, e.known, e.lengths, e.hashes, e.labels, e.skipped, e.hist, e.tail, e.net = nil, nil, nil, nil, nil, nil, nil, nil, nil
	if len(series) == 0 {
		return fmt.Errorf("%s: %w: no series", e.name, forecast.ErrTooShort)
	}
	c.resolve(series[0])
	var d esData
	for i, s := range series {
		label := seriesLabel(s, i)
		if s.Len() < 2 {
			e.skipped = append(e.skipped, forecast.SkippedSeries{Series: label, Err: &forecast.ShortError{What: "series " + label, Have: s.Len(), Need: 2,
				Why: "one value to smooth and one target"}})
			continue
		}
		if err := esCheck(e.name, label, s.Values); err != nil {
			e.skipped = append(e.skipped, forecast.SkippedSeries{Series: label, Err: err})
			continue
		}
		y := slices.Clone(s.Values)
		ly := make([]float64, len(y))
		for k, v := range y {
			ly[k] = math.Log(v)
		}
		d.ys, d.logys = append(d.ys, y), append(d.logys, ly)
		e.labels = append(e.labels, label)
		e.lengths = append(e.lengths, len(y))
		e.hashes = append(e.hashes, esHash(y))
	}
	if len(d.ys) == 0 {
		return fmt.Errorf("%s: no series to train on: %w", e.name, e.skipped[0].Err)
	}
	e.cfg = c
	c.starts(&d)
	type result struct {
		snaps []esSnapshot
		hist  []float64
		err   error
	}
	res := make([]result, c.Ensemble)
	workpool.For(context.Background(), len(res), 0, func(k int) {
		s, h, err := c.train(ctx, &d, c.Seed+uint64(k), k == 0)
		res[k] = result{s, h, err}
	})
	for _, r := range res {
		if r.err != nil {
			e.snaps = nil
			return r.err
		}
		e.snaps = append(e.snaps, r.snaps...)
	}
	e.hist = res[0].hist
	net, err := c.build(c.Seed)
	if err != nil {
		return fmt.Errorf("%s: %w", e.name, err)
	}
	e.net = net
	e.index()
	if len(series) == 1 {
		e.at = forecast.AnchorOf(series[0])
	} else {
		e.at = forecast.Anchor{Name: fmt.Sprintf("%d series", len(series)), Freq: series[0].Freq}
	}
	return nil
}

// index builds the table of training series by label.
func (e *ESRNN) index() {
	e.known = make(map[string]int, len(e.labels))
	for i, l := range e.labels {
		if _, dup := e.known[l]; !dup {
			e.known[l] = i
		}
	}
}

// esAdam is Adam for the per-series smoothing parameters: one step count
// per series (a series steps only when it was in the batch).
type esAdam struct {
	m, v []float64
	t    []int
}

// step updates the P parameters of series i from their gradient.
func (a *esAdam) step(i, P int, raw, g []float64, lr float64) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	a.t[i]++
	c1 := 1 - math.Pow(b1, float64(a.t[i]))
	c2 := 1 - math.Pow(b2, float64(a.t[i]))
	m, v := a.m[i*P:(i+1)*P], a.v[i*P:(i+1)*P]
	for k := range P {
		m[k] = b1*m[k] + (1-b1)*g[k]
		v[k] = b2*v[k] + (1-b2)*g[k]*g[k]
		raw[k] -= lr * (m[k] / c1) / (math.Sqrt(v[k]/c2) + eps)
	}
}

// train trains one network from seed with its own smoothing parameters
// and returns the snapshots of its last Last epochs and its mean training
// loss per epoch.
func (c ESConfig) train(ctx context.Context, d *esData, seed uint64, report bool) ([]esSnapshot, []float64, error) {
	name := "es" + c.Cell
	net, err := c.build(seed)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	N, P, m := len(d.ys), esParams(c.Season), c.Season
	raw := slices.Clone(d.start)
	flat := d.flat
	graw := make([]float64, N*P)
	adam := esAdam{m: make([]float64, N*P), v: make([]float64, N*P), t: make([]int, N)}
	stamp := make([]int, N) // the last step that touched a series, +1
	params := net.Params()
	opt := &models.Adam{LR: c.LR}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed5eed5eed5eed))
	steps := c.Steps
	if steps == 0 {
		steps = max((N+c.Batch-1)/c.Batch, 80)
	}
	B := min(c.Batch, N)
	rows := make([]esRow, B)
	order := rng.Perm(N)
	next := 0
	var w esWork
	var snaps []esSnapshot
	var hist []float64
	start := time.Now()
	step := 0
	for epoch := range c.Epochs {
		lr := models.Cosine{Base: c.LR, Min: c.LR / 10, Total: c.Epochs}.LR(epoch)
		opt.SetLR(lr)
		esLR := c.ESLR * lr / c.LR
		var sum float64
		for range steps {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			step++
			T := 0
			for b := range rows {
				if next == N {
					rng.Shuffle(N, func(i, j int) { order[i], order[j] = order[j], order[i] })
					next = 0
				}
				i := order[next]
				next++
				y := d.ys[i]
				n := len(y)
				first := esFirst(n, c.Window)
				avail := n - 1 - first
				L := min(c.Chunk, avail)
				p0 := first + rng.IntN(avail-L+1)
				r := &rows[b]
				r.series, r.y, r.logy, r.p0, r.p1 = i, y, d.logys[i], p0, p0+L
				r.raw, r.graw = raw[i*P:(i+1)*P], graw[i*P:(i+1)*P]
				clear(r.graw)
				T = max(T, L)
			}
			for b := range rows {
				rows[b].off = T - (rows[b].p1 - rows[b].p0)
			}
			net.ZeroGrad()
			loss := c.eval(net, rows, T, &w, true)
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return nil, nil, fmt.Errorf("%s: %w at epoch %d (loss %g); try a lower learning rate (lr, es_lr)", name, ErrDiverged, epoch+1, loss)
			}
			sum += loss
			if c.Clip > 0 {
				models.ClipGlobalNorm(params, c.Clip)
			}
			opt.Step(params)
			for b := range rows {
				i := rows[b].series
				if stamp[i] == step {
					continue
				}
				stamp[i] = step
				if flat[i] {
					esFixFlat(graw[i*P:(i+1)*P], m)
				}
				adam.step(i, P, raw[i*P:(i+1)*P], graw[i*P:(i+1)*P], esLR)
			}
		}
		hist = append(hist, sum/float64(steps))
		if epoch >= c.Epochs-c.Last {
			s := esSnapshot{raw: slices.Clone(raw)}
			for _, p := range params {
				s.w = append(s.w, slices.Clone(p.W))
			}
			snaps = append(snaps, s)
		}
		if report && c.Progress != nil {
			c.Progress(forecast.EpochInfo{Epoch: epoch + 1, Epochs: c.Epochs, TrainLoss: hist[epoch], ValLoss: math.NaN(), LearningRate: lr, Elapsed: time.Since(start)})
		}
	}
	return snaps, hist, nil
}
