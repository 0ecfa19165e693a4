package linalg_test

import (
	"fmt"

	"github.com/tsf-go/tsf/internal/linalg"
)

func ExampleGemm() {
	// C (2×2) = A (2×3) · Bᵀ, where B is stored as 2×3.
	a := []float64{
		1, 2, 3,
		4, 5, 6,
	}
	b := []float64{
		1, 0, 1,
		0, 1, 0,
	}
	c := make([]float64, 4)
	linalg.Gemm(false, true, 2, 2, 3, 1, a, 3, b, 3, 0, c, 2)
	fmt.Println(c)
	// Output: [4 2 10 5]
}

func ExampleGemmPacked() {
	// A weight matrix W (2×3) used at every step: pack Wᵀ once, then
	// multiply each step's input (1×3) by it.
	w := []float64{
		1, 0, 1,
		0, 2, 0,
	}
	var wt linalg.PackedB[float64]
	wt.Pack(true, 3, 2, w, 3) // op(B) = Wᵀ, 3×2
	h := make([]float64, 2)
	for _, x := range [][]float64{{1, 2, 3}, {0, 1, 0}} {
		linalg.GemmPacked(false, 1, 1, x, 3, &wt, 0, h, 2)
		fmt.Println(h)
	}
	// Output:
	// [4 4]
	// [0 2]
}

func ExampleSigmoid() {
	x := []float64{-1, 0, 1}
	linalg.Sigmoid(x, x) // in place
	fmt.Printf("%.4f\n", x)
	// Output: [0.2689 0.5000 0.7311]
}

func ExampleTanh() {
	x := []float64{-1, 0, 1}
	y := make([]float64, len(x))
	linalg.Tanh(y, x)
	fmt.Printf("%.4f\n", y)
	// Output: [-0.7616 0.0000 0.7616]
}
