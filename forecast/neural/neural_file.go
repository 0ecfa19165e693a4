package neural

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// neuralFile is the Config of a neural model file.
type neuralFile struct {
	NeuralConfig
	In      int `json:"in"`
	Out     int `json:"out"`
	Members int `json:"members"` // ensemble members stored; 0 in older files means 1
	// Floor is the floor of TransformLog (see Neural.floor).
	Floor float64 `json:"log_floor,omitempty"`
	// Parts describes a combined model's parts (their tensors carry the
	// prefix "p<i>."); none otherwise.
	Parts []neuralPart `json:"parts,omitempty"`
}

// neuralPart is one part of a combined model in a model file.
type neuralPart struct {
	Normalize string  `json:"normalize"`
	Weight    float64 `json:"weight"`
	Members   int     `json:"members"`
	// Transform and Floor are the part's target transform (absent in
	// older files: none); Scaler its own scaler (absent: the file's).
	Transform string          `json:"transform,omitempty"`
	Floor     float64         `json:"log_floor,omitempty"`
	Scaler    json.RawMessage `json:"scaler,omitempty"`
}

// partPrefix is the tensor name prefix of part i of a combined model.
func partPrefix(i int) string { return "p" + strconv.Itoa(i) + "." }

// memberPrefix is the tensor name prefix of ensemble member k: the first
// member's tensors carry the plain PyTorch-style names.
func memberPrefix(k int) string {
	if k == 0 {
		return ""
	}
	return "m" + strconv.Itoa(k) + "."
}

// MarshalModel returns the model file content of the fitted network: its
// config, scaler, every parameter under its PyTorch-style name, the input
// tail it forecasts from ("tail"), the conformal half-widths
// ("conformal.width", levels × steps) and the training summary.
func (n *Neural) MarshalModel() (*forecast.Model, error) {
	if !n.fitted {
		return nil, fmt.Errorf("%s: %w", n.cfg.Model, forecast.ErrNotFitted)
	}
	nf := neuralFile{NeuralConfig: n.cfg, In: n.in, Out: n.out, Members: len(n.nets), Floor: n.floor}
	for i, p := range n.parts {
		sc, err := json.Marshal(p.scaler)
		if err != nil {
			return nil, err
		}
		nf.Parts = append(nf.Parts, neuralPart{Normalize: p.cfg.Normalize, Weight: n.weights[i], Members: len(p.nets),
			Transform: p.cfg.Transform, Floor: p.floor, Scaler: sc})
	}
	cfg, err := json.Marshal(nf)
	if err != nil {
		return nil, err
	}
	sc, err := json.Marshal(n.scaler)
	if err != nil {
		return nil, err
	}
	m := &forecast.Model{Kind: n.cfg.Model, Config: cfg, Scaler: sc, Summary: n.at.Summary()}
	for k, net := range n.nets {
		for _, p := range net.Params() {
			m.Tensors = append(m.Tensors, forecast.Tensor{Name: memberPrefix(k) + p.Name, Shape: slices.Clone(p.Shape), Data: slices.Clone(p.W)})
		}
	}
	for i, part := range n.parts {
		for k, net := range part.nets {
			for _, p := range net.Params() {
				m.Tensors = append(m.Tensors, forecast.Tensor{Name: partPrefix(i) + memberPrefix(k) + p.Name, Shape: slices.Clone(p.Shape), Data: slices.Clone(p.W)})
			}
		}
	}
	if n.tail != nil { // a global model fitted on several series has none
		m.Tensors = append(m.Tensors, forecast.Tensor{Name: "tail", Shape: []int{len(n.tail) / n.in, n.in}, Data: slices.Clone(n.tail)})
	}
	if len(n.widths) > 0 {
		var w []float64
		for _, row := range n.widths {
			w = append(w, row...)
		}
		m.Tensors = append(m.Tensors, forecast.Tensor{Name: "conformal.width", Shape: []int{len(n.widths), n.out}, Data: w})
	}
	m.Summary.Epochs = len(n.history.Train)
	m.Summary.Metrics = map[string]float64{}
	if k := n.history.BestEpoch; k > 0 {
		m.Summary.Metrics["train_loss"] = n.history.Train[k-1]
		m.Summary.Metrics["val_loss"] = n.history.Val[k-1]
		m.Summary.Metrics["best_epoch"] = float64(k)
	}
	return m, nil
}

