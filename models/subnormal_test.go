package models

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestNoSubnormalGradients32 runs float32 backpropagation through 400 steps,
// far enough for the carried gradient to decay past float32's normal range
// (1.2e-38), and checks that no pre-activation gradient, carried gradient
// or parameter gradient is subnormal: on x86 each product with a subnormal
// takes a microcode assist, which made the float32 LSTM step at sequence
// length 256 ten times slower than the float64 one.
func TestNoSubnormalGradients32(t *testing.T) {
	const T, B, H = 400, 4, 16
	for _, cell := range []Cell{RNN, LSTM, GRU} {
		n, err := NewOf[float32](Config{Cell: cell, Input: 1, Hidden: H, Output: 1, TorchInit: true, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		x64 := randSlice(rand.New(rand.NewPCG(5, 5)), T*B, 1)
		x := to32(x64)
		n.Forward(x, T, B)
		n.Backward([]float32{1, 1, 1, 1})
		count := func(name string, s []float32) {
			sub := 0
			for _, v := range s {
				if v != 0 && math.Abs(float64(v)) < 0x1p-126 {
					sub++
				}
			}
			if sub > 0 {
				t.Errorf("%v: %s has %d subnormal values of %d", cell, name, sub, len(s))
			}
		}
		l := n.layers[0]
		count("pre-activation gradients", l.da)
		count("carried dh", l.dhr)
		count("carried dc", l.dcr)
		for _, p := range n.Params() {
			count(p.Name+" gradient", p.G)
		}
		// The gradient reaches the first steps in float64 as a value below
		// float32's range: the flush is what removed it, not a short decay.
		n64, _ := New(Config{Cell: cell, Input: 1, Hidden: H, Output: 1, TorchInit: true, Seed: 3})
		n64.Forward(x64, T, B)
		n64.Backward([]float64{1, 1, 1, 1})
		tiny := 0
		for _, v := range n64.layers[0].da[:B*H*n64.layers[0].g] {
			if v != 0 && math.Abs(v) < 0x1p-100 {
				tiny++
			}
		}
		if tiny == 0 {
			t.Errorf("%v: the float64 gradient at step 0 is not below 2^-100; the test does not reach the subnormal range", cell)
		}
	}
}
