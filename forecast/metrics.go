package forecast

import (
	"fmt"
	"math"
)

// Scores holds the accuracy metrics of one forecast (or an average of
// several). Percentages are in percent.
type Scores struct {
	MAE, RMSE, MAPE, SMAPE, MASE float64
}

// String formats the scores on one line.
func (s Scores) String() string {
	return fmt.Sprintf("MAE %.4g  RMSE %.4g  MAPE %.4g%%  sMAPE %.4g%%  MASE %.4g", s.MAE, s.RMSE, s.MAPE, s.SMAPE, s.MASE)
}

func checkLen(name string, actual, pred []float64) {
	if len(actual) != len(pred) {
		panic(fmt.Sprintf("forecast: %s with %d actual and %d predicted values", name, len(actual), len(pred)))
	}
}

func pairOK(a, p float64) bool { return !math.IsNaN(a) && !math.IsNaN(p) }

// MAE returns the mean absolute error, mean |actual-pred| over the pairs in
// which neither value is NaN, or NaN if there is none. It panics if the
// slices differ in length.
func MAE(actual, pred []float64) float64 {
	checkLen("MAE", actual, pred)
	sum, n := 0.0, 0
	for i, a := range actual {
		if pairOK(a, pred[i]) {
			sum += math.Abs(a - pred[i])
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// RMSE returns the root mean squared error over the pairs in which neither
// value is NaN, or NaN if there is none. It panics if the slices differ in
// length.
func RMSE(actual, pred []float64) float64 {
	checkLen("RMSE", actual, pred)
	sum, n := 0.0, 0
	for i, a := range actual {
		if pairOK(a, pred[i]) {
			d := a - pred[i]
			sum += d * d
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Sqrt(sum / float64(n))
}

// MAPE returns the mean absolute percentage error, 100·mean |(a-p)/a|, over
// the pairs in which neither value is NaN. MAPE is undefined when an actual
// value is zero: then, and when no pair is left, it returns NaN (use SMAPE
// or MASE for series that touch zero). It panics if the slices differ in
// length.
func MAPE(actual, pred []float64) float64 {
	checkLen("MAPE", actual, pred)
	sum, n := 0.0, 0
	for i, a := range actual {
		if !pairOK(a, pred[i]) {
			continue
		}
		if a == 0 {
			return math.NaN()
		}
		sum += math.Abs((a - pred[i]) / a)
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return 100 * sum / float64(n)
}

// SMAPE returns the symmetric mean absolute percentage error,
// 100·mean 2|a-p|/(|a|+|p|), in [0, 200], over the pairs in which neither
// value is NaN, or NaN if there is none. A pair with a = p = 0 is a perfect
// forecast and counts as 0. It panics if the slices differ in length.
func SMAPE(actual, pred []float64) float64 {
	checkLen("SMAPE", actual, pred)
	sum, n := 0.0, 0
	for i, a := range actual {
		if !pairOK(a, pred[i]) {
			continue
		}
		if d := math.Abs(a) + math.Abs(pred[i]); d > 0 {
			sum += 2 * math.Abs(a-pred[i]) / d
		}
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return 100 * sum / float64(n)
}

// MASEScale returns the in-sample seasonal-naive MAE of train with lag m,
// mean |train[t]-train[t-m]| for t = m..len-1 over the pairs without NaN;
// it is the denominator of MASE. It returns NaN when train has no such
// pair. It panics if m < 1.
func MASEScale(train []float64, m int) float64 {
	if m < 1 {
		panic(fmt.Sprintf("forecast: MASEScale with lag %d", m))
	}
	sum, n := 0.0, 0
	for t := m; t < len(train); t++ {
		if pairOK(train[t], train[t-m]) {
			sum += math.Abs(train[t] - train[t-m])
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// MASE returns the mean absolute scaled error: MAE(actual, pred) divided by
// MASEScale(train, m), the in-sample seasonal-naive MAE (lag m) of the
// training part. When the scale is zero (a constant or exactly periodic
// training series) MASE is +Inf if the MAE is positive and NaN if it is
// zero. It panics if the slices differ in length or m < 1.
func MASE(actual, pred, train []float64, m int) float64 {
	return scaled(MAE(actual, pred), MASEScale(train, m))
}

// IntervalCoverage returns the share of actual values inside their
// intervals, lo[k] <= actual[k] <= hi[k], over the steps where none of the
// three is NaN, or NaN if there is none. It panics if the slices differ in
// length.
func IntervalCoverage(actual, lo, hi []float64) float64 {
	checkLen("IntervalCoverage", actual, lo)
	checkLen("IntervalCoverage", actual, hi)
	in, n := 0, 0
	for k, a := range actual {
		if math.IsNaN(a) || math.IsNaN(lo[k]) || math.IsNaN(hi[k]) {
			continue
		}
		n++
		if lo[k] <= a && a <= hi[k] {
			in++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(in) / float64(n)
}

// IntervalScore returns the mean interval score of central intervals of
// nominal coverage level (Gneiting & Raftery 2007), with α = 1 - level:
// mean (hi-lo) + (2/α)(lo-a)·[a < lo] + (2/α)(a-hi)·[a > hi] over the steps
// where none of the three is NaN, or NaN if there is none. Lower is better:
// it rewards narrow intervals and penalises misses by their distance. It
// panics if the slices differ in length or level is outside (0, 1).
func IntervalScore(actual, lo, hi []float64, level float64) float64 {
	checkLen("IntervalScore", actual, lo)
	checkLen("IntervalScore", actual, hi)
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("forecast: IntervalScore with level %g outside (0, 1)", level))
	}
	alpha := 1 - level
	sum, n := 0.0, 0
	for k, a := range actual {
		if math.IsNaN(a) || math.IsNaN(lo[k]) || math.IsNaN(hi[k]) {
			continue
		}
		s := hi[k] - lo[k]
		if a < lo[k] {
			s += 2 / alpha * (lo[k] - a)
		} else if a > hi[k] {
			s += 2 / alpha * (a - hi[k])
		}
		sum += s
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// MSIS returns the mean scaled interval score of the M4 competition:
// IntervalScore(actual, lo, hi, level) divided by MASEScale(train, m), the
// same in-sample seasonal-naive MAE that scales MASE (M4 uses level 0.95).
// A zero scale gives +Inf, or NaN when the score is zero. It panics if the
// slices differ in length, m < 1 or level is outside (0, 1).
func MSIS(actual, lo, hi, train []float64, m int, level float64) float64 {
	return scaled(IntervalScore(actual, lo, hi, level), MASEScale(train, m))
}

func scaled(mae, scale float64) float64 {
	if scale == 0 {
		if mae == 0 || math.IsNaN(mae) {
			return math.NaN()
		}
		return math.Inf(1)
	}
	return mae / scale
}

// Evaluate returns all the metrics of pred against actual; MASE uses
// train and lag m (pass train = nil to leave MASE NaN). It panics if the
// slices differ in length or m < 1.
func Evaluate(actual, pred, train []float64, m int) Scores {
	s := Scores{
		MAE:   MAE(actual, pred),
		RMSE:  RMSE(actual, pred),
		MAPE:  MAPE(actual, pred),
		SMAPE: SMAPE(actual, pred),
		MASE:  math.NaN(),
	}
	if train != nil {
		s.MASE = MASE(actual, pred, train, m)
	}
	return s
}

// meanScores averages scores field by field, skipping NaN entries of each
// field (NaN if all are NaN).
func meanScores(ss []Scores) Scores {
	get := []func(*Scores) *float64{
		func(s *Scores) *float64 { return &s.MAE },
		func(s *Scores) *float64 { return &s.RMSE },
		func(s *Scores) *float64 { return &s.MAPE },
		func(s *Scores) *float64 { return &s.SMAPE },
		func(s *Scores) *float64 { return &s.MASE },
	}
	var out Scores
	for _, g := range get {
		sum, n := 0.0, 0
		for i := range ss {
			if v := *g(&ss[i]); !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		if n == 0 {
			*g(&out) = math.NaN()
		} else {
			*g(&out) = sum / float64(n)
		}
	}
	return out
}
