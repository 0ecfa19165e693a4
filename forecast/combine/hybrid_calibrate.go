package combine

import (
	"math"
	"slices"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// The hybrid's validation: scores, weights and interval calibration on
// the pooled validation windows (see Hybrid).

// allFinite reports whether no value is NaN or infinite.
func allFinite(x []float64) bool {
	return !slices.ContainsFunc(x, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
}

// scaleOf is the MASE scale of a history: its in-sample seasonal-naive MAE
// with lag m (lag 1 when the history is not longer than m, or when the
// seasonal one is zero); NaN when it is not positive and finite.
func scaleOf(x []float64, m int) float64 {
	s := math.NaN()
	if m > 1 && len(x) > m {
		s = forecast.MASEScale(x, m)
	}
	if !(s > 0) || math.IsInf(s, 0) {
		s = forecast.MASEScale(x, 1)
	}
	if !(s > 0) || math.IsInf(s, 0) {
		return math.NaN()
	}
	return s
}

// score returns every member's pooled validation scores over the windows
// that all the members with any validation forecast forecast (a member
// with none, the network when no shortened series could train it, scores
// NaN), the number of those windows, and the weights the scores give.
func (c HybridConfig) score(series []*dataset.Series, idx []int, val [][][]float64) ([]HybridMember, []float64, int) {
	k := len(c.Candidates)
	H := c.Horizon
	members := make([]HybridMember, k)
	smape := make([]float64, k)
	mase := make([]float64, k)
	common := 0
	for j, name := range c.Candidates {
		members[j].Name = name
		if j == 0 {
			members[j].Name += " (global)"
		}
		for v := range idx {
			if val[j] != nil && val[j][v] != nil {
				members[j].Series++
			}
		}
	}
	for v, i := range idx {
		s := series[i]
		n := s.Len()
		sc := scaleOf(s.Values[:n-H], c.Season)
		if math.IsNaN(sc) {
			continue
		}
		all := true
		for j := range k {
			if val[j] != nil && val[j][v] == nil {
				all = false
			}
		}
		if !all {
			continue
		}
		actual := s.Values[n-H:]
		for j := range k {
			if val[j] != nil {
				smape[j] += forecast.SMAPE(actual, val[j][v])
				mase[j] += forecast.MAE(actual, val[j][v]) / sc
			}
		}
		common++
	}
	for j := range k {
		members[j].SMAPE, members[j].MASE = math.NaN(), math.NaN()
		if common > 0 && val[j] != nil {
			members[j].SMAPE = smape[j] / float64(common)
			members[j].MASE = mase[j] / float64(common)
		}
		mase[j] = members[j].MASE
	}
	w := autoWeights(c.Weights, mase)
	for j := range k {
		members[j].Weight = w[j]
	}
	return members, w, common
}

// combined is the weighted combination of the members' forecasts fc
// (nil where a member has none), the weights renormalised over the members
// present; nil when none is.
func combined(w []float64, fc [][]float64, h int) []float64 {
	sum := 0.0
	for j, f := range fc {
		if f != nil {
			sum += w[j]
		}
	}
	if !(sum > 0) {
		return nil
	}
	out := make([]float64, h)
	for j, f := range fc {
		if f == nil || w[j] == 0 {
			continue
		}
		for t := range h {
			out[t] += w[j] / sum * f[t]
		}
	}
	return out
}

// calibrate returns the interval quantiles of the combination's scaled
// validation errors, per level, and the number of windows behind them.
func (c HybridConfig) calibrate(series []*dataset.Series, idx []int, val [][][]float64, w []float64) ([]hybridBand, int) {
	H := c.Horizon
	var errs [][]float64 // errs[v][t]: scaled signed error of window v at step t
	fc := make([][]float64, len(c.Candidates))
	for v, i := range idx {
		s := series[i]
		n := s.Len()
		sc := scaleOf(s.Values[:n-H], c.Season)
		if math.IsNaN(sc) {
			continue
		}
		for j := range fc {
			fc[j] = nil
			if val[j] != nil {
				fc[j] = val[j][v]
			}
		}
		comb := combined(w, fc, H)
		if comb == nil {
			continue
		}
		e := make([]float64, H)
		for t := range H {
			e[t] = (s.Values[n-H+t] - comb[t]) / sc
		}
		errs = append(errs, e)
	}
	var bands []hybridBand
	for _, level := range c.Levels {
		b, ok := bandOf(errs, H, level)
		if !ok {
			continue
		}
		if len(bands) > 0 {
			// A higher level calibrated another way (pooled over the steps)
			// still holds the lower one.
			prev := bands[len(bands)-1]
			for t := range H {
				b.lo[t], b.hi[t] = min(b.lo[t], prev.lo[t]), max(b.hi[t], prev.hi[t])
			}
		}
		bands = append(bands, b)
	}
	return bands, len(errs)
}

// bandOf returns the conformal quantiles at level of the errors, per step
// when there are enough windows, else pooled over the steps after
// dividing each step's errors by their mean absolute value; ok is false
// when even the pooled errors are too few.
func bandOf(errs [][]float64, H int, level float64) (hybridBand, bool) {
	b := hybridBand{level: level, lo: make([]float64, H), hi: make([]float64, H)}
	n := len(errs)
	if conformalEnough(n, level) {
		col := make([]float64, n)
		for t := range H {
			for v, e := range errs {
				col[v] = e[t]
			}
			b.lo[t], b.hi[t] = conformalBounds(col, level)
		}
		return b, true
	}
	if !conformalEnough(n*H, level) {
		return b, false
	}
	spread := make([]float64, H)
	for t := range H {
		for _, e := range errs {
			spread[t] += math.Abs(e[t])
		}
		spread[t] /= float64(n)
		if !(spread[t] > 0) {
			return b, false
		}
	}
	pooled := make([]float64, 0, n*H)
	for _, e := range errs {
		for t := range H {
			pooled = append(pooled, e[t]/spread[t])
		}
	}
	lo, hi := conformalBounds(pooled, level)
	for t := range H {
		b.lo[t], b.hi[t] = lo*spread[t], hi*spread[t]
	}
	return b, true
}

// conformalEnough reports whether n errors give finite two-sided conformal
// bounds at level: the rank ⌈(n+1)(1+level)/2⌉ is at most n.
func conformalEnough(n int, level float64) bool {
	return n > 0 && int(math.Ceil(float64(n+1)*(1+level)/2-1e-9)) <= n
}

// conformalBounds returns the split-conformal lower and upper quantiles of
// the signed errors e at level (ranks ⌊(n+1)(1−level)/2⌋ and
// ⌈(n+1)(1+level)/2⌉ of the sorted errors); e is sorted in place.
func conformalBounds(e []float64, level float64) (lo, hi float64) {
	slices.Sort(e)
	n := len(e)
	r := int(math.Ceil(float64(n+1)*(1+level)/2 - 1e-9))
	l := int(math.Floor(float64(n+1)*(1-level)/2 + 1e-9))
	hi = e[min(r, n)-1]
	lo = e[max(l, 1)-1]
	return lo, hi
}
