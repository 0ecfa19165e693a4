package forecast

import (
	"encoding/json"
	"fmt"
)

// Model files of the baselines. Each baseline stores its settings as
// Config, the values its forecast needs as tensors, and its anchor (the end
// of the training series) in the Summary.

var (
	_ Persistent = (*Naive)(nil)
	_ Persistent = (*SeasonalNaive)(nil)
	_ Persistent = (*Drift)(nil)
	_ Persistent = (*Mean)(nil)
	_ Persistent = (*MovingAverage)(nil)
)

type baselineConfig struct {
	Given int `json:"given"` // season or window as given (0 = default)
	Param int `json:"param"` // season or window in use
}

// MarshalModel returns the model file content of the fitted baseline.
func (b *baseline) MarshalModel() (*Model, error) {
	if !b.fitted {
		return nil, fmt.Errorf("%s: %w", b.kind, ErrNotFitted)
	}
	cfg, err := json.Marshal(baselineConfig{Given: b.given, Param: b.param})
	if err != nil {
		return nil, err
	}
	return &Model{
		Kind:   b.kind,
		Config: cfg,
		Tensors: []Tensor{
			{Name: "tail", Shape: []int{len(b.tail)}, Data: append([]float64(nil), b.tail...)},
			{Name: "first", Shape: []int{1}, Data: []float64{b.first}},
		},
		Summary: b.at.Summary(),
	}, nil
}

// UnmarshalModel restores a baseline of the same kind from a model file.
func (b *baseline) UnmarshalModel(m *Model) error {
	if err := m.CheckKind(b.kind); err != nil {
		return err
	}
	var cfg baselineConfig
	if err := json.Unmarshal(m.Config, &cfg); err != nil {
		return fmt.Errorf("%w: %s config: %v", ErrCorrupt, b.kind, err)
	}
	tail, err := m.Tensor("tail")
	if err != nil {
		return err
	}
	first, err := m.Tensor("first")
	if err != nil {
		return err
	}
	at, err := AnchorFrom(m.Summary)
	if err != nil {
		return err
	}
	want := 1
	if b.kind == "snaive" || b.kind == "ma" {
		want = cfg.Param
	}
	if want < 1 || len(tail.Data) != want || len(first.Data) != 1 || at.N < 1 {
		return fmt.Errorf("%w: %s model with %d tail values and parameter %d", ErrCorrupt, b.kind, len(tail.Data), cfg.Param)
	}
	b.given, b.param = cfg.Given, cfg.Param
	b.tail, b.first, b.at = tail.Data, first.Data[0], at
	b.fitted = true
	return nil
}
