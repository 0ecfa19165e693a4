// Package linalg holds the dense kernels that the recurrent layers spend their
// time in. Every matrix is row-major on a contiguous []float64 with an explicit
// leading dimension, as in gonum's blas64.
//
// The portable path is gonum's pure-Go BLAS; faster paths may be selected at
// run time from CPU features, and must agree with the portable one to 1e-12.
package linalg

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

var portable gonum.Implementation

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// Gemm computes C = alpha·op(A)·op(B) + beta·C where op(X) is X or Xᵀ as tA
// and tB say, op(A) is m×k, op(B) is k×n and C is m×n, all row-major with
// leading dimensions lda, ldb and ldc. It panics on inconsistent shapes.
func Gemm(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	portable.Dgemm(trans(tA), trans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
