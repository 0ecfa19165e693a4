package windowing

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// Config sets the window geometry. Input is required; zero Horizon and
// Stride mean 1.
type Config struct {
	// Input is W, the number of past steps a model sees.
	Input int
	// Horizon is H, the number of future target steps; default 1.
	Horizon int
	// Stride is S, the step between consecutive window starts; default 1.
	Stride int
}

func (c Config) withDefaults() Config {
	if c.Horizon == 0 {
		c.Horizon = 1
	}
	if c.Stride == 0 {
		c.Stride = 1
	}
	return c
}

// Windows is the set of all sliding windows over one or many series. Window
// k of a series of length N starts at k×Stride; the input covers
// [start, start+W) and the target [start+W, start+W+H), so a series has
// (N-W-H)/S + 1 windows. Windows holds no copy of the data.
type Windows struct {
	series  []*dataset.Series
	cfg     Config
	in      int
	offsets []int // offsets[i] = number of windows in series[:i]
}

// New builds the windows of series. Every series must have the same number
// of covariates and at least W+H observations (else an error wrapping
// dataset.ErrTooShort says which series and how many it needs).
func New(series []*dataset.Series, cfg Config) (*Windows, error) {
	cfg = cfg.withDefaults()
	if cfg.Input < 1 || cfg.Horizon < 1 || cfg.Stride < 1 {
		return nil, fmt.Errorf("windowing: window %d, horizon %d and stride %d must be positive", cfg.Input, cfg.Horizon, cfg.Stride)
	}
	if len(series) == 0 {
		return nil, errors.New("windowing: no series")
	}
	w := &Windows{series: series, cfg: cfg, in: 1 + len(series[0].Covariates), offsets: make([]int, len(series)+1)}
	need := cfg.Input + cfg.Horizon
	for i, s := range series {
		if 1+len(s.Covariates) != w.in {
			return nil, fmt.Errorf("windowing: series %q has %d covariates, series %q has %d", s.Name, len(s.Covariates), series[0].Name, w.in-1)
		}
		if err := dataset.CheckLength(s, need, fmt.Sprintf("window %d + horizon %d", cfg.Input, cfg.Horizon)); err != nil {
			return nil, fmt.Errorf("windowing: %w", err)
		}
		w.offsets[i+1] = w.offsets[i] + (s.Len()-need)/cfg.Stride + 1
	}
	return w, nil
}

// Len returns the number of windows.
func (w *Windows) Len() int { return w.offsets[len(w.offsets)-1] }

// Config returns the geometry, with defaults filled in.
func (w *Windows) Config() Config { return w.cfg }

// Features returns In, the number of input features: 1 + covariates.
func (w *Windows) Features() int { return w.in }

// Window is one window: a view of Series at [Start, Start+W+H).
type Window struct {
	Series *dataset.Series
	// Start is the position of the first input step in Series.
	Start int
	W, H  int
}

// At returns window k, 0 <= k < Len(). It panics if k is out of range.
func (w *Windows) At(k int) Window {
	if k < 0 || k >= w.Len() {
		panic(fmt.Sprintf("windowing: window %d out of range [0, %d)", k, w.Len()))
	}
	i := sort.Search(len(w.series), func(i int) bool { return w.offsets[i+1] > k })
	return Window{Series: w.series[i], Start: (k - w.offsets[i]) * w.cfg.Stride, W: w.cfg.Input, H: w.cfg.Horizon}
}

// X returns the input target values, a view of length W.
func (v Window) X() []float64 { return v.Series.Values[v.Start : v.Start+v.W : v.Start+v.W] }

// Y returns the target values to forecast, a view of length H.
func (v Window) Y() []float64 {
	a := v.Start + v.W
	return v.Series.Values[a : a+v.H : a+v.H]
}

// Covariate returns covariate j over the input steps, a view of length W.
func (v Window) Covariate(j int) []float64 {
	return v.Series.Covariates[j][v.Start : v.Start+v.W : v.Start+v.W]
}

