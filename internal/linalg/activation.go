package linalg

import "math"

// Sigmoid sets dst[i] = 1/(1+exp(-x[i])) for every i. dst and x must have
// the same length and may be the same slice. On the fast path the result is
// within a few units in the last place of that formula with math.Exp (within
// 1e-15 relative), except where it is below 1e-300.
func Sigmoid(dst, x []float64) {
	if len(dst) != len(x) {
		panic("linalg: Sigmoid: dst and x have different lengths")
	}
	if fastKernel {
		activate(actSigmoid, dst, x)
		return
	}
	for i, v := range x {
		dst[i] = 1 / (1 + math.Exp(-v))
	}
}

// Tanh sets dst[i] = tanh(x[i]) for every i. dst and x must have the same
// length and may be the same slice. On the fast path the result is within
// 1e-15 relative of math.Tanh. It panics if the lengths differ.
func Tanh(dst, x []float64) {
	if len(dst) != len(x) {
		panic("linalg: Tanh: dst and x have different lengths")
	}
	if fastKernel {
		activate(actTanh, dst, x)
		return
	}
	for i, v := range x {
		dst[i] = math.Tanh(v)
	}
}

const (
	actSigmoid = iota
	actTanh
)

// activate runs a four-lane kernel over x, the tail through a small buffer
// so every element gets the same arithmetic wherever it sits. (The kernel is
// chosen by a switch, not passed as a func value, so buf stays on the stack.)
func activate(kind int, dst, x []float64) {
	n := len(x)
	run := func(d, s *float64, n int) {
		switch kind {
		case actSigmoid:
			sigmoidAVX2(d, s, n)
		default:
			tanhAVX2(d, s, n)
		}
	}
	if q := n &^ 3; q > 0 {
		run(&dst[0], &x[0], q)
	}
	if r := n & 3; r > 0 {
		var buf [4]float64
		copy(buf[:], x[n-r:])
		run(&buf[0], &buf[0], 4)
		copy(dst[n-r:], buf[:r])
	}
}
