package combine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/forecast"
)

// hybridFile is the configuration a Hybrid model file stores; the
// network's tensors are stored under the prefix "net.", the calibrated
// quantiles as tensors "cal.lo.<level>" and "cal.hi.<level>".
type hybridFile struct {
	Candidates []string            `json:"candidates"`
	Weights    string              `json:"weights"`
	Horizon    int                 `json:"horizon"`
	Season     int                 `json:"season"`
	Seed       uint64              `json:"seed,omitempty"`
	Params     map[string]string   `json:"params,omitempty"`
	Levels     []float64           `json:"levels"`
	Members    []hybridFileMember  `json:"members"`
	Calibrated []float64           `json:"calibrated_levels,omitempty"`
	Windows    int                 `json:"calibration_windows"`
	Scored     int                 `json:"scored_windows"`
	Net        *hybridFileNet      `json:"net,omitempty"`
	Skipped    []hybridFileSkipped `json:"skipped,omitempty"`
}

type hybridFileMember struct {
	Name    string   `json:"name"`
	Series  int      `json:"series"`
	SMAPE   *float64 `json:"smape,omitempty"`
	MASE    *float64 `json:"mase,omitempty"`
	Weight  float64  `json:"weight"`
	Skipped string   `json:"skipped,omitempty"`
}

type hybridFileNet struct {
	Kind    string           `json:"kind"`
	Config  json.RawMessage  `json:"config"`
	Scaler  json.RawMessage  `json:"scaler,omitempty"`
	Summary forecast.Summary `json:"summary"`
}

type hybridFileSkipped struct {
	Series string `json:"series"`
	Why    string `json:"why"`
}

// finitePtr returns &v, or nil for a NaN or infinite v (JSON holds neither).
func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// calName names the tensor of one side of a calibrated level.
func calName(side string, level float64) string {
	return "cal." + side + "." + strconv.FormatFloat(level, 'g', -1, 64)
}

// MarshalModel stores the weights, the calibrated quantiles and the
// network.
func (hy *Hybrid) MarshalModel() (*forecast.Model, error) {
	if !hy.fitted {
		return nil, fmt.Errorf("hybrid: %w", forecast.ErrNotFitted)
	}
	c := hy.cfg
	cf := hybridFile{Candidates: c.Candidates, Weights: c.Weights, Horizon: c.Horizon, Season: c.Season, Seed: c.Seed,
		Params: c.Params, Levels: c.Levels, Windows: hy.calN, Scored: hy.scored}
	var nm *forecast.Model
	if hy.net != nil {
		p, ok := hy.net.(forecast.Persistent)
		if !ok {
			return nil, fmt.Errorf("hybrid: network %s cannot be saved: %w", hy.net.Name(), forecast.ErrKind)
		}
		var err error
		if nm, err = p.MarshalModel(); err != nil {
			return nil, fmt.Errorf("hybrid: network: %w", err)
		}
		sum := nm.Summary
		sum.Metrics = finiteMetrics(sum.Metrics)
		if hy.netSummary != nil {
			// A loaded network does not keep its training history: the
			// file's summary stands.
			sum = *hy.netSummary
		}
		cf.Net = &hybridFileNet{Kind: nm.Kind, Config: nm.Config, Scaler: nm.Scaler, Summary: sum}
	}
	for _, mb := range hy.members {
		cf.Members = append(cf.Members, hybridFileMember{Name: mb.Name, Series: mb.Series, SMAPE: finitePtr(mb.SMAPE), MASE: finitePtr(mb.MASE), Weight: mb.Weight, Skipped: mb.Skipped})
	}
	for _, s := range hy.skipped {
		cf.Skipped = append(cf.Skipped, hybridFileSkipped{Series: s.Series, Why: s.Err.Error()})
	}
	out := &forecast.Model{Kind: "hybrid", Summary: hy.at.Summary()}
	if nm != nil {
		for _, t := range nm.Tensors {
			t.Name = "net." + t.Name
			out.Tensors = append(out.Tensors, t)
		}
	}
	for _, b := range hy.cal {
		cf.Calibrated = append(cf.Calibrated, b.level)
		out.Tensors = append(out.Tensors,
			forecast.Tensor{Name: calName("lo", b.level), Shape: []int{len(b.lo)}, Data: append([]float64(nil), b.lo...)},
			forecast.Tensor{Name: calName("hi", b.level), Shape: []int{len(b.hi)}, Data: append([]float64(nil), b.hi...)})
	}
	var err error
	if out.Config, err = json.Marshal(cf); err != nil {
		return nil, err
	}
	return out, nil
}

