package ets

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/stat"
)

// etsPaths is the number of sample paths simulated for the intervals of a
// multiplicative season.
const etsPaths = 2000

// intervals returns the prediction intervals of the forecast values made
// from the given final states of a series of n points.
func (e *ETS) intervals(values []float64, u *etsUncertainty, level, slope float64, seas []float64, n int) []forecast.Interval {
	levels := forecast.IntervalLevels("ETS", e.cfg.Levels)
	pv := e.paramVar(u, level, slope, seas, n, len(values))
	if e.season == "mul" {
		return e.simulatedIntervals(values, pv, level, slope, seas, n, levels)
	}
	// Class 1 (Hyndman et al. 2008, Table 6.1): the h-step variance is
	// σ²(1 + Σ_{j=1}^{h-1} c_j²), c_j = α + β(φ+…+φ^j) + γ·[j mod m = 0].
	se := make([]float64, len(values))
	e.classOneVar(se)
	for k, v := range se {
		w := e.widenAt(k)
		se[k] = math.Sqrt(e.sigma2 * (v*w*w + pv[k]))
	}
	return stat.NormalIntervals(values, se, levels)
}

// simulatedIntervals returns intervals from the quantiles of etsPaths
// sample paths of the model with Gaussian errors of variance σ², drawn
// from a stream seeded with ETSConfig.Seed, their distances from the
// forecast scaled for the widening and the parameter variance pv.
func (e *ETS) simulatedIntervals(values, pv []float64, level, slope float64, seas []float64, n int, levels []float64) []forecast.Interval {
	h := len(values)
	r := rand.New(rand.NewPCG(e.cfg.Seed, 0x5ee0))
	sd := math.Sqrt(e.sigma2)
	sim := make([]float64, etsPaths*h) // [step][path]
	ring := make([]float64, e.m)
	a, b, g, phi := e.p.Alpha, e.p.Beta, e.p.Gamma, e.p.Phi
	for p := range etsPaths {
		l, tr := level, slope
		copy(ring, seas)
		si := n % e.m
		for k := range h {
			lb := l + phi*tr
			s := ring[si]
			eps := sd * r.NormFloat64()
			sim[k*etsPaths+p] = lb*s + eps
			if lb > 0 && s > 0 {
				l = lb + a*eps/s
				tr = phi*tr + b*eps/s
				ring[si] = s + g*eps/lb
			} else {
				// Outside the admissible region the states stop learning
				// from the errors; the path goes on with its trend.
				l, tr = lb, phi*tr
			}
			if si++; si == e.m {
				si = 0
			}
		}
	}
	out := make([]forecast.Interval, len(levels))
	for i, lv := range levels {
		out[i] = forecast.Interval{Level: lv, Lo: make([]float64, h), Hi: make([]float64, h)}
	}
	v := make([]float64, h)
	e.classOneVar(v)
	for k := range h {
		col := sim[k*etsPaths : (k+1)*etsPaths]
		slices.Sort(col)
		// The widening, and the initial states' uncertainty relative to
		// the class-1 variance of the step.
		w := e.widenAt(k)
		w = math.Sqrt(w*w + pv[k]/v[k])
		for i, lv := range levels {
			out[i].Lo[k] = values[k] - w*(values[k]-sampleQuantile(col, (1-lv)/2))
			out[i].Hi[k] = values[k] + w*(sampleQuantile(col, (1+lv)/2)-values[k])
		}
	}
	return out
}

// sampleQuantile returns the q-quantile of the sorted sample x by linear
// interpolation between order statistics (R's type 7).
func sampleQuantile(x []float64, q float64) float64 {
	pos := q * float64(len(x)-1)
	i := int(pos)
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	f := pos - float64(i)
	return x[i] + f*(x[i+1]-x[i])
}

