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
