package models

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestSplitChangesNothing: a pass split by batch rows across goroutines
// gives bit-identical outputs, gradients and input gradients to the same
// pass on one goroutine, for every cell, with resets and truncation.
func TestSplitChangesNothing(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("needs 2 CPUs to split a pass")
	}
	const I, H, T, B, O = 3, 32, 64, 18, 2
	run := func(cell Cell, procs int, trunc int) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		n, err := New(Config{Cell: cell, Input: I, Hidden: H, Layers: 2, Output: O, PerStep: true, Truncate: trunc, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(6, 6))
		x := randSlice(rng, T*B*I, 1)
		y := randSlice(rng, T*B*O, 1)
		d := make([]float64, T*B*O)
		n.ResetAt(10, 3)
		n.ResetAt(40, 12)
		var got []float64
		for range 2 { // the second step runs on updated weights
			n.ZeroGrad()
			MSE(n.Forward(x, T, B), y, d)
			got = append(got, n.Outputs()...)
			n.Backward(d)
			got = append(got, n.InputGrad()...)
			for _, p := range n.Params() {
				got = append(got, p.G...)
				for i := range p.W {
					p.W[i] -= 0.1 * p.G[i]
				}
			}
		}
		return got
	}
	for _, cell := range []Cell{LSTM, GRU, RNN} {
		for _, trunc := range []int{0, 20} {
			one, two := run(cell, 1, trunc), run(cell, 2, trunc)
			for i := range one {
				if math.Float64bits(one[i]) != math.Float64bits(two[i]) {
					t.Fatalf("%v truncate %d: value %d is %v on 2 goroutines; want %v as on 1", cell, trunc, i, two[i], one[i])
				}
			}
		}
	}
}
