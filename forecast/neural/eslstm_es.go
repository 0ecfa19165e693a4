package neural

import (
	"math"

	"github.com/tsf-go/tsf/forecast/internal/stat"
)

// The exponential smoothing of ESRNN and its reverse pass.
//
// Each series has P = 1 raw parameter without a season (m = 1) and
// P = 2 + m with one: raw = [a, g, σ_0 … σ_{m-1}], with α = sigmoid(a),
// γ = sigmoid(g) and the initial seasonal factors s_k = exp(σ_k). Over the
// values y_0 … y_{e-1} (0-based) the recursion is multiplicative
// Holt-Winters without trend:
//
//	l_0 = y_0 / s_0
//	l_t = α y_t / s_t + (1−α) l_{t−1}          t ≥ 1
//	s_{t+m} = γ y_t / l_t + (1−γ) s_t          t ≥ 0
//
// so that l has e values and s has e+m: at position t the factors of the
// next m steps, s_{t+1} … s_{t+m}, are known. Without a season every s is 1.

// esParams returns the number of raw smoothing parameters of a series with
// season m.
func esParams(m int) int {
	if m <= 1 {
		return 1
	}
	return 2 + m
}

// esBuf holds one series' smoothing states and their gradients up to e
// values: level l (e), seasonal factors s (e+m), their logs and dL/dlog l,
// dL/dlog s.
type esBuf struct {
	l, s, logl, logs, gl, gs []float64
}

// grow sizes b for e values with season m and clears the gradients.
func (b *esBuf) grow(e, m int) {
	b.l = growF(b.l, e)
	b.logl = growF(b.logl, e)
	b.gl = growF(b.gl, e)
	b.s = growF(b.s, e+m)
	b.logs = growF(b.logs, e+m)
	b.gs = growF(b.gs, e+m)
	clear(b.gl)
	clear(b.gs)
}

// growF returns s resliced (or reallocated) to length n.
func growF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// softplus returns log(1+eˣ) without overflow.
func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// esForward runs the smoothing over y[:e] with season m and raw parameters
// raw, filling b (see esBuf). Every y must be positive.
func esForward(y []float64, e, m int, raw []float64, b *esBuf) {
	b.grow(e, m)
	l, s := b.l, b.s
	if m <= 1 {
		alpha := stat.Sigmoid(raw[0])
		for i := range s {
			s[i], b.logs[i] = 1, 0
		}
		l[0] = y[0]
		for t := 1; t < e; t++ {
			l[t] = alpha*y[t] + (1-alpha)*l[t-1]
		}
	} else {
		alpha, gamma := stat.Sigmoid(raw[0]), stat.Sigmoid(raw[1])
		for k := range m {
			s[k] = math.Exp(raw[2+k])
		}
		for t := range e {
			if t == 0 {
				l[0] = y[0] / s[0]
			} else {
				l[t] = alpha*y[t]/s[t] + (1-alpha)*l[t-1]
			}
			s[t+m] = gamma*y[t]/l[t] + (1-gamma)*s[t]
		}
		for i, v := range s {
			b.logs[i] = math.Log(v)
		}
	}
	for t, v := range l[:e] {
		b.logl[t] = math.Log(v)
	}
}

