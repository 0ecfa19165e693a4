package models

import (
	"fmt"
	"math"
)

// The losses below average over every element of pred (PyTorch's
// reduction="mean"). Each returns the loss and, if grad is not nil, writes
// dLoss/dpred into grad (overwriting it). They never allocate and panic if
// the lengths of pred, target and a non-nil grad differ or are zero. In
// float32 the difference pred − target is taken in float32, as in PyTorch,
// and the sum and the gradient's scaling in float64 (rounded once to F).

func checkLoss[F Float](name string, pred, target, grad []F) {
	if len(pred) == 0 || len(pred) != len(target) || (grad != nil && len(grad) != len(pred)) {
		panic(fmt.Sprintf("models: %s with len(pred) = %d, len(target) = %d, len(grad) = %d", name, len(pred), len(target), len(grad)))
	}
}

// MSE returns mean((pred-target)²).
func MSE[F Float](pred, target, grad []F) float64 {
	checkLoss("MSE", pred, target, grad)
	s, inv := 0.0, 1/float64(len(pred))
	for i, p := range pred {
		d := float64(p - target[i])
		s += d * d
		if grad != nil {
			grad[i] = F(2 * d * inv)
		}
	}
	return s * inv
}

// MAE returns mean(|pred-target|); its gradient at a tie is 0.
func MAE[F Float](pred, target, grad []F) float64 {
	checkLoss("MAE", pred, target, grad)
	s, inv := 0.0, 1/float64(len(pred))
	for i, p := range pred {
		d := float64(p - target[i])
		s += math.Abs(d)
		if grad != nil {
			switch {
			case d > 0:
				grad[i] = F(inv)
			case d < 0:
				grad[i] = F(-inv)
			default:
				grad[i] = 0
			}
		}
	}
	return s * inv
}

// Huber returns the mean Huber loss with threshold delta > 0: ½d² for
// |d| ≤ delta, delta·(|d| − ½delta) beyond (PyTorch's nn.HuberLoss).
// It panics if delta ≤ 0.
func Huber[F Float](pred, target, grad []F, delta float64) float64 {
	checkLoss("Huber", pred, target, grad)
	if !(delta > 0) {
		panic(fmt.Sprintf("models: Huber delta = %g; want > 0", delta))
	}
	s, inv := 0.0, 1/float64(len(pred))
	for i, p := range pred {
		d := float64(p - target[i])
		a := math.Abs(d)
		var g float64
		if a <= delta {
			s += 0.5 * d * d
			g = d
		} else {
			s += delta * (a - 0.5*delta)
			g = math.Copysign(delta, d)
		}
		if grad != nil {
			grad[i] = F(g * inv)
		}
	}
	return s * inv
}

// Pinball returns the mean quantile (pinball) loss for quantile q in
// (0, 1): q·(y−p) when y ≥ p, (1−q)·(p−y) otherwise. q = 0.5 gives half
// the MAE. It panics if q is outside (0, 1).
func Pinball[F Float](pred, target, grad []F, q float64) float64 {
	checkLoss("Pinball", pred, target, grad)
	if !(q > 0 && q < 1) {
		panic(fmt.Sprintf("models: Pinball quantile = %g; want in (0, 1)", q))
	}
	s, inv := 0.0, 1/float64(len(pred))
	for i, p := range pred {
		d := float64(target[i] - p)
		var g float64
		if d >= 0 {
			s += q * d
			g = -q
		} else {
			s -= (1 - q) * d
			g = 1 - q
		}
		if grad != nil {
			grad[i] = F(g * inv)
		}
	}
	return s * inv
}
