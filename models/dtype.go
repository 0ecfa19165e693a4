package models

import (
	"fmt"
	"unsafe"
)

// Float is the element type of a network's weights, gradients, caches,
// inputs and outputs: float64 or float32. Every layer, head, loss,
// optimiser and the BPTT and TBPTT drivers are one generic implementation;
// Go compiles the float32 and float64 instantiations separately, and the
// products go to linalg's per-type assembly kernels.
type Float interface{ float32 | float64 }

// DType names the element type of a network, as a setting (Config.DType,
// BenchConfig.DType, a model file, a --dtype flag).
type DType string

const (
	// Float64 is the default: weights and arithmetic in float64, the
	// precision of the PyTorch parity tests to 1e-10.
	Float64 DType = "float64"
	// Float32 is PyTorch's default dtype: half the bytes moved, twice the
	// FMA lanes.
	Float32 DType = "float32"
)

// ParseDType turns "float64" or "float32" (or "" for the default, float64)
// into a DType.
func ParseDType(s string) (DType, error) {
	switch DType(s) {
	case "", Float64:
		return Float64, nil
	case Float32:
		return Float32, nil
	}
	return "", fmt.Errorf("models: unknown dtype %q (want float64 or float32)", s)
}

// DTypeOf returns the DType of F.
func DTypeOf[F Float]() DType {
	var z F
	if unsafe.Sizeof(z) == 4 {
		return Float32
	}
	return Float64
}

// The float64 names of the generic types, the package's default and its
// original API: a Network is a NetworkOf[float64], and so on.
type (
	// Network is the float64 recurrent network (see NetworkOf).
	Network = NetworkOf[float64]
	// Param is a float64 parameter tensor (see ParamOf).
	Param = ParamOf[float64]
	// State is a float64 recurrent state (see StateOf).
	State = StateOf[float64]
	// TBPTT drives truncated BPTT over a float64 Network (see TBPTTOf).
	TBPTT = TBPTTOf[float64]
	// MLP is the float64 feed-forward network (see MLPOf).
	MLP = MLPOf[float64]
	// Adam is the Adam optimiser over float64 parameters (see AdamOf).
	Adam = AdamOf[float64]
	// SGD is stochastic gradient descent over float64 parameters (see SGDOf).
	SGD = SGDOf[float64]
	// Trainer is the float64 benchmark training step (see TrainerOf).
	Trainer = TrainerOf[float64]
)

func grow[F Float](s []F, n int) []F {
	if cap(s) < n {
		return make([]F, n)
	}
	return s[:n]
}

func zero[F Float](s []F) {
	clear(s)
}