// TargetTimes returns the timestamps of the H target steps (nil for an
// integer-indexed series). It allocates.
func (v Window) TargetTimes() []time.Time {
	if v.Series.Time == nil {
		return nil
	}
	a := v.Start + v.W
	return append([]time.Time(nil), v.Series.Time[a:a+v.H]...)
}

// Batch is a reusable mini-batch buffer in the layout models/ consumes.
type Batch struct {
	// X holds the inputs, time-major: X[(t*B+b)*In+i], len T*B*In. Feature
	// 0 is the target, features 1.. the covariates.
	X []float64
	// Y holds the targets: Y[b*H+h], len B*H.
	Y []float64
	// Index holds the window ids of the B rows.
	Index []int
	// T is the input length W, B the rows in this batch (at most the
	// capacity given to NewBatch; the last batch of an epoch may be
	// smaller), In the features, H the horizon.
	T, B, In, H int
}

// NewBatch allocates a batch for up to size windows.
func (w *Windows) NewBatch(size int) *Batch {
	if size < 1 {
		panic(fmt.Sprintf("windowing: batch size %d", size))
	}
	T, In, H := w.cfg.Input, w.in, w.cfg.Horizon
	return &Batch{
		X: make([]float64, T*size*In), Y: make([]float64, size*H), Index: make([]int, 0, size),
		T: T, B: size, In: In, H: H,
	}
}

// Fill copies windows ids into dst (B = len(ids)) without allocating. It
// panics if dst was made for fewer rows, another geometry, or an id is out
// of range.
func (w *Windows) Fill(dst *Batch, ids []int) {
	T, In, H, B := w.cfg.Input, w.in, w.cfg.Horizon, len(ids)
	if dst.T != T || dst.In != In || dst.H != H || cap(dst.X) < T*B*In || cap(dst.Y) < B*H || cap(dst.Index) < B {
		panic(fmt.Sprintf("windowing: batch (T=%d In=%d H=%d cap %d rows) does not fit %d windows of T=%d In=%d H=%d",
			dst.T, dst.In, dst.H, cap(dst.Index), B, T, In, H))
	}
	dst.B = B
	dst.X = dst.X[:T*B*In]
	dst.Y = dst.Y[:B*H]
	dst.Index = append(dst.Index[:0], ids...)
	for b, k := range ids {
		v := w.At(k)
		s := v.Series
		for t := 0; t < T; t++ {
			p := v.Start + t
			row := dst.X[(t*B+b)*In : (t*B+b+1)*In]
			row[0] = s.Values[p]
			for j, c := range s.Covariates {
				row[j+1] = c[p]
			}
		}
		copy(dst.Y[b*H:(b+1)*H], s.Values[v.Start+T:v.Start+T+H])
	}
}

// Iter serves the windows in mini-batches, one epoch at a time.
type Iter struct {
	w     *Windows
	size  int
	rng   *rand.Rand
	order []int
	pos   int
}

// Batches returns an iterator over all windows in batches of size (the last
// batch of an epoch may be smaller). With rng non-nil, every epoch is
// shuffled with it (so the same seed gives the same batches); with nil,
// windows come in order. The first epoch starts at once; call Reset for the
// next.
func (w *Windows) Batches(size int, rng *rand.Rand) *Iter {
	if size < 1 {
		panic(fmt.Sprintf("windowing: batch size %d", size))
	}
	it := &Iter{w: w, size: size, rng: rng, order: make([]int, w.Len())}
	for i := range it.order {
		it.order[i] = i
	}
	it.Reset()
	return it
}

// Reset starts a new epoch, reshuffling if the iterator has a source.
func (it *Iter) Reset() {
	it.pos = 0
	if it.rng != nil {
		it.rng.Shuffle(len(it.order), func(i, j int) { it.order[i], it.order[j] = it.order[j], it.order[i] })
	}
}

// Next fills dst with the next batch and reports whether there was one. It
// does not allocate.
func (it *Iter) Next(dst *Batch) bool {
	if it.pos >= len(it.order) {
		return false
	}
	end := min(it.pos+it.size, len(it.order))
	it.w.Fill(dst, it.order[it.pos:end])
	it.pos = end
	return true
}
