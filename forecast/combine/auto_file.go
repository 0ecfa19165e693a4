package combine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/forecast"
)

// autoFile is the configuration an Auto model file stores.
type autoFile struct {
	Candidates []string          `json:"candidates"`
	Weights    string            `json:"weights"`
	Horizon    int               `json:"horizon"`
	Season     int               `json:"season,omitempty"`
	Seed       uint64            `json:"seed,omitempty"`
	Params     map[string]string `json:"params,omitempty"`
	Members    []autoFileMember  `json:"members"`
}

type autoFileMember struct {
	Name    string            `json:"name"`
	Model   string            `json:"model,omitempty"`
	MAE     *float64          `json:"mae,omitempty"`
	Weight  float64           `json:"weight"`
	Skipped string            `json:"skipped,omitempty"`
	Kind    string            `json:"kind,omitempty"`
	Config  json.RawMessage   `json:"config,omitempty"`
	Scaler  json.RawMessage   `json:"scaler,omitempty"`
	Summary *forecast.Summary `json:"summary,omitempty"`
}

// MarshalModel stores the combination and every weighted member, each
// member's tensors under the prefix "m<i>.".
func (a *Auto) MarshalModel() (*forecast.Model, error) {
	if a.models == nil {
		return nil, forecast.ErrNotFitted
	}
	cf := autoFile{Candidates: a.cfg.Candidates, Weights: a.cfg.Weights, Horizon: a.cfg.Horizon, Season: a.cfg.Season, Seed: a.cfg.Seed, Params: a.cfg.Params}
	out := &forecast.Model{Kind: "auto"}
	k := 0
	for _, mb := range a.members {
		fm := autoFileMember{Name: mb.Name, Model: mb.Model, Weight: mb.Weight, Skipped: mb.Skipped}
		if !math.IsNaN(mb.MAE) {
			fm.MAE = &mb.MAE
		}
		if mb.Weight > 0 {
			p, ok := a.models[k].(forecast.Persistent)
			if !ok {
				return nil, fmt.Errorf("auto: member %s cannot be saved: %w", mb.Name, forecast.ErrKind)
			}
			mm, err := p.MarshalModel()
			if err != nil {
				return nil, fmt.Errorf("auto: member %s: %w", mb.Name, err)
			}
			sum := mm.Summary
			sum.Metrics = finiteMetrics(sum.Metrics)
			fm.Kind, fm.Config, fm.Scaler, fm.Summary = mm.Kind, mm.Config, mm.Scaler, &sum
			prefix := "m" + strconv.Itoa(k) + "."
			for _, t := range mm.Tensors {
				t.Name = prefix + t.Name
				out.Tensors = append(out.Tensors, t)
			}
			if k == 0 {
				out.Summary = mm.Summary
			}
			k++
		}
		cf.Members = append(cf.Members, fm)
	}
	cfg, err := json.Marshal(cf)
	if err != nil {
		return nil, err
	}
	out.Config = cfg
	return out, nil
}

// finiteMetrics drops the non-finite entries, which JSON cannot hold (the
// model file leaves them out of its own summary the same way).
func finiteMetrics(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[k] = v
		}
	}
	return out
}

// UnmarshalModel restores an Auto saved by MarshalModel, rebuilding each
// member from its registered kind.
func (a *Auto) UnmarshalModel(m *forecast.Model) error {
	if err := m.CheckKind("auto"); err != nil {
		return err
	}
	var cf autoFile
	if err := json.Unmarshal(m.Config, &cf); err != nil {
		return fmt.Errorf("%w: auto config: %v", forecast.ErrCorrupt, err)
	}
	b := Auto{cfg: AutoConfig{Candidates: cf.Candidates, Weights: cf.Weights, Horizon: cf.Horizon, Season: cf.Season, Seed: cf.Seed, Params: cf.Params}}
	k := 0
	for _, fm := range cf.Members {
		mb := AutoMember{Name: fm.Name, Model: fm.Model, MAE: math.NaN(), Weight: fm.Weight, Skipped: fm.Skipped}
		if fm.MAE != nil {
			mb.MAE = *fm.MAE
		}
		b.members = append(b.members, mb)
		if fm.Weight <= 0 {
			continue
		}
		c, err := forecast.Lookup(fm.Kind)
		if err != nil {
			return fmt.Errorf("%w: auto member of unknown kind %q: %w", forecast.ErrKind, fm.Kind, err)
		}
		f, err := c(forecast.Options{})
		if err != nil {
			return fmt.Errorf("auto member %s: %w", fm.Name, err)
		}
		p, ok := f.(forecast.Persistent)
		if !ok || fm.Summary == nil {
			return fmt.Errorf("%w: auto member %s of kind %q cannot be loaded", forecast.ErrCorrupt, fm.Name, fm.Kind)
		}
		sub := &forecast.Model{Kind: fm.Kind, Config: fm.Config, Scaler: fm.Scaler, Summary: *fm.Summary}
		prefix := "m" + strconv.Itoa(k) + "."
		for _, t := range m.Tensors {
			if name, ok := strings.CutPrefix(t.Name, prefix); ok {
				t.Name = name
				sub.Tensors = append(sub.Tensors, t)
			}
		}
		if err := p.UnmarshalModel(sub); err != nil {
			return fmt.Errorf("auto member %s: %w", fm.Name, err)
		}
		b.models = append(b.models, p)
		b.weights = append(b.weights, fm.Weight)
		k++
	}
	if len(b.models) == 0 {
		return fmt.Errorf("%w: auto model with no members", forecast.ErrCorrupt)
	}
	*a = b
	return nil
}
