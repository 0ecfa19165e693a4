package linalg

import "math"

// Sigmoid sets dst[i] = 1/(1+exp(-x[i])) for every i. dst and x must have
// the same length and may be the same slice. On the fast path the result is
// within a few units in the last place of that formula with math.Exp: within
// 1e-15 relative for float64, except where it is below 1e-300, and within
// 4e-7 relative for float32, except where it is below 1e-37. The portable
// path computes in float64 (and rounds, for float32).
func Sigmoid[T Float](dst, x []T) {
	if len(dst) != len(x) {
		panic("linalg: Sigmoid: dst and x have different lengths")
	}
	if fastKernel {
		if is32[T]() {
			activate32(actSigmoid, f32s(dst), f32s(x))
		} else {
			activate64(actSigmoid, f64s(dst), f64s(x))
		}
		return
	}
	for i, v := range x {
		dst[i] = T(1 / (1 + math.Exp(-float64(v))))
	}
}

// Tanh sets dst[i] = tanh(x[i]) for every i. dst and x must have the same
// length and may be the same slice. On the fast path the result is within
// 1e-15 relative of math.Tanh for float64 and within 4e-7 relative for
// float32. It panics if the lengths differ.
func Tanh[T Float](dst, x []T) {
	if len(dst) != len(x) {
		panic("linalg: Tanh: dst and x have different lengths")
	}
	if fastKernel {
		if is32[T]() {
			activate32(actTanh, f32s(dst), f32s(x))
		} else {
			activate64(actTanh, f64s(dst), f64s(x))
		}
		return
	}
	for i, v := range x {
		dst[i] = T(math.Tanh(float64(v)))
	}
}

const (
	actSigmoid = iota
	actTanh
)

// activate64 and activate32 run the vector kernel (four float64 or eight
// float32 lanes) over x, the tail through a small buffer so every element
// gets the same arithmetic wherever it sits. (The kernel is chosen by a
// switch, not passed as a func value, so buf stays on the stack.)
func activate64(kind int, dst, x []float64) {
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

func activate32(kind int, dst, x []float32) {
	n := len(x)
	run := func(d, s *float32, n int) {
		switch kind {
		case actSigmoid:
			sigmoidAVX2s(d, s, n)
		default:
			tanhAVX2s(d, s, n)
		}
	}
	if q := n &^ 7; q > 0 {
		run(&dst[0], &x[0], q)
	}
	if r := n & 7; r > 0 {
		var buf [8]float32
		copy(buf[:], x[n-r:])
		run(&buf[0], &buf[0], 8)
		copy(dst[n-r:], buf[:r])
	}
}
