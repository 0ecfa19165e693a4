package models

import (
	"fmt"
	"math"
)

// SGDOf is stochastic gradient descent with optional momentum, PyTorch's
// form: v = Momentum·v + g; w -= LR·v, in the parameters' element type F.
// The zero value (LR 0.01, no momentum) is ready to use. State is
// allocated on the first Step.
type SGDOf[F Float] struct {
	LR       float64 // learning rate; default 0.01
	Momentum float64 // momentum factor in [0, 1); default 0
	v        [][]F
}

// Step updates every parameter from its gradient. It panics if params
// change shape between calls.
func (o *SGDOf[F]) Step(params []*ParamOf[F]) {
	lr := F(o.LR)
	if o.LR == 0 {
		lr = F(0.01)
	}
	if o.Momentum == 0 {
		for _, p := range params {
			for i, g := range p.G {
				p.W[i] -= lr * g
			}
		}
		return
	}
	o.v = slots(o.v, params)
	mom := F(o.Momentum)
	for k, p := range params {
		v := o.v[k]
		for i, g := range p.G {
			v[i] = mom*v[i] + g
			p.W[i] -= lr * v[i]
		}
	}
}

func slots[F Float](s [][]F, params []*ParamOf[F]) [][]F {
	if s == nil {
		s = make([][]F, len(params))
		for k, p := range params {
			s[k] = make([]F, len(p.W))
		}
		return s
	}
	if len(s) != len(params) {
		panic("models: optimizer stepped over a different parameter list")
	}
	for k, p := range params {
		if len(s[k]) != len(p.W) {
			panic(fmt.Sprintf("models: optimizer parameter %q changed size", p.Name))
		}
	}
	return s
}

// AdamOf is the Adam optimiser (Kingma & Ba) with PyTorch's defaults and
// bias correction; WeightDecay > 0 applies decoupled weight decay
// (AdamW: w -= LR·WeightDecay·w before the Adam update). The moments and
// the update are in the parameters' element type F, the scalar factors
// (bias corrections, step size) in float64 and rounded to F, as PyTorch
// does. The zero value is ready to use; moment buffers are allocated on
// the first Step only.
type AdamOf[F Float] struct {
	LR          float64 // default 1e-3
	Beta1       float64 // default 0.9
	Beta2       float64 // default 0.999
	Eps         float64 // default 1e-8
	WeightDecay float64 // decoupled; default 0
	t           int
	m, v        [][]F
}

// Step updates every parameter from its gradient.
func (o *AdamOf[F]) Step(params []*ParamOf[F]) {
	lr, b1, b2, eps := o.LR, o.Beta1, o.Beta2, o.Eps
	if lr == 0 {
		lr = 1e-3
	}
	if b1 == 0 {
		b1 = 0.9
	}
	if b2 == 0 {
		b2 = 0.999
	}
	if eps == 0 {
		eps = 1e-8
	}
	o.m = slots(o.m, params)
	o.v = slots(o.v, params)
	o.t++
	c1 := 1 - math.Pow(b1, float64(o.t))
	c2 := 1 - math.Pow(b2, float64(o.t))
	step := F(lr / c1)
	sq2 := F(math.Sqrt(c2))
	decay := F(1 - lr*o.WeightDecay)
	b1f, b2f, a1, a2, epsf := F(b1), F(b2), F(1-b1), F(1-b2), F(eps)
	for k, p := range params {
		m, v := o.m[k], o.v[k]
		w := p.W
		for i, g := range p.G {
			m[i] = b1f*m[i] + a1*g
			v[i] = b2f*v[i] + a2*g*g
			if o.WeightDecay != 0 {
				w[i] *= decay
			}
			w[i] -= step * m[i] / (F(math.Sqrt(float64(v[i])))/sq2 + epsf)
		}
	}
}

// SetLR sets the learning rate (for schedules).
func (o *AdamOf[F]) SetLR(lr float64) { o.LR = lr }

// SetLR sets the learning rate (for schedules).
func (o *SGDOf[F]) SetLR(lr float64) { o.LR = lr }

// GradNorm returns the global L2 norm of all gradients, summed in float64.
func GradNorm[F Float](params []*ParamOf[F]) float64 {
	s := 0.0
	for _, p := range params {
		for _, g := range p.G {
			s += float64(g) * float64(g)
		}
	}
	return math.Sqrt(s)
}

// ClipGlobalNorm scales all gradients by max/norm when their global L2
// norm exceeds max > 0, and returns the norm before clipping.
func ClipGlobalNorm[F Float](params []*ParamOf[F], max float64) float64 {
	norm := GradNorm(params)
	if max > 0 && norm > max {
		s := F(max / norm)
		for _, p := range params {
			for i := range p.G {
				p.G[i] *= s
			}
		}
	}
	return norm
}

// StepDecay multiplies the base rate by Gamma every Every epochs.
type StepDecay struct {
	Base  float64 // initial learning rate
	Gamma float64 // factor per step; default 0.1
	Every int     // epochs per step; default 10
}

// LR returns the learning rate for epoch (0-based).
func (s StepDecay) LR(epoch int) float64 {
	g, e := s.Gamma, s.Every
	if g == 0 {
		g = 0.1
	}
	if e <= 0 {
		e = 10
	}
	return s.Base * math.Pow(g, float64(epoch/e))
}

// Cosine anneals from Base to Min over Total epochs (half a cosine), then
// stays at Min.
type Cosine struct {
	Base, Min float64
	Total     int // epochs; must be > 0
}

// LR returns the learning rate for epoch (0-based).
func (c Cosine) LR(epoch int) float64 {
	if c.Total <= 0 || epoch >= c.Total {
		return c.Min
	}
	return c.Min + 0.5*(c.Base-c.Min)*(1+math.Cos(math.Pi*float64(epoch)/float64(c.Total)))
}

// Plateau reduces the learning rate when a monitored loss stops improving
// (PyTorch's ReduceLROnPlateau in "min" mode with a relative threshold).
// Set LR to the starting rate; the zero value of every other field means
// its default.
type Plateau struct {
	LR        float64 // current learning rate
	Factor    float64 // multiplier on reduction; default 0.5
	Patience  int     // epochs without improvement tolerated; default 5
	Threshold float64 // relative improvement needed; default 1e-4
	MinLR     float64 // floor; default 0
	best      float64
	bad       int
	started   bool
}

// Observe records this epoch's loss and returns the learning rate to use
// next and whether it was just reduced.
func (p *Plateau) Observe(loss float64) (lr float64, reduced bool) {
	f, pat, th := p.Factor, p.Patience, p.Threshold
	if f == 0 {
		f = 0.5
	}
	if pat == 0 {
		pat = 5
	}
	if th == 0 {
		th = 1e-4
	}
	if !p.started || loss < p.best*(1-th) {
		p.best, p.bad, p.started = loss, 0, true
		return p.LR, false
	}
	p.bad++
	if p.bad > pat {
		p.bad = 0
		n := math.Max(p.LR*f, p.MinLR)
		reduced = n < p.LR
		p.LR = n
	}
	return p.LR, reduced
}
