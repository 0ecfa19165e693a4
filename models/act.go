package models

import "math"

// Gate activations. sigmoid and tanhAct agree with 1/(1+math.Exp(-x)) and
// math.Tanh to about one ulp (TestActivations) but evaluate e^x with a
// 64-entry table of 2^(j/64) and a degree-5 polynomial (Tang's method),
// which inlines and pipelines better than math.Exp: the gate
// nonlinearities are most of the element-wise cost of a step.

// exp2Tab[j] = 2^(j/64).
var exp2Tab = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

const (
	expInvStep = 64 / math.Ln2
	expStepHi  = 6.93147180369123816490e-01 / 64 // ln2/64, high bits: k·hi is exact
	expStepLo  = 1.90821492927058770002e-10 / 64 // ln2/64 − hi
	expShift   = 0x1.8p52                        // adding it rounds to an integer in the low mantissa bits
)

// fexp returns e^x: +Inf above 708, 0 below −708, NaN for NaN.
func fexp(x float64) float64 {
	if !(x > -708 && x < 708) {
		if x >= 708 {
			return math.Inf(1)
		}
		if x != x {
			return x
		}
		return 0
	}
	t := x*expInvStep + expShift
	k := t - expShift
	ki := int64(math.Float64bits(t) - math.Float64bits(expShift))
	r := (x - k*expStepHi) - k*expStepLo // |r| ≤ ln2/128
	p := r + r*r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120))))
	tj := exp2Tab[ki&63]
	v := tj + tj*p
	return math.Float64frombits(math.Float64bits(v) + uint64(ki>>6)<<52)
}

// sigmoid returns 1/(1+e^−x).
func sigmoid(x float64) float64 { return 1 / (1 + fexp(-x)) }

// tanhAct returns tanh(x): math.Tanh's own polynomial for |x| < 0.625,
// and its formula 1 − 2/(e^{2|x|}+1) with fexp beyond.
func tanhAct(x float64) float64 {
	a := math.Abs(x)
	if !(a >= 0.625) { // also NaN
		return math.Tanh(x)
	}
	return math.Copysign(1-2/(fexp(2*a)+1), x)
}

// sigmoidOf and tanhOf are sigmoid and tanhAct for either element type:
// evaluated in float64 and rounded to F (for float32 the result is the
// correctly rounded value, up to the float64 functions' ulp).
func sigmoidOf[F Float](x F) F { return F(sigmoid(float64(x))) }

func tanhOf[F Float](x F) F { return F(tanhAct(float64(x))) }
