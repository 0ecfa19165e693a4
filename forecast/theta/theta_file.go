package theta

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/tsf-go/tsf/forecast"
)

type thetaFile struct {
	Config ThetaConfig `json:"config"`
	Period int         `json:"period"`
	Mul    bool        `json:"multiplicative"`
	// Unit is the power of two the series was divided by before fitting
	// (Theta.unit); absent (0) means 1, as in files of earlier versions.
	Unit float64 `json:"unit,omitempty"`
}

// MarshalModel returns the model file content of the fitted model: the
// period in use as Config, and the tensors "state" (alpha, final level,
// slope, residual variance, the slope's variance), "season" (the seasonal
// indices of positions 0..m-1; empty without season) and "widen" (the
// intervals' variance factor per step).
func (th *Theta) MarshalModel() (*forecast.Model, error) {
	if !th.fitted {
		return nil, fmt.Errorf("theta: %w", forecast.ErrNotFitted)
	}
	tf := thetaFile{Config: th.cfg, Period: th.m, Mul: th.mul}
	if th.unit != 1 {
		tf.Unit = th.unit
	}
	cfg, err := json.Marshal(tf)
	if err != nil {
		return nil, err
	}
	return &forecast.Model{
		Kind:   "theta",
		Config: cfg,
		Tensors: []forecast.Tensor{
			{Name: "state", Shape: []int{5}, Data: []float64{th.alpha, th.level, th.slope, th.sigma2, th.slopeV}},
			{Name: "season", Shape: []int{len(th.seas)}, Data: slices.Clone(th.seas)},
			{Name: "widen", Shape: []int{len(th.widen)}, Data: slices.Clone(th.widen)},
		},
		Summary: th.at.Summary(),
	}, nil
}

// UnmarshalModel restores a fitted Theta model from a model file.
func (th *Theta) UnmarshalModel(m *forecast.Model) error {
	if err := m.CheckKind("theta"); err != nil {
		return err
	}
	var f thetaFile
	if err := json.Unmarshal(m.Config, &f); err != nil {
		return fmt.Errorf("%w: theta config: %v", forecast.ErrCorrupt, err)
	}
	state, err := m.Tensor("state")
	if err != nil {
		return err
	}
	seas, err := m.Tensor("season")
	if err != nil {
		return err
	}
	at, err := forecast.AnchorFrom(m.Summary)
	if err != nil {
		return err
	}
	if f.Period < 1 || f.Config.Period < 0 || len(state.Data) != 5 || (len(seas.Data) != 0 && len(seas.Data) != f.Period) || at.N < 3 ||
		!(state.Data[0] > 0 && state.Data[0] < 1) || slices.ContainsFunc(f.Config.Levels, func(l float64) bool { return !(l > 0 && l < 1) }) {
		return fmt.Errorf("%w: theta model with period %d, %d state values and %d seasonal indices", forecast.ErrCorrupt, f.Period, len(state.Data), len(seas.Data))
	}
	*th = Theta{cfg: f.Config, levels: forecast.IntervalLevels("Theta", f.Config.Levels), fitted: true, at: at, m: f.Period, mul: f.Mul,
		alpha: state.Data[0], level: state.Data[1], slope: state.Data[2], sigma2: state.Data[3], slopeV: state.Data[4], unit: f.Unit}
	if !(f.Unit >= 0) || math.IsInf(f.Unit, 0) {
		return fmt.Errorf("%w: theta unit %g", forecast.ErrCorrupt, f.Unit)
	}
	if len(seas.Data) > 0 {
		th.seas = seas.Data
	}
	if w, err := m.Tensor("widen"); err == nil && len(w.Data) > 0 {
		th.widen = w.Data
	}
	return nil
}