// UnmarshalModel restores a fitted network from a model file; its forecasts
// are bit-identical to the original's.
func (n *Neural) UnmarshalModel(m *forecast.Model) error {
	var f neuralFile
	if err := json.Unmarshal(m.Config, &f); err != nil {
		return fmt.Errorf("%w: neural config: %v", forecast.ErrCorrupt, err)
	}
	if err := m.CheckKind(f.Model); err != nil {
		return err
	}
	if n.cfg.Model != "" && n.cfg.Model != f.Model {
		return m.CheckKind(n.cfg.Model)
	}
	c, err := f.NeuralConfig.withDefaults()
	if err != nil {
		return fmt.Errorf("%w: %v", forecast.ErrCorrupt, err)
	}
	if c.Window < 1 || f.In < 1 || f.Out < 1 {
		return fmt.Errorf("%w: neural config has window %d, %d inputs, %d outputs", forecast.ErrCorrupt, c.Window, f.In, f.Out)
	}
	sc, err := loadScaler(m.Scaler, f.In)
	if err != nil {
		return err
	}
	at, err := forecast.AnchorFrom(m.Summary)
	if err != nil {
		return err
	}
	if c.Normalize == NormSeason && (c.Season < 1 || c.Season > c.Window) {
		return fmt.Errorf("%w: neural config has season %d outside window %d", forecast.ErrCorrupt, c.Season, c.Window)
	}
	k := &Neural{cfg: c, in: f.In, out: f.Out, scaler: sc, at: at}
	if c.Normalize != NormAuto {
		if err := k.setTransform(c.Transform, f.Floor); err != nil {
			return err
		}
	} else {
		if len(f.Parts) == 0 || len(f.Parts) > 16 {
			return fmt.Errorf("%w: neural config has normalisation auto with %d parts", forecast.ErrCorrupt, len(f.Parts))
		}
		for i, fp := range f.Parts {
			pc := c
			pc.Normalize = fp.Normalize
			switch fp.Normalize {
			case NormLast, NormMean, NormNone:
			case NormSeason:
				if c.Season < 1 || c.Season > c.Window {
					return fmt.Errorf("%w: neural config has season %d outside window %d", forecast.ErrCorrupt, c.Season, c.Window)
				}
			default:
				return fmt.Errorf("%w: part %d has normalisation %q", forecast.ErrCorrupt, i, fp.Normalize)
			}
			if math.IsNaN(fp.Weight) || math.IsInf(fp.Weight, 0) {
				return fmt.Errorf("%w: part %d has weight %g", forecast.ErrCorrupt, i, fp.Weight)
			}
			part := &Neural{cfg: pc, in: f.In, out: f.Out, scaler: sc, at: at}
			if fp.Scaler != nil {
				if part.scaler, err = loadScaler(fp.Scaler, f.In); err != nil {
					return fmt.Errorf("part %d: %w", i, err)
				}
			}
			if err := part.setTransform(fp.Transform, fp.Floor); err != nil {
				return fmt.Errorf("part %d: %w", i, err)
			}
			if err := part.loadNets(m, partPrefix(i), fp.Members); err != nil {
				return err
			}
			k.parts = append(k.parts, part)
			k.weights = append(k.weights, fp.Weight)
		}
	}
	if c.Normalize != NormAuto {
		if err := k.loadNets(m, "", f.Members); err != nil {
			return err
		}
	}
	tail, err := m.Tensor("tail")
	switch {
	case err != nil && !c.Global:
		return err
	case err == nil:
		if len(tail.Data) != c.Window*f.In {
			return fmt.Errorf("%w: tail has %d values; want %d", forecast.ErrCorrupt, len(tail.Data), c.Window*f.In)
		}
		k.tail = slices.Clone(tail.Data)
	}
	if w, err := m.Tensor("conformal.width"); err == nil {
		if len(w.Shape) != 2 || w.Shape[1] != f.Out || w.Shape[0] > len(c.Levels) {
			return fmt.Errorf("%w: conformal.width has shape %v", forecast.ErrCorrupt, w.Shape)
		}
		for l := 0; l < w.Shape[0]; l++ {
			k.widths = append(k.widths, slices.Clone(w.Data[l*f.Out:(l+1)*f.Out]))
		}
	}
	k.fitted = true
	k.cfg.Progress = n.cfg.Progress
	k.req = k.cfg
	*n = *k
	return nil
}

// loadScaler decodes a model file's scaler, which must have at least in
// columns.
func loadScaler(data []byte, in int) (dataset.Scaler, error) {
	var sc dataset.Scaler
	if err := json.Unmarshal(data, &sc); err != nil {
		return sc, fmt.Errorf("%w: scaler: %v", forecast.ErrCorrupt, err)
	}
	if len(sc.Center) < in || len(sc.Scale) < in {
		return sc, fmt.Errorf("%w: scaler has %d columns; the model needs %d", forecast.ErrCorrupt, len(sc.Center), in)
	}
	return sc, nil
}

// loadNets builds n's members networks (0 in older files means 1) and
// fills them from the tensors of m named prefix + memberPrefix(k) + the
// parameter's name.
func (n *Neural) loadNets(m *forecast.Model, prefix string, members int) error {
	members = max(1, members)
	if members > 1000 {
		return fmt.Errorf("%w: neural config has %d ensemble members", forecast.ErrCorrupt, members)
	}
	for i := range members {
		net, err := n.build(n.netIn(), n.cfg.Seed+uint64(i))
		if err != nil {
			return fmt.Errorf("%w: %v", forecast.ErrCorrupt, err)
		}
		for _, p := range net.Params() {
			name := prefix + memberPrefix(i) + p.Name
			t, err := m.Tensor(name)
			if err != nil {
				return err
			}
			if !slices.Equal(t.Shape, p.Shape) {
				return fmt.Errorf("%w: tensor %s has shape %v; want %v", forecast.ErrCorrupt, name, t.Shape, p.Shape)
			}
			copy(p.W, t.Data)
		}
		n.nets = append(n.nets, net)
	}
	return nil
}
