package linalg_test

import (
	"fmt"

	"github.com/tsf-go/tsf/internal/linalg"
)

// One step of a recurrent layer, the way package models computes it: the
// pre-activations of a batch are a GEMM of the inputs with the weights
// (row-major, the weights used transposed as stored), then an element-wise
// tanh in place.
func Example() {
	const batch, in, hidden = 2, 3, 2
	x := []float64{ // (batch, in)
		1, 0, -1,
		0.5, 0.5, 0.5,
	}
	w := []float64{ // (hidden, in), PyTorch's layout
		0.2, 0.1, 0,
		0, 0.3, 0.4,
	}
	h := make([]float64, batch*hidden)
	linalg.Gemm(false, true, batch, hidden, in, 1, x, in, w, in, 0, h, hidden) // h = x · wᵀ
	linalg.Tanh(h, h)
	fmt.Printf("%.4f\n", h)
	// Output: [0.1974 -0.3799 0.1489 0.3364]
}
