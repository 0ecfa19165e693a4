package ets

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/tsf-go/tsf/forecast"
)

type etsFile struct {
	Config ETSConfig `json:"config"`
	Trend  string    `json:"trend"`
	Season string    `json:"season"`
	Period int       `json:"period"`
	// AdjustMul says the long season (tensor "adjust") is multiplicative.
	AdjustMul bool `json:"adjust_mul,omitempty"`
}

// MarshalModel returns the model file content of the fitted model: the
// chosen variant as Config, and the tensors "params" (alpha, beta, gamma,
// phi), "init" (initial level, trend and seasons), "state" (final level,
// trend and seasonal ring), "head" (the first training values), "sigma2"
// (the one-step error variance of the intervals), "widen" (their widening
// factor per step), "uncertainty.chol" and "uncertainty.sens" (how the
// forecast depends on the estimated initial states) and, for a long
// season, "adjust" (its seasonal indices).
func (e *ETS) MarshalModel() (*forecast.Model, error) {
	if !e.fitted {
		return nil, fmt.Errorf("ets: %w", forecast.ErrNotFitted)
	}
	cfg, err := json.Marshal(etsFile{Config: e.cfg, Trend: e.trend, Season: e.season, Period: e.m, AdjustMul: e.adjMul})
	if err != nil {
		return nil, err
	}
	init := append([]float64{e.p.Level0, e.p.Trend0}, e.p.Season0...)
	state := append([]float64{e.level, e.slope}, e.seas...)
	sum := e.at.Summary()
	sum.Metrics = map[string]float64{"aic": e.aic, "sse": e.sse}
	mf := &forecast.Model{
		Kind:   "ets",
		Config: cfg,
		Tensors: []forecast.Tensor{
			{Name: "params", Shape: []int{4}, Data: []float64{e.p.Alpha, e.p.Beta, e.p.Gamma, e.p.Phi}},
			{Name: "init", Shape: []int{len(init)}, Data: init},
			{Name: "state", Shape: []int{len(state)}, Data: state},
			{Name: "head", Shape: []int{len(e.head)}, Data: slices.Clone(e.head)},
			{Name: "sigma2", Shape: []int{1}, Data: []float64{e.sigma2}},
			{Name: "widen", Shape: []int{len(e.widen)}, Data: slices.Clone(e.widen)},
		},
		Summary: sum,
	}
	if e.adj != nil {
		mf.Tensors = append(mf.Tensors, forecast.Tensor{Name: "adjust", Shape: []int{len(e.adj)}, Data: slices.Clone(e.adj)})
	}
	if u := e.unc; u != nil {
		mf.Tensors = append(mf.Tensors,
			forecast.Tensor{Name: "uncertainty.chol", Shape: []int{u.d, u.d}, Data: slices.Clone(u.chol)},
			forecast.Tensor{Name: "uncertainty.sens", Shape: []int{u.d, 2 + e.m}, Data: slices.Clone(u.sens)})
	}
	return mf, nil
}

// UnmarshalModel restores a fitted ETS model from a model file.
func (e *ETS) UnmarshalModel(m *forecast.Model) error {
	if err := m.CheckKind("ets"); err != nil {
		return err
	}
	var f etsFile
	if err := json.Unmarshal(m.Config, &f); err != nil {
		return fmt.Errorf("%w: ets config: %v", forecast.ErrCorrupt, err)
	}
	if _, err := choices("trend", f.Trend, []string{"none", "add", "damped"}); err != nil || f.Trend == "" {
		return fmt.Errorf("%w: ets trend %q", forecast.ErrCorrupt, f.Trend)
	}
	if _, err := choices("season", f.Season, []string{"none", "add", "mul"}); err != nil || f.Season == "" {
		return fmt.Errorf("%w: ets season %q", forecast.ErrCorrupt, f.Season)
	}
	params, err := m.Tensor("params")
	if err != nil {
		return err
	}
	init, err := m.Tensor("init")
	if err != nil {
		return err
	}
	state, err := m.Tensor("state")
	if err != nil {
		return err
	}
	at, err := forecast.AnchorFrom(m.Summary)
	if err != nil {
		return err
	}
	nseas := 0
	if f.Season != "none" {
		nseas = f.Period
	}
	if f.Period < 1 || len(params.Data) != 4 || len(init.Data) != 2+nseas || len(state.Data) != 2+f.Period {
		return fmt.Errorf("%w: ets tensors do not fit period %d", forecast.ErrCorrupt, f.Period)
	}
	*e = ETS{cfg: f.Config, fitted: true, at: at, trend: f.Trend, season: f.Season, m: f.Period, nobs: at.N}
	e.p = ETSParams{Alpha: params.Data[0], Beta: params.Data[1], Gamma: params.Data[2], Phi: params.Data[3],
		Level0: init.Data[0], Trend0: init.Data[1]}
	if nseas > 0 {
		e.p.Season0 = init.Data[2:]
	}
	e.level, e.slope, e.seas = state.Data[0], state.Data[1], state.Data[2:]
	e.aic, e.sse = m.Summary.Metrics["aic"], m.Summary.Metrics["sse"]
	if head, err := m.Tensor("head"); err == nil {
		e.head = head.Data
	}
	// Files written before ETS had its own intervals hold no variance:
	// it is the SSE over the degrees of freedom.
	e.sigma2 = e.sse / float64(max(at.N-etsNParams(f.Trend, f.Season, f.Period), 1))
	if s2, err := m.Tensor("sigma2"); err == nil && len(s2.Data) == 1 {
		e.sigma2 = s2.Data[0]
	}
	if w, err := m.Tensor("widen"); err == nil && len(w.Data) > 0 {
		e.widen = w.Data
	}
	if a, err := m.Tensor("adjust"); err == nil {
		if len(a.Data) <= etsLongSeason || e.season != "none" {
			return fmt.Errorf("%w: ets long season of %d indices on a model with season %q", forecast.ErrCorrupt, len(a.Data), e.season)
		}
		e.adj, e.adjMul = a.Data, f.AdjustMul
	}
	chol, errC := m.Tensor("uncertainty.chol")
	sens, errS := m.Tensor("uncertainty.sens")
	if errC == nil && errS == nil {
		d := len(sens.Data) / (2 + f.Period)
		if len(chol.Shape) != 2 || d*d != len(chol.Data) || d*(2+f.Period) != len(sens.Data) {
			return fmt.Errorf("%w: ets uncertainty tensors %v and %v do not fit period %d", forecast.ErrCorrupt, chol.Shape, sens.Shape, f.Period)
		}
		e.unc = &etsUncertainty{d: d, chol: chol.Data, sens: sens.Data}
	}
	if !(e.sigma2 >= 0) || slices.ContainsFunc(f.Config.Levels, func(l float64) bool { return !(l > 0 && l < 1) }) {
		return fmt.Errorf("%w: ets variance %g, levels %v", forecast.ErrCorrupt, e.sigma2, f.Config.Levels)
	}
	return nil
}