// classOneVar returns the class-1 h-step variance factors 1 + Σ_{j<h} c_j²
// for h = 1..len(out).
func (e *ETS) classOneVar(out []float64) {
	v, damp, pk := 1.0, 0.0, 1.0
	for k := range out {
		if k > 0 {
			pk *= e.p.Phi
			damp += pk
			c := e.p.Alpha
			if e.trend != "none" {
				c += e.p.Beta * damp
			}
			if e.season != "none" && k%e.m == 0 {
				c += e.p.Gamma
			}
			v += c * c
		}
		out[k] = v
	}
}

// fitWiden sets e.widen from the in-sample multi-step errors on y: from
// every origin the fitted model forecasts up to K steps, and where the
// mean squared k-step error exceeds the model's k-step variance, the
// interval of step k is widened by the ratio of the standard deviations.
// The variance formulas assume the model is true with its fitted
// parameters; the widening corrects them where the series shows the
// forecast errors grow faster than that.
func (e *ETS) fitWiden(y []float64) {
	n := len(y)
	K := min(max(24, 2*e.m), n/2)
	e.widen = nil
	if K < 1 {
		return
	}
	sq := make([]float64, K)
	cnt := make([]int, K)
	p := e.p
	seas := make([]float64, e.m)
	if e.season != "none" {
		copy(seas, p.Season0)
	}
	level, slope := p.Level0, p.Trend0
	for t := 0; t < n; t++ {
		// Forecasts from the state before observation t.
		damp, pk := 0.0, 1.0
		for k := 0; k < K && t+k < n; k++ {
			pk *= p.Phi
			damp += pk
			lb := level + damp*slope
			si := (t + k) % e.m
			f := lb
			switch e.season {
			case "mul":
				f = lb * seas[si]
			case "add":
				f = lb + seas[si]
			}
			d := y[t+k] - f
			sq[k] += d * d
			cnt[k]++
		}
		// Update with observation t.
		si := t % e.m
		lb := level + p.Phi*slope
		switch e.season {
		case "mul":
			s := seas[si]
			if s <= 0 || lb <= 0 {
				return
			}
			er := y[t] - lb*s
			level = lb + p.Alpha*er/s
			slope = p.Phi*slope + p.Beta*er/s
			seas[si] = s + p.Gamma*er/lb
		default:
			er := y[t] - lb - seas[si]
			level = lb + p.Alpha*er
			slope = p.Phi*slope + p.Beta*er
			if e.season == "add" {
				seas[si] += p.Gamma * er
			}
		}
	}
	v := make([]float64, K)
	e.classOneVar(v)
	e.widen = make([]float64, K)
	w := 1.0
	for k := range K {
		if cnt[k] >= 8 && e.sigma2 > 0 {
			w = math.Max(1, math.Sqrt(sq[k]/float64(cnt[k])/(e.sigma2*v[k])))
		}
		e.widen[k] = w
	}
}

// widenAt returns the widening factor of step k (0-based).
func (e *ETS) widenAt(k int) float64 {
	if len(e.widen) == 0 {
		return 1
	}
	return e.widen[min(k, len(e.widen)-1)]
}

// etsUncertainty describes how the forecast depends on the estimated
// initial states: chol is the upper Cholesky factor U of ZᵀZ, Z = ∂e/∂x₀
// the n×d derivatives of the one-step errors with respect to the d free
// initial states, and sens the d×(2+m) derivatives of the final states
// (level, trend, seasonal ring) with respect to them. With the smoothing
// parameters fixed the initial states are a least-squares estimate with
// covariance σ²(ZᵀZ)⁻¹, so a forecast with gradient g has the added
// variance σ²·gᵀ(ZᵀZ)⁻¹g = σ²·|U⁻ᵀg|², the term a regression's prediction
// interval has and the class formulas leave out. It matters most for the
// trend: with a small β the slope is essentially the fitted initial one,
// and its error grows with the square of the horizon.
type etsUncertainty struct {
	d    int
	chol []float64 // d×d
	sens []float64 // d×(2+m)
}

