package neural

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/workpool"
)

// Fit trains the network (every ensemble member) on s.
func (n *Neural) Fit(ctx context.Context, s *dataset.Series) error {
	if n.req.Global {
		return n.FitGlobal(ctx, []*dataset.Series{s})
	}
	c := n.req
	c.Progress = n.cfg.Progress
	n.fitted = false
	n.parts, n.weights, n.valPred = nil, nil, nil
	if s.Len() == 0 {
		return fmt.Errorf("%s: %w: empty series", c.Model, forecast.ErrTooShort)
	}
	for i, v := range s.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: %w: value %d is %g", c.Model, forecast.ErrBadData, i, v)
		}
	}
	if c.NoCovariates && len(s.Covariates) > 0 {
		t := *s
		t.Covariates, t.CovariateNames = nil, nil
		s = &t
	}
	n.in = 1 + len(s.Covariates)
	n.out = c.Horizon
	if c.Strategy == Recursive {
		n.out = 1
	}
	if c.Season == 0 {
		c.Season = max(1, s.Freq.Season())
	}
	if c.Window == 0 {
		c.Window = DeriveWindow(s.Len(), c.Season, c.Horizon)
	}
	W, H := c.Window, n.out
	if c.Normalize == NormSeason && c.Season > W {
		return fmt.Errorf("%s: normalisation %q needs the window (%d) to cover a season (%d)", c.Model, NormSeason, W, c.Season)
	}
	need := W + H + 1
	if c.Val > 0 {
		need = W + 2*H + 1 // at least one window each side
	}
	if s.Len() < need {
		return &forecast.ShortError{What: "train series", Have: s.Len(), Need: need,
			Why: fmt.Sprintf("window %d + horizon %d (and validation)", W, H)}
	}
	n.cfg = c

	nWin, nTrain, nVal := splitWindows(s.Len(), W, H, c.Val)
	if nTrain < 1 {
		return &forecast.ShortError{What: "train series", Have: s.Len(), Need: s.Len() + 1 - nTrain,
			Why: fmt.Sprintf("window %d + horizon %d + %d validation windows", W, H, nVal)}
	}
	if c.Normalize == NormAuto {
		rel := NormLast
		if c.Season > 1 && c.Season <= W && seasonalBeatsNaive(s.Values, W, H, c.Season, max(nVal, nWin/10, 1)) {
			rel = NormSeason
		}
		if nVal > 0 {
			return n.fitAuto(ctx, s, c, []string{rel, NormNone}, valTruth(s.Values, W, H, nWin, nVal))
		}
		c.Normalize = rel
		n.cfg = c
	}
	if err := n.resolveTransform(&c, s.Values[:nTrain-1+W+H]); err != nil {
		return err
	}
	n.cfg = c
	// The scaler sees only the span of the training windows.
	n.scaler = dataset.Scaler{Method: c.Scale}
	t := n.transformed(s)
	if err := n.scaler.Fit(t.Slice(0, nTrain-1+W+H)); err != nil {
		return fmt.Errorf("%s: %w", c.Model, err)
	}
	wins, err := n.windows(t)
	if err != nil {
		return err
	}
	trainIDs := make([]int, nTrain)
	for i := range trainIDs {
		trainIDs[i] = i
	}
	valIDs := make([]int, nVal)
	for i := range valIDs {
		valIDs[i] = nWin - nVal + i
	}

	fitErr := n.trainMembers(ctx, wins, trainIDs, valIDs)
	if len(n.nets) == 0 {
		return fitErr
	}
	if c.Normalize == NormNone {
		n.history.Transform = c.Transform
	}
	n.tail = lastRows(s, W)
	n.at = forecast.AnchorOf(s)
	n.widths = nil
	n.valMAE = math.NaN()
	if nVal > 0 {
		n.calibrate(wins, valIDs, s.Values)
	}
	n.history.ValMAE = n.valMAE
	n.fitted = true
	return fitErr
}

