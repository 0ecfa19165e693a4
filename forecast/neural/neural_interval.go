package neural

import (
	"fmt"
	"math"
	"sort"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/windowing"
)

// calibrate sets the conformal half-widths from the ensemble's absolute
// validation residuals on the original scale, per step, with the
// finite-sample (n+1) correction; raw holds the target on the original
// scale. A global model's residuals and widths are on the normalised scale
// (raw is not used), so they scale with each series' windows.
func (n *Neural) calibrate(wins *windowing.Windows, ids []int, raw []float64) {
	W, H := n.cfg.Window, n.out
	b := wins.NewBatch(n.cfg.Batch)
	nb := n.newNormBuf(n.cfg.Batch, H)
	buf := make([]float64, n.cfg.Batch*H)
	res := make([][]float64, H)
	n.valPred = make([]float64, 0, len(ids)*H)
	for lo := 0; lo < len(ids); lo += n.cfg.Batch {
		part := ids[lo:min(lo+n.cfg.Batch, len(ids))]
		wins.Fill(b, part)
		x := n.prepare(b, nb)
		B := b.B
		out := n.forward(x, W, B, buf)
		for r := 0; r < B; r++ {
			if n.cfg.Global {
				// Residuals on the normalised scale: the widths then scale
				// with every series' own windows.
				for h := 0; h < H; h++ {
					res[h] = append(res[h], math.Abs(out[r*H+h]-b.Y[r*H+h]))
				}
				continue
			}
			for h := 0; h < H; h++ {
				pred := n.original(out[r*H+h]*nb.scale[r] + nb.off[r*H+h])
				res[h] = append(res[h], math.Abs(pred-raw[part[r]+W+h]))
				n.valPred = append(n.valPred, pred)
			}
		}
	}
	n.setWidths(res)
}

// setWidths sets the validation MAE and the conformal half-widths from the
// absolute validation residuals res (per step, original scale); it sorts
// res. A step's width at a level is the conformal quantile of its own
// residuals; where they are too few for the level (fewer than
// level/(1-level), e.g. 19 at 95 %), it is that step's mean absolute
// residual times the conformal quantile of the residuals of every step,
// each divided by its own step's mean (normalised scores pooled across the
// steps): finite, and as wide as the step's errors. Without enough even
// then, the width is infinite, and forecasts leave that level out (with a
// note, see noWidth).
func (n *Neural) setWidths(res [][]float64) {
	H := len(res)
	var sum float64
	var count int
	scale := make([]float64, H) // mean absolute residual per step
	for h, r := range res {
		var s float64
		for _, v := range r {
			s += v
		}
		sum += s
		count += len(r)
		if len(r) > 0 {
			scale[h] = s / float64(len(r))
		}
	}
	n.valMAE = sum / float64(count)
	// quantile returns the conformal level-quantile of the sorted r, or +Inf.
	quantile := func(r []float64, level float64) float64 {
		k := int(math.Ceil(float64(len(r)+1)*level)) - 1
		if k >= len(r) {
			return math.Inf(1)
		}
		return r[max(k, 0)]
	}
	var pooled []float64 // the normalised scores, made when a step needs them
	n.widths = make([][]float64, len(n.cfg.Levels))
	for li, level := range n.cfg.Levels {
		n.widths[li] = make([]float64, H)
		for h := range H {
			r := res[h]
			sort.Float64s(r)
			w := quantile(r, level)
			if math.IsInf(w, 1) && scale[h] > 0 {
				if pooled == nil {
					for j, rj := range res {
						for _, v := range rj {
							if scale[j] > 0 {
								pooled = append(pooled, v/scale[j])
							}
						}
					}
					sort.Float64s(pooled)
				}
				w = scale[h] * quantile(pooled, level)
			}
			n.widths[li][h] = w
		}
	}
	// A higher level is never narrower (its step may have borrowed while
	// the lower level's did not).
	for li, level := range n.cfg.Levels {
		for lj, lower := range n.cfg.Levels {
			if lower < level {
				for h := range H {
					n.widths[li][h] = max(n.widths[li][h], n.widths[lj][h])
				}
			}
		}
	}
}

// widthsFinite reports whether the half-widths of level li are finite for
// the first h steps.
func (n *Neural) widthsFinite(li, h int) bool {
	for k := range h {
		if w := n.width(li, k); math.IsInf(w, 0) || math.IsNaN(w) {
			return false
		}
	}
	return true
}

// noWidth says why the conformal half-width at level is infinite: too few
// validation residuals for the level, even pooled over the steps. It says
// only what a model file keeps too, so a loaded model's note is the same.
func (n *Neural) noWidth(level float64) string {
	return fmt.Sprintf("too few validation windows (a %s interval needs %d residuals; each window gives %d)",
		forecast.LevelName(level), forecast.ConformalNeed(level), n.out)
}

// width returns the conformal half-width of level li at step k (0-based).
// Steps past the calibrated ones (chained blocks, recursive feedback) widen
// the last calibrated width by √(k+1)/√H, the random-walk growth: a
// heuristic, not a coverage guarantee.
func (n *Neural) width(li, k int) float64 {
	w := n.widths[li]
	if k < len(w) {
		return w[k]
	}
	return w[len(w)-1] * math.Sqrt(float64(k+1)/float64(len(w)))
}