// uncertainty computes the etsUncertainty of parameters p on y by finite
// differences (exact up to rounding for the linear models); nil if ZᵀZ is
// singular or the model leaves its admissible region.
func (e *ETS) uncertainty(y []float64, p ETSParams) *etsUncertainty {
	m := e.m
	d := 1
	if e.trend != "none" {
		d++
	}
	if e.season != "none" {
		d += m - 1
	}
	scale := 0.0
	for _, v := range y {
		scale += math.Abs(v)
	}
	scale = max(scale/float64(len(y)), 1e-12)
	n := len(y)
	w := 2 + m
	e0 := make([]float64, n)
	e1 := make([]float64, n)
	z := make([]float64, n*d)
	sens := make([]float64, d*w)
	seas := make([]float64, m)
	run := func(q *ETSParams, out []float64, final []float64) bool {
		sse, level, slope := etsTrace(y, e.trend, e.season, q, seas, out)
		if math.IsInf(sse, 0) {
			return false
		}
		final[0], final[1] = level, slope
		copy(final[2:], seas)
		return true
	}
	base := make([]float64, w)
	if !run(&p, e0, base) {
		return nil
	}
	q := p
	q.Season0 = slices.Clone(p.Season0)
	fin := make([]float64, w)
	for j := range d {
		q.Level0, q.Trend0 = p.Level0, p.Trend0
		copy(q.Season0, p.Season0)
		// Free state j: level, trend, then seasons 0..m-2 (the last one
		// keeps the seasons' sum or mean).
		h := 1e-6 * scale
		switch {
		case j == 0:
			q.Level0 += h
		case j == 1 && e.trend != "none":
			q.Trend0 += h
		default:
			i := j - 1
			if e.trend != "none" {
				i--
			}
			if e.season == "mul" {
				h = 1e-6
			}
			q.Season0[i] += h
			q.Season0[m-1] -= h
		}
		if !run(&q, e1, fin) {
			return nil
		}
		for t := range n {
			z[t*d+j] = (e1[t] - e0[t]) / h
		}
		for i := range w {
			sens[j*w+i] = (fin[i] - base[i]) / h
		}
	}
	ata := make([]float64, d*d)
	for t := range n {
		row := z[t*d : (t+1)*d]
		for a, za := range row {
			for b := a; b < d; b++ {
				ata[a*d+b] += za * row[b]
			}
		}
	}
	if !cholSolve(ata, make([]float64, d), d) {
		return nil
	}
	return &etsUncertainty{d: d, chol: ata, sens: sens}
}

// paramVar returns the added variance factors gᵀ(ZᵀZ)⁻¹g (times σ² they
// are variances) of the h forecast steps from the final states level,
// slope, seas of a series of n points.
func (e *ETS) paramVar(u *etsUncertainty, level, slope float64, seas []float64, n, h int) []float64 {
	out := make([]float64, h)
	if u == nil {
		return out
	}
	d, w := u.d, 2+e.m
	g := make([]float64, d)
	damp, pk := 0.0, 1.0
	for k := range out {
		pk *= e.p.Phi
		damp += pk
		if e.trend == "none" {
			damp = 0
		}
		si := (n + k) % e.m
		for j := range d {
			row := u.sens[j*w : (j+1)*w]
			dlb := row[0] + damp*row[1]
			switch e.season {
			case "mul":
				g[j] = dlb*seas[si] + (level+damp*slope)*row[2+si]
			case "add":
				g[j] = dlb + row[2+si]
			default:
				g[j] = dlb
			}
		}
		// |U⁻ᵀg|²: solve Uᵀx = g.
		ss := 0.0
		for i := range d {
			s := g[i]
			for k := range i {
				s -= u.chol[k*d+i] * g[k]
			}
			g[i] = s / u.chol[i*d+i]
			ss += g[i] * g[i]
		}
		out[k] = ss
	}
	return out
}

// IntervalLevels returns the nominal coverages of the forecasts' intervals.
func (e *ETS) IntervalLevels() []float64 { return forecast.IntervalLevels("ETS", e.cfg.Levels) }

var _ forecast.IntervalModel = (*ETS)(nil)
