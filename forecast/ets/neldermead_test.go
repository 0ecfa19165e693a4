package ets

import (
	"math"
	"testing"
)

func TestNelderMead(t *testing.T) {
	tests := []struct {
		name string
		f    func([]float64) float64
		x0   []float64
		min  []float64
	}{
		{"rosenbrock", func(x []float64) float64 {
			return 100*math.Pow(x[1]-x[0]*x[0], 2) + math.Pow(1-x[0], 2)
		}, []float64{-1.2, 1}, []float64{1, 1}},
		{"quadratic 4d", func(x []float64) float64 {
			s := 0.0
			for i, v := range x {
				d := v - float64(i)
				s += float64(i+1) * d * d
			}
			return s + 3
		}, []float64{5, 5, 5, 5}, []float64{0, 1, 2, 3}},
		{"inf outside", func(x []float64) float64 {
			if x[0] < 0 {
				return math.Inf(1)
			}
			return (x[0] - 0.5) * (x[0] - 0.5)
		}, []float64{3}, []float64{0.5}},
	}
	for _, tt := range tests {
		x, f := etsMinimise(tt.f, tt.x0, 5000)
		for i := range x {
			if math.Abs(x[i]-tt.min[i]) > 1e-2 {
				t.Errorf("%s: minimum at %v (value %g); want %v", tt.name, x, f, tt.min)
				break
			}
		}
	}
}