// fitAuto fits one model per normalisation in norms, concurrently, and
// keeps the one with the lowest validation MAE (on the original scale) or
// combines them, as c.Combine says; truth holds the validation targets.
// Only the first candidate reports Progress.
func (n *Neural) fitAuto(ctx context.Context, s *dataset.Series, c NeuralConfig, norms []string, truth []float64) error {
	start := time.Now()
	req := n.req
	kids := make([]*Neural, len(norms))
	errs := make([]error, len(norms))
	for i, norm := range norms {
		k := c
		k.Normalize = norm
		if i > 0 {
			k.Progress = nil
		}
		kids[i] = &Neural{cfg: k, req: k}
	}
	// All at once, as they are few.
	workpool.For(context.Background(), len(kids), len(kids), func(i int) { errs[i] = kids[i].Fit(ctx, s) })
	best := -1
	scores := map[string]float64{}
	var fitted []*Neural
	var fitErr error
	for i, kid := range kids {
		if errs[i] != nil && fitErr == nil {
			fitErr = errs[i]
		}
		if !kid.fitted {
			if errs[i] != nil {
				return errs[i]
			}
			continue
		}
		fitted = append(fitted, kid)
		scores[norms[i]] = kid.valMAE
		if best < 0 || kid.valMAE < kids[best].valMAE {
			best = i
		}
	}
	if best < 0 {
		return fmt.Errorf("%s: no candidate normalisation could be fitted", c.Model)
	}
	kept := autoResult(c, fitted, truth)
	if kept == kids[best] {
		fitErr = errs[best]
	}
	*n = *kept
	n.req = req
	n.cfg.Progress = c.Progress
	n.history.Candidates = scores
	for _, kid := range fitted {
		if kid.cfg.Normalize == NormNone {
			n.history.Transform = kid.cfg.Transform
		}
	}
	n.history.Elapsed = time.Since(start)
	return fitErr
}

// autoResult returns the model NormAuto keeps of its fitted candidates
// parts (in order; truth holds their validation targets): the one with the
// lowest validation MAE (the first of equals) or their combination, as
// c.Combine says.
func autoResult(c NeuralConfig, parts []*Neural, truth []float64) *Neural {
	best := parts[0]
	for _, p := range parts[1:] {
		if p.valMAE < best.valMAE {
			best = p
		}
	}
	if c.Combine == CombineBest || len(parts) < 2 {
		return best
	}
	m := &Neural{cfg: c}
	m.combineParts(parts, truth)
	if c.Combine == CombineBestOf && best.valMAE <= m.valMAE {
		return best
	}
	return m
}

// combineParts makes n the combination of the fitted models parts (which
// share the scaler, fitted span and validation windows) with the weights
// n.cfg.Combine says, and calibrates it on the combined validation
// forecasts against truth. n.cfg must be set; History comes from the first
// part, with the weights.
func (n *Neural) combineParts(parts []*Neural, truth []float64) {
	first := parts[0]
	n.parts = parts
	n.weights = make([]float64, len(parts))
	var sum float64
	for i, p := range parts {
		w := 1.0
		switch e := max(p.valMAE, 1e-300); n.cfg.Combine {
		case CombineInverse:
			w = 1 / e
		case CombineInverse2, CombineBestOf:
			w = 1 / (e * e)
		}
		n.weights[i] = w
		sum += w
	}
	n.history = first.history
	n.history.Weights = map[string]float64{}
	for i := range n.weights {
		n.weights[i] /= sum
		n.history.Weights[parts[i].cfg.Normalize] = n.weights[i]
	}
	n.nets = nil
	n.scaler, n.in, n.out = first.scaler, first.in, first.out
	n.tail, n.at = first.tail, first.at
	H := n.out
	res := make([][]float64, H)
	n.valPred = make([]float64, len(truth))
	for j := range truth {
		var v float64
		for i, p := range parts {
			v += n.weights[i] * p.valPred[j]
		}
		n.valPred[j] = v
		res[j%H] = append(res[j%H], math.Abs(v-truth[j]))
	}
	n.setWidths(res)
	n.history.ValMAE = n.valMAE
	n.fitted = true
}