// UnmarshalModel restores a Hybrid saved by MarshalModel.
func (hy *Hybrid) UnmarshalModel(m *forecast.Model) error {
	if err := m.CheckKind("hybrid"); err != nil {
		return err
	}
	var cf hybridFile
	if err := json.Unmarshal(m.Config, &cf); err != nil {
		return fmt.Errorf("%w: hybrid config: %v", forecast.ErrCorrupt, err)
	}
	nh, err := NewHybrid(HybridConfig{Candidates: cf.Candidates, Weights: cf.Weights, Horizon: cf.Horizon, Season: cf.Season,
		Seed: cf.Seed, Params: cf.Params, Levels: cf.Levels})
	if err != nil {
		return fmt.Errorf("%w: %v", forecast.ErrCorrupt, err)
	}
	if len(cf.Members) != len(nh.cfg.Candidates) || cf.Horizon < 1 {
		return fmt.Errorf("%w: hybrid: %d members for %d candidates, horizon %d", forecast.ErrCorrupt, len(cf.Members), len(nh.cfg.Candidates), cf.Horizon)
	}
	for _, fm := range cf.Members {
		mb := HybridMember{Name: fm.Name, Series: fm.Series, SMAPE: math.NaN(), MASE: math.NaN(), Weight: fm.Weight, Skipped: fm.Skipped}
		if fm.SMAPE != nil {
			mb.SMAPE = *fm.SMAPE
		}
		if fm.MASE != nil {
			mb.MASE = *fm.MASE
		}
		nh.members = append(nh.members, mb)
		nh.weights = append(nh.weights, fm.Weight)
	}
	for _, s := range cf.Skipped {
		nh.skipped = append(nh.skipped, forecast.SkippedSeries{Series: s.Series, Err: fmt.Errorf("%s", s.Why)})
	}
	nh.calN, nh.scored = cf.Windows, cf.Scored
	for _, l := range cf.Calibrated {
		lo, err := m.Tensor(calName("lo", l))
		if err != nil {
			return err
		}
		hi, err := m.Tensor(calName("hi", l))
		if err != nil {
			return err
		}
		if len(lo.Data) != cf.Horizon || len(hi.Data) != cf.Horizon {
			return fmt.Errorf("%w: hybrid: calibration of level %g has %d and %d steps, want %d", forecast.ErrCorrupt, l, len(lo.Data), len(hi.Data), cf.Horizon)
		}
		nh.cal = append(nh.cal, hybridBand{level: l, lo: lo.Data, hi: hi.Data})
	}
	if cf.Net != nil {
		f, err := forecast.FromModel(&forecast.Model{Kind: cf.Net.Kind, Config: cf.Net.Config, Scaler: cf.Net.Scaler, Summary: cf.Net.Summary, Tensors: netTensors(m)})
		if err != nil {
			return fmt.Errorf("hybrid network: %w", err)
		}
		hp, ok := f.(forecast.HistoryPredictor)
		if !ok {
			return fmt.Errorf("%w: hybrid network of kind %q cannot forecast from history", forecast.ErrCorrupt, cf.Net.Kind)
		}
		nh.net = hp
		nh.netSummary = &cf.Net.Summary
	} else if nh.weights[0] != 0 {
		return fmt.Errorf("%w: hybrid: the network has weight %g and no parameters", forecast.ErrCorrupt, nh.weights[0])
	}
	nh.fitted = true
	if nh.at, err = forecast.AnchorFrom(m.Summary); err != nil {
		return err
	}
	*hy = *nh
	return nil
}

// netTensors returns the network's tensors of a hybrid model file, without
// their "net." prefix.
func netTensors(m *forecast.Model) []forecast.Tensor {
	var out []forecast.Tensor
	for _, t := range m.Tensors {
		if name, ok := strings.CutPrefix(t.Name, "net."); ok {
			t.Name = name
			out = append(out, t)
		}
	}
	return out
}

// HybridFromOptions turns Options into a HybridConfig: Params
// "candidates" (comma-separated model names) and "weights" are the
// hybrid's own, every other parameter goes to the neural member.
func HybridFromOptions(o forecast.Options) (HybridConfig, error) {
	cands, weights, params := combinationParams(o)
	return HybridConfig{Horizon: o.Horizon, Season: o.Season, Seed: o.Seed, Progress: o.Progress,
		Candidates: cands, Weights: weights, Params: params}, nil
}

func init() {
	forecast.Register("hybrid", func(o forecast.Options) (forecast.Forecaster, error) {
		c, err := HybridFromOptions(o)
		if err != nil {
			return nil, err
		}
		return NewHybrid(c)
	})
}
