package stat

import (
	"math"

	"github.com/tsf-go/tsf/forecast"
	"gonum.org/v1/gonum/stat/distuv"
)

// NormalIntervals returns the intervals values ± z·se at each level.
func NormalIntervals(values, se []float64, levels []float64) []forecast.Interval {
	out := make([]forecast.Interval, len(levels))
	for i, l := range levels {
		z := distuv.UnitNormal.Quantile(0.5 + l/2)
		iv := forecast.Interval{Level: l, Lo: make([]float64, len(values)), Hi: make([]float64, len(values))}
		for k, v := range values {
			iv.Lo[k], iv.Hi[k] = v-z*se[k], v+z*se[k]
		}
		out[i] = iv
	}
	return out
}

// ClassicalSeason returns the seasonal indices of a classical decomposition
// (R's decompose): the series is divided by (mul) or reduced by its centred
// moving average of order m, the results are averaged per position t mod m,
// and the averages normalised to mean 1 (mul) or 0. It needs len(y) ≥ 2m.
func ClassicalSeason(y []float64, m int, mul bool) []float64 {
	ma := CentredMA(y, m)
	sum := make([]float64, m)
	cnt := make([]int, m)
	for t, v := range y {
		if math.IsNaN(ma[t]) {
			continue
		}
		if mul {
			sum[t%m] += v / ma[t]
		} else {
			sum[t%m] += v - ma[t]
		}
		cnt[t%m]++
	}
	avg := 0.0
	for i := range sum {
		sum[i] /= float64(cnt[i])
		avg += sum[i] / float64(m)
	}
	for i := range sum {
		if mul {
			sum[i] /= avg
		} else {
			sum[i] -= avg
		}
	}
	return sum
}

// Deseasonalise returns y adjusted by the indices of position t mod m.
func Deseasonalise(y, seas []float64, mul bool) []float64 {
	out := make([]float64, len(y))
	for t, v := range y {
		if mul {
			out[t] = v / seas[t%len(seas)]
		} else {
			out[t] = v - seas[t%len(seas)]
		}
	}
	return out
}

// UnitOf returns the power of two that ETS and Theta divide a series y by
// before fitting it: 1 when its largest magnitude is between 2^-256 and
// 2^256, where squared errors and their sums neither overflow nor
// underflow (so such a series is fitted exactly as it is); otherwise the
// power of two that brings its largest magnitude into [0.5, 1). Dividing
// by a power of two is exact, and multiplying the forecast back is too,
// so the forecasts of c·y are those of y times c for any c.
func UnitOf(y []float64) float64 {
	top := 0.0
	for _, v := range y {
		top = max(top, math.Abs(v))
	}
	if top == 0 || math.IsInf(top, 0) || math.IsNaN(top) || (top >= 0x1p-256 && top <= 0x1p256) {
		return 1
	}
	_, e := math.Frexp(top)
	return math.Ldexp(1, e)
}

// Rescale multiplies the point forecasts and interval bounds of fc by the
// unit u that the model's series was divided by (see UnitOf).
func Rescale(fc *forecast.Forecast, u float64) {
	if u == 1 {
		return
	}
	mul := func(x []float64) {
		for k := range x {
			x[k] *= u
		}
	}
	mul(fc.Values)
	for _, iv := range fc.Intervals {
		mul(iv.Lo)
		mul(iv.Hi)
	}
}

// CentredMA returns the centred moving average of order m (2×m for even m),
// NaN where it is undefined.
func CentredMA(y []float64, m int) []float64 {
	out := make([]float64, len(y))
	for t := range out {
		out[t] = math.NaN()
	}
	h := m / 2
	for t := h; t+h < len(y); t++ {
		if m%2 == 1 {
			s := 0.0
			for j := t - h; j <= t+h; j++ {
				s += y[j]
			}
			out[t] = s / float64(m)
		} else {
			if t+h >= len(y) {
				break
			}
			s := 0.5*y[t-h] + 0.5*y[t+h]
			for j := t - h + 1; j < t+h; j++ {
				s += y[j]
			}
			out[t] = s / float64(m)
		}
	}
	return out
}

// Sigmoid is the logistic function.
func Sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Logit is the inverse of Sigmoid.
func Logit(p float64) float64 { return math.Log(p / (1 - p)) }

// SeasonalACF is thetaf's seasonality test at 90 %: the sample
// autocorrelation at lag m against its standard error under the hypothesis
// of no autocorrelation beyond lag m−1 (Bartlett's formula).
func SeasonalACF(y []float64, m int) bool {
	n := len(y)
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	var c0 float64
	for _, v := range y {
		c0 += (v - mean) * (v - mean)
	}
	if c0 == 0 {
		return false // a constant series has no season
	}
	r := func(k int) float64 {
		s := 0.0
		for t := 0; t+k < n; t++ {
			s += (y[t] - mean) * (y[t+k] - mean)
		}
		return s / c0
	}
	sum := 0.0
	for k := 1; k < m; k++ {
		rk := r(k)
		sum += rk * rk
	}
	stat := math.Sqrt((1 + 2*sum) / float64(n))
	return math.Abs(r(m))/stat > distuv.UnitNormal.Quantile(0.95)
}
