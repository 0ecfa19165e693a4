package linalg

import (
	"math"
	"math/rand/v2"
	"testing"
)

func activationInputs() []float64 {
	rng := rand.New(rand.NewPCG(9, 9))
	x := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1e-8, -1e-8, 0.25, -0.25,
		math.Nextafter(0.25, 0), math.Nextafter(0.25, 1), 1, -1, 19, -19, 20, -20, 36, -36,
		700, -700, 708, -708, 709, -709, 710, -710, 745, -745, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN()}
	for range 20000 {
		x = append(x, rng.NormFloat64()*math.Pow(10, rng.Float64()*4-2))
	}
	for range 2000 {
		x = append(x, (rng.Float64()-0.5)*1500)
	}
	return x
}

// close reports whether got is within tol relative of want, treating NaNs
// as equal, requiring the same sign for zeros, and ignoring differences
// between values both below 1e-300 in magnitude.
func closeTo(got, want, tol float64) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case want == 0 && got == 0:
		return math.Signbit(got) == math.Signbit(want)
	case math.Abs(want) < 1e-300 && math.Abs(got) < 1e-300:
		return true
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

func TestActivations(t *testing.T) {
	x := activationInputs()
	tests := []struct {
		name string
		f    func(dst, x []float64)
		ref  func(float64) float64
	}{
		{"Sigmoid", Sigmoid[float64], func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }},
		{"Tanh", Tanh[float64], math.Tanh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every length mod 4, in place and not.
			for _, n := range []int{0, 1, 2, 3, 5, 7, len(x)} {
				got := make([]float64, n)
				tt.f(got, x[:n])
				inPlace := append([]float64(nil), x[:n]...)
				tt.f(inPlace, inPlace)
				for i, v := range x[:n] {
					want := tt.ref(v)
					if !closeTo(got[i], want, 1e-15) {
						t.Fatalf("%s(%.17g) = %.17g; want %.17g", tt.name, v, got[i], want)
					}
					if math.Float64bits(inPlace[i]) != math.Float64bits(got[i]) {
						t.Fatalf("%s(%.17g) in place = %.17g; want %.17g", tt.name, v, inPlace[i], got[i])
					}
				}
			}
		})
	}
}

func TestActivationTailMatchesBody(t *testing.T) {
	// An element gives the same bits whether it sits in the four-lane body
	// or in the tail.
	x := activationInputs()[:41]
	for _, f := range []func(dst, x []float64){Sigmoid[float64], Tanh[float64]} {
		all := make([]float64, len(x))
		f(all, x)
		for i := range x {
			one := []float64{0}
			f(one, x[i:i+1])
			if math.Float64bits(one[0]) != math.Float64bits(all[i]) && !(math.IsNaN(one[0]) && math.IsNaN(all[i])) {
				t.Fatalf("element %d: alone %.17g, in a slice %.17g", i, one[0], all[i])
			}
		}
	}
}

func TestActivationAllocs(t *testing.T) {
	x := make([]float64, 7) // a body and a tail
	for _, f := range []func(dst, x []float64){Sigmoid[float64], Tanh[float64]} {
		if allocs := testing.AllocsPerRun(10, func() { f(x, x) }); allocs != 0 {
			t.Errorf("activation allocates %g times per call; want 0", allocs)
		}
	}
}

func BenchmarkSigmoid1024(b *testing.B)     { benchActivation(b, Sigmoid[float64]) }
func BenchmarkTanh1024(b *testing.B)        { benchActivation(b, Tanh[float64]) }
func BenchmarkMathSigmoid1024(b *testing.B) { benchActivation(b, mathSigmoid) }
func BenchmarkMathTanh1024(b *testing.B)    { benchActivation(b, mathTanh) }

func mathSigmoid(dst, x []float64) {
	for i, v := range x {
		dst[i] = 1 / (1 + math.Exp(-v))
	}
}

func mathTanh(dst, x []float64) {
	for i, v := range x {
		dst[i] = math.Tanh(v)
	}
}

func benchActivation(b *testing.B, f func(dst, x []float64)) {
	rng := rand.New(rand.NewPCG(10, 10))
	x := make([]float64, 1024)
	for i := range x {
		x[i] = rng.NormFloat64() * 3
	}
	dst := make([]float64, len(x))
	b.ReportAllocs()
	for b.Loop() {
		f(dst, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/elem")
}
