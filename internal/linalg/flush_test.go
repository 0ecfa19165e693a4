package linalg

import (
	"math"
	"testing"
)

func TestFlushTiny(t *testing.T) {
	sub := math.Float32frombits(1) // the smallest subnormal
	in := []float32{1, -1e-20, 0x1p-99, -0x1p-99, 0x1p-101, -0x1p-101, 1e-38, sub, -sub, 0, float32(math.Inf(1))}
	want := []float32{1, -1e-20, 0x1p-99, -0x1p-99, 0, 0, 0, 0, 0, 0, float32(math.Inf(1))}
	FlushTiny(in)
	for i := range in {
		if in[i] != want[i] {
			t.Errorf("float32 element %d: got %g, want %g", i, in[i], want[i])
		}
	}
	// float64 keeps every value, subnormals included, bit for bit.
	in64 := []float64{0x1p-101, math.SmallestNonzeroFloat64, -1e-300}
	FlushTiny(in64)
	if in64[0] != 0x1p-101 || in64[1] != math.SmallestNonzeroFloat64 || in64[2] != -1e-300 {
		t.Errorf("float64 changed: %v", in64)
	}
}