// esBackward runs the reverse pass of esForward: from b.gl (dL/dlog l_t)
// and b.gs (dL/dlog s_t) it adds dL/draw to graw. b.gl and b.gs are used
// as work space.
func esBackward(y []float64, e, m int, raw []float64, b *esBuf, graw []float64) {
	l, s := b.l, b.s
	// dL/dlog x = x · dL/dx: turn both into gradients of the states.
	gl, gs := b.gl[:e], b.gs[:e+m]
	for t := range gl {
		gl[t] /= l[t]
	}
	if m <= 1 {
		alpha := stat.Sigmoid(raw[0])
		var dAlpha float64
		for t := e - 1; t >= 1; t-- {
			// l_t = α y_t + (1−α) l_{t−1}
			dAlpha += gl[t] * (y[t] - l[t-1])
			gl[t-1] += gl[t] * (1 - alpha)
		}
		graw[0] += dAlpha * alpha * (1 - alpha)
		return
	}
	for t := range gs {
		gs[t] /= s[t]
	}
	alpha, gamma := stat.Sigmoid(raw[0]), stat.Sigmoid(raw[1])
	var dAlpha, dGamma float64
	for t := e - 1; t >= 0; t-- {
		// s_{t+m} = γ y_t / l_t + (1−γ) s_t: its gradient is complete.
		g := gs[t+m]
		dGamma += g * (y[t]/l[t] - s[t])
		gl[t] -= g * gamma * y[t] / (l[t] * l[t])
		gs[t] += g * (1 - gamma)
		// l_t: complete now (l_{t+1} and s_{t+m} are done).
		if t == 0 {
			// l_0 = y_0 / s_0
			gs[0] -= gl[0] * y[0] / (s[0] * s[0])
			break
		}
		// l_t = α y_t / s_t + (1−α) l_{t−1}
		dAlpha += gl[t] * (y[t]/s[t] - l[t-1])
		gs[t] -= gl[t] * alpha * y[t] / (s[t] * s[t])
		gl[t-1] += gl[t] * (1 - alpha)
	}
	graw[0] += dAlpha * alpha * (1 - alpha)
	graw[1] += dGamma * gamma * (1 - gamma)
	for k := range m {
		graw[2+k] += gs[k] * s[k] // s_k = exp(σ_k)
	}
}

// esLevelPenalty returns the wiggliness penalty of the log levels
// logl[:e], λ times the mean squared second difference, and adds scale
// times its gradient to gl. It is 0 for fewer than 3 levels.
func esLevelPenalty(logl, gl []float64, e int, lambda, scale float64) float64 {
	if e < 3 || lambda == 0 {
		return 0
	}
	inv := 1 / float64(e-2)
	var p float64
	for t := 2; t < e; t++ {
		d := logl[t] - 2*logl[t-1] + logl[t-2]
		p += d * d
		c := scale * lambda * 2 * d * inv
		gl[t] += c
		gl[t-1] -= 2 * c
		gl[t-2] += c
	}
	return lambda * p * inv
}

// esInit returns the starting raw parameters of a series: the smoothing
// alpha and gamma, and the seasonal factors of the first (at most 3) full
// seasons, each value divided by its season's mean, averaged per phase
// and normalised to a geometric mean of 1; 1 each when the series has
// fewer than 2 full seasons.
func esInit(y []float64, m int, alpha, gamma float64, raw []float64) {
	raw[0] = stat.Logit(alpha)
	if m <= 1 {
		return
	}
	raw[1] = stat.Logit(gamma)
	for k := range m {
		raw[2+k] = 0
	}
	cycles := min(len(y)/m, 3)
	if cycles < 2 {
		return
	}
	for c := range cycles {
		mean := 0.0
		for _, v := range y[c*m : (c+1)*m] {
			mean += v
		}
		mean /= float64(m)
		for k := range m {
			raw[2+k] += math.Log(y[c*m+k]/mean) / float64(cycles)
		}
	}
	mean := 0.0
	for k := range m {
		mean += raw[2+k]
	}
	mean /= float64(m)
	for k := range m {
		raw[2+k] -= mean
	}
}

// esFlat reports whether a series of season m starts without a season
// (ESConfig.NoSeasonTest): m > 1 and it fails Theta's seasonality test
// (stat.SeasonalACF at 90 %) or has fewer than 3 seasons.
func esFlat(y []float64, m int) bool {
	return m > 1 && !(len(y) >= 3*m && stat.SeasonalACF(y, m))
}

// esFlatGamma is the seasonal smoothing γ a series that failed the
// seasonality test starts from.
const esFlatGamma = 0.05

// esFlatten sets the raw parameters of a season-m series to start without
// a season: initial factors 1 (which the training then keeps: esFixFlat)
// and γ = esFlatGamma, so that a season appears only as far as the data
// bring one in through the recursion.
func esFlatten(raw []float64, m int) {
	if m <= 1 {
		return
	}
	raw[1] = stat.Logit(esFlatGamma)
	clear(raw[2 : 2+m])
}

// esFixFlat clears the gradient of the initial seasonal factors in graw
// (season m), which a series that failed the seasonality test does not
// learn.
func esFixFlat(graw []float64, m int) {
	if m > 1 {
		clear(graw[2 : 2+m])
	}
}
