package forecast

import (
	"encoding/json"
	"fmt"
	"slices"
)

type conformalFile struct {
	Horizon  int             `json:"horizon"`
	Levels   []float64       `json:"levels"`
	Windows  int             `json:"windows"`
	Step     int             `json:"step"`
	MaxTrain int             `json:"max_train"`
	Kind     string          `json:"kind"`   // the wrapped model's kind
	Config   json.RawMessage `json:"config"` // the wrapped model's config
}

// MarshalModel returns a model file of kind "conformal" holding the
// wrapped model (which must be Persistent): its config inside Config, its
// tensors, scaler and summary as they are, and the calibrated half-widths
// as the tensor "conformal.width" (levels × horizon).
func (c *Conformal) MarshalModel() (*Model, error) {
	if c.model == nil {
		return nil, fmt.Errorf("conformal: %w", ErrNotFitted)
	}
	p, ok := c.model.(Persistent)
	if !ok {
		return nil, fmt.Errorf("conformal: wrapped model %s cannot be saved", c.model.Name())
	}
	inner, err := p.MarshalModel()
	if err != nil {
		return nil, err
	}
	cfg, err := json.Marshal(conformalFile{Horizon: c.cfg.Horizon, Levels: c.levels, Windows: c.cfg.Windows,
		Step: c.cfg.Step, MaxTrain: c.cfg.MaxTrain, Kind: inner.Kind, Config: inner.Config})
	if err != nil {
		return nil, err
	}
	w := make([]float64, 0, len(c.levels)*c.cfg.Horizon)
	for _, row := range c.width {
		w = append(w, row...)
	}
	tensors := append(slices.Clone(inner.Tensors), Tensor{Name: "conformal.width", Shape: []int{len(c.levels), c.cfg.Horizon}, Data: w})
	return &Model{Kind: "conformal", Config: cfg, Scaler: inner.Scaler, Tensors: tensors, Summary: inner.Summary}, nil
}

// UnmarshalModel restores a Conformal and its wrapped model (built with
// New from the wrapped kind) from a model file. A loaded Conformal can
// predict; refitting it rebuilds the wrapped model with default Options.
func (c *Conformal) UnmarshalModel(m *Model) error {
	if err := m.CheckKind("conformal"); err != nil {
		return err
	}
	var f conformalFile
	if err := json.Unmarshal(m.Config, &f); err != nil {
		return fmt.Errorf("%w: conformal config: %v", ErrCorrupt, err)
	}
	w, err := m.Tensor("conformal.width")
	if err != nil {
		return err
	}
	if f.Horizon < 1 || len(f.Levels) == 0 || len(w.Data) != len(f.Levels)*f.Horizon {
		return fmt.Errorf("%w: conformal widths do not fit %d levels and horizon %d", ErrCorrupt, len(f.Levels), f.Horizon)
	}
	inner, err := New(f.Kind, Options{})
	if err != nil {
		return fmt.Errorf("%w: conformal wraps %q: %v", ErrKind, f.Kind, err)
	}
	p, ok := inner.(Persistent)
	if !ok {
		return fmt.Errorf("%w: conformal wraps %q, which cannot be loaded", ErrKind, f.Kind)
	}
	tensors := slices.DeleteFunc(slices.Clone(m.Tensors), func(t Tensor) bool { return t.Name == "conformal.width" })
	if err := p.UnmarshalModel(&Model{Kind: f.Kind, Config: f.Config, Scaler: m.Scaler, Tensors: tensors, Summary: m.Summary}); err != nil {
		return err
	}
	c.cfg = ConformalConfig{Horizon: f.Horizon, Levels: f.Levels, Windows: f.Windows, Step: f.Step, MaxTrain: f.MaxTrain}
	c.levels = f.Levels
	c.newModel = func() Forecaster { g, _ := New(f.Kind, Options{}); return g }
	c.model = p
	c.resid = nil
	c.width = make([][]float64, len(f.Levels))
	for i := range c.width {
		c.width[i] = w.Data[i*f.Horizon : (i+1)*f.Horizon]
	}
	return nil
}
