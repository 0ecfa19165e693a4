package windowing

import (
	"errors"
	"fmt"
	"sort"

	"github.com/tsf-go/tsf/dataset"
)

// StreamConfig configures Streams for stateful truncated BPTT.
type StreamConfig struct {
	// Batch is B, the number of parallel streams; required.
	Batch int
	// Chunk is k1, the steps served per chunk (the model runs k1 steps,
	// then updates, carrying its hidden state into the next chunk); required.
	Chunk int
	// Horizon is H, the number of future values targeted at each step;
	// default 1 (next-step prediction).
	Horizon int
}

// Streams cuts series into B parallel contiguous streams and serves them in
// chunks of k1 steps, so a model can carry hidden state from chunk c to
// chunk c+1 of the same row (TBPTT with k2 <= k1 as the model chooses).
//
// Construction: series i contributes n_i = (N_i - H) / k1 whole chunks
// (the rest of each series is dropped); the chunks of all series, in
// order, are dealt out as B contiguous runs of q = (Σ n_i) / B chunks, one
// per row (the last Σ n_i - qB chunks are dropped). Row b in chunk c thus
// continues row b in chunk c-1 unless a new series starts there, which
// Chunk.Reset marks. Nothing is copied: Streams holds the series and the
// chunk counts.
type Streams struct {
	series  []*dataset.Series
	cfg     StreamConfig
	in      int
	q       int
	offsets []int // offsets[i] = chunks in series[:i]
}

// Chunk is a reusable buffer for one chunk of all B streams.
type Chunk struct {
	// X holds the inputs, time-major: X[(t*B+b)*In+i], len T*B*In; feature 0
	// is the target, 1.. the covariates.
	X []float64
	// Y holds the targets of every step: Y[(t*B+b)*H+h] is the value h+1
	// steps after input step t.
	Y []float64
	// Reset[b] is true when row b starts a new stream in this chunk: the
	// caller must zero row b's hidden state before running it. All rows are
	// reset in chunk 0.
	Reset []bool
	// Index is the chunk number within the epoch, 0 <= Index < Len().
	Index int
	// T is k1, B the streams, In the features, H the horizon.
	T, B, In, H int
}

// NewStreams builds the streams. It returns an error if the configuration is
// bad or the series together have fewer than B chunks (wrapping
// dataset.ErrTooShort, saying how many observations are needed).
func NewStreams(series []*dataset.Series, cfg StreamConfig) (*Streams, error) {
	if cfg.Horizon == 0 {
		cfg.Horizon = 1
	}
	if cfg.Batch < 1 || cfg.Chunk < 1 || cfg.Horizon < 1 {
		return nil, fmt.Errorf("windowing: streams %d, chunk %d and horizon %d must be positive", cfg.Batch, cfg.Chunk, cfg.Horizon)
	}
	if len(series) == 0 {
		return nil, errors.New("windowing: no series")
	}
	s := &Streams{series: series, cfg: cfg, in: 1 + len(series[0].Covariates), offsets: make([]int, len(series)+1)}
	for i, x := range series {
		if 1+len(x.Covariates) != s.in {
			return nil, fmt.Errorf("windowing: series %q has %d covariates, series %q has %d", x.Name, len(x.Covariates), series[0].Name, s.in-1)
		}
		n := max(0, (x.Len()-cfg.Horizon)/cfg.Chunk)
		s.offsets[i+1] = s.offsets[i] + n
	}
	s.q = s.offsets[len(series)] / cfg.Batch
	if s.q < 1 {
		need := cfg.Batch*cfg.Chunk + cfg.Horizon
		return nil, fmt.Errorf("windowing: %d streams need %d chunks, the series give %d (a series of N observations gives (N - horizon %d) / chunk %d; one series alone needs at least %d): %w",
			cfg.Batch, cfg.Batch, s.offsets[len(series)], cfg.Horizon, cfg.Chunk, need, dataset.ErrTooShort)
	}
	return s, nil
}

// Len returns the number of chunks per epoch, q.
func (s *Streams) Len() int { return s.q }

// Features returns In, 1 + covariates.
func (s *Streams) Features() int { return s.in }

// NewChunk allocates a chunk buffer.
func (s *Streams) NewChunk() *Chunk {
	T, B, In, H := s.cfg.Chunk, s.cfg.Batch, s.in, s.cfg.Horizon
	return &Chunk{X: make([]float64, T*B*In), Y: make([]float64, T*B*H), Reset: make([]bool, B), T: T, B: B, In: In, H: H}
}

// Fill copies chunk c of every stream into dst without allocating. It
// panics if c is out of range or dst was not made by NewChunk of s.
func (s *Streams) Fill(dst *Chunk, c int) {
	if c < 0 || c >= s.q {
		panic(fmt.Sprintf("windowing: chunk %d out of range [0, %d)", c, s.q))
	}
	T, B, In, H := s.cfg.Chunk, s.cfg.Batch, s.in, s.cfg.Horizon
	if dst.T != T || dst.B != B || dst.In != In || dst.H != H || len(dst.X) != T*B*In || len(dst.Y) != T*B*H || len(dst.Reset) != B {
		panic("windowing: chunk buffer does not match the streams; use NewChunk")
	}
	dst.Index = c
	for b := 0; b < B; b++ {
		g := b*s.q + c
		i := sort.Search(len(s.series), func(i int) bool { return s.offsets[i+1] > g })
		j := g - s.offsets[i]
		dst.Reset[b] = c == 0 || j == 0
		x := s.series[i]
		start := j * T
		for t := 0; t < T; t++ {
			p := start + t
			row := dst.X[(t*B+b)*In : (t*B+b+1)*In]
			row[0] = x.Values[p]
			for k, cv := range x.Covariates {
				row[k+1] = cv[p]
			}
			copy(dst.Y[(t*B+b)*H:(t*B+b+1)*H], x.Values[p+1:p+1+H])
		}
	}
}
