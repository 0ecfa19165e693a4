package neural

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tsf-go/tsf/forecast"
)

// esFile is the configuration an ESRNN model file stores. The tensors are
// "snap<k>.<parameter>" (snapshot k's network weights, PyTorch-style
// names), "snap<k>.es" (its smoothing parameters, training series × P)
// and "hash" (each training series' value hash as two 32-bit halves).
type esFile struct {
	Config    ESConfig        `json:"config"`
	Snapshots int             `json:"snapshots"`
	Labels    []string        `json:"labels"`
	Lengths   []int           `json:"lengths"`
	Skipped   []esFileSkipped `json:"skipped,omitempty"`
}

type esFileSkipped struct {
	Series string `json:"series"`
	Why    string `json:"why"`
}

func snapPrefix(k int) string { return "snap" + strconv.Itoa(k) + "." }

// MarshalModel stores the kept networks, every training series'
// smoothing parameters and what recognises the training series.
func (e *ESRNN) MarshalModel() (*forecast.Model, error) {
	if len(e.snaps) == 0 {
		return nil, fmt.Errorf("%s: %w", e.name, forecast.ErrNotFitted)
	}
	cf := esFile{Config: e.cfg, Snapshots: len(e.snaps), Labels: e.labels, Lengths: e.lengths}
	for _, s := range e.skipped {
		cf.Skipped = append(cf.Skipped, esFileSkipped{Series: s.Series, Why: s.Err.Error()})
	}
	sum := e.at.Summary()
	sum.Epochs = e.cfg.Epochs
	if e.metrics != nil {
		// A loaded model keeps the file's training figures.
		sum.Metrics = e.metrics
	} else if len(e.hist) > 0 {
		sum.Metrics = map[string]float64{"train_loss": e.hist[len(e.hist)-1]}
	}
	out := &forecast.Model{Kind: e.name, Summary: sum}
	params := e.net.Params()
	N, P := len(e.labels), esParams(e.cfg.Season)
	for k, s := range e.snaps {
		for i, p := range params {
			out.Tensors = append(out.Tensors, forecast.Tensor{Name: snapPrefix(k) + p.Name, Shape: append([]int(nil), p.Shape...), Data: append([]float64(nil), s.w[i]...)})
		}
		out.Tensors = append(out.Tensors, forecast.Tensor{Name: snapPrefix(k) + "es", Shape: []int{N, P}, Data: append([]float64(nil), s.raw...)})
	}
	hash := make([]float64, 2*N)
	for i, h := range e.hashes {
		hash[2*i], hash[2*i+1] = float64(h>>32), float64(h&0xffffffff)
	}
	out.Tensors = append(out.Tensors, forecast.Tensor{Name: "hash", Shape: []int{N, 2}, Data: hash})
	var err error
	if out.Config, err = json.Marshal(cf); err != nil {
		return nil, err
	}
	return out, nil
}

// UnmarshalModel restores an ESRNN saved by MarshalModel.
func (e *ESRNN) UnmarshalModel(m *forecast.Model) error {
	if err := m.CheckKind(e.name); err != nil {
		return err
	}
	var cf esFile
	if err := json.Unmarshal(m.Config, &cf); err != nil {
		return fmt.Errorf("%w: %s config: %v", forecast.ErrCorrupt, e.name, err)
	}
	c := cf.Config
	if c.Drift == 0 {
		c.Drift = -1 // written before the drift input existed
	}
	ne, err := NewESRNN(c)
	if err != nil {
		return fmt.Errorf("%w: %v", forecast.ErrCorrupt, err)
	}
	N := len(cf.Labels)
	if c.Season < 1 || c.Horizon < 1 || c.Window < 1 || c.Chunk < 1 || cf.Snapshots != c.Ensemble*c.Last || c.Last < 1 || len(cf.Lengths) != N || N == 0 || ne.name != e.name {
		return fmt.Errorf("%w: %s: season %d, horizon %d, window %d, chunk %d, %d snapshots of %d seeds × %d epochs, %d labels and %d lengths",
			forecast.ErrCorrupt, e.name, c.Season, c.Horizon, c.Window, c.Chunk, cf.Snapshots, c.Ensemble, c.Last, N, len(cf.Lengths))
	}
	net, err := c.build(c.Seed)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", forecast.ErrCorrupt, e.name, err)
	}
	ne.cfg, ne.net = c, net
	P := esParams(c.Season)
	for k := range cf.Snapshots {
		var s esSnapshot
		for _, p := range net.Params() {
			t, err := m.Tensor(snapPrefix(k) + p.Name)
			if err != nil {
				return err
			}
			if len(t.Data) != len(p.W) {
				return fmt.Errorf("%w: %s: tensor %s has %d values, want %d", forecast.ErrCorrupt, e.name, t.Name, len(t.Data), len(p.W))
			}
			s.w = append(s.w, t.Data)
		}
		t, err := m.Tensor(snapPrefix(k) + "es")
		if err != nil {
			return err
		}
		if len(t.Data) != N*P {
			return fmt.Errorf("%w: %s: tensor %s has %d values, want %d", forecast.ErrCorrupt, e.name, t.Name, len(t.Data), N*P)
		}
		s.raw = t.Data
		ne.snaps = append(ne.snaps, s)
	}
	t, err := m.Tensor("hash")
	if err != nil {
		return err
	}
	if len(t.Data) != 2*N {
		return fmt.Errorf("%w: %s: tensor hash has %d values, want %d", forecast.ErrCorrupt, e.name, len(t.Data), 2*N)
	}
	for i := range N {
		ne.hashes = append(ne.hashes, uint64(t.Data[2*i])<<32|uint64(t.Data[2*i+1]))
	}
	ne.labels, ne.lengths = cf.Labels, cf.Lengths
	for _, s := range cf.Skipped {
		ne.skipped = append(ne.skipped, forecast.SkippedSeries{Series: s.Series, Err: fmt.Errorf("%s", s.Why)})
	}
	ne.index()
	ne.metrics = m.Summary.Metrics
	if ne.at, err = forecast.AnchorFrom(m.Summary); err != nil {
		return err
	}
	*e = *ne
	return nil
}
