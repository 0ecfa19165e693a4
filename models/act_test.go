package models

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestActivations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var worstExp, worstSig, worstTanh float64
	for i := 0; i < 200000; i++ {
		x := rng.NormFloat64() * math.Pow(10, float64(rng.IntN(6))-3)
		if w := math.Exp(x); w != 0 && !math.IsInf(w, 0) && math.Abs(x) < 708 {
			worstExp = math.Max(worstExp, math.Abs(fexp(x)-w)/w)
		}
		ws := 1 / (1 + math.Exp(-x))
		worstSig = math.Max(worstSig, math.Abs(sigmoid(x)-ws)/ws)
		if wt := math.Tanh(x); wt != 0 {
			worstTanh = math.Max(worstTanh, math.Abs(tanhAct(x)-wt)/math.Abs(wt))
		}
	}
	for _, tc := range []struct {
		name  string
		worst float64
	}{{"exp", worstExp}, {"sigmoid", worstSig}, {"tanh", worstTanh}} {
		if !(tc.worst < 1e-15) {
			t.Errorf("%s: worst relative error %g against package math; want < 1e-15", tc.name, tc.worst)
		}
	}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"fexp(-1000)", fexp(-1000), 0},
		{"fexp(1000)", fexp(1000), math.Inf(1)},
		{"fexp(0)", fexp(0), 1},
		{"sigmoid(1000)", sigmoid(1000), 1},
		{"sigmoid(-1000)", sigmoid(-1000), 0},
		{"tanhAct(1000)", tanhAct(1000), 1},
		{"tanhAct(-1000)", tanhAct(-1000), -1},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %g; want %g", tc.name, tc.got, tc.want)
		}
	}
	if !math.IsNaN(fexp(math.NaN())) || !math.IsNaN(sigmoid(math.NaN())) || !math.IsNaN(tanhAct(math.NaN())) {
		t.Error("an activation of NaN is not NaN")
	}
}

var actIn = func() []float64 {
	s := make([]float64, 4096)
	for i := range s {
		s[i] = float64(i%97)*0.07 - 3.3
	}
	return s
}()

var actOut = make([]float64, 4096)

func benchAct(b *testing.B, f func(float64) float64) {
	for b.Loop() {
		for i, v := range actIn {
			actOut[i] = f(v)
		}
	}
}

func BenchmarkSigmoidMathExp(b *testing.B) {
	benchAct(b, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) })
}
func BenchmarkSigmoid(b *testing.B)  { benchAct(b, sigmoid) }
func BenchmarkTanhMath(b *testing.B) { benchAct(b, math.Tanh) }
func BenchmarkTanhAct(b *testing.B)  { benchAct(b, tanhAct) }
