package linalg

import (
	"fmt"

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
// leading dimensions lda, ldb and ldc. When beta is zero C is only written, so
// NaNs in it do not propagate. Gemm is safe for concurrent use on distinct C.
//
// It panics with a "linalg: " message on a negative size, a leading dimension
// smaller than the stored row, or a slice too short for its matrix.
func Gemm[T Float](tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	checkGemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if n == 1 || m == 1 {
		gemv(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if !useFast(m, n, k) {
		portableGemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmFast(Threads(), fastKern[T](), tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// portableGemm is gonum's pure-Go Dgemm or Sgemm.
func portableGemm[T Float](tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if is32[T]() {
		portable.Sgemm(trans(tA), trans(tB), m, n, k, float32(alpha), f32s(a), lda, f32s(b), ldb, float32(beta), f32s(c), ldc)
		return
	}
	portable.Dgemm(trans(tA), trans(tB), m, n, k, float64(alpha), f64s(a), lda, f64s(b), ldb, float64(beta), f64s(c), ldc)
}

// portableGemv is gonum's Dgemv or Sgemv, with blas.Dgemv's arguments
// (A is r×cols, op(A) as t says).
func portableGemv[T Float](t blas.Transpose, r, cols int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int) {
	if is32[T]() {
		portable.Sgemv(t, r, cols, float32(alpha), f32s(a), lda, f32s(x), incX, float32(beta), f32s(y), incY)
		return
	}
	portable.Dgemv(t, r, cols, float64(alpha), f64s(a), lda, f64s(x), incX, float64(beta), f64s(y), incY)
}

// Kernel names the code path Gemm takes for large products on this machine:
// "avx2-fma" for the packed assembly kernels (float64 and float32) or
// "portable" for gonum's pure-Go Dgemm and Sgemm (other CPUs, or a build
// with the purego tag).
func Kernel() string {
	if fastKernel {
		return kernelName
	}
	return "portable"
}

// useFast reports whether the packed kernel should handle an m×n×k product.
// Below about a hundred multiply-adds the packing does not pay off.
func useFast(m, n, k int) bool {
	return fastKernel && m*n*k >= fastMinVolume
}

// fastMinVolume is the smallest m·n·k sent to the packed kernel. Measured
// for square products (Zen 4): gonum 35 ns vs 92 ns at 2³, 118 vs 130 at 4³,
// 286 vs 248 at 6³, 456 vs 215 at 8³.
const fastMinVolume = 128

// gemv handles a product with one row or one column as a matrix-vector
// product through gonum's Dgemv (SIMD kernels, streaming the matrix once):
// a blocked Gemm would waste all but one column of its register tile, and
// gonum's Dgemm is slower still. Requires m == 1 or n == 1, k ≥ 1, alpha ≠ 0.
func gemv[T Float](tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if n == 1 {
		// C (m×1) = op(A) (m×k) · x, x = op(B) (k×1), stride ldc in C.
		x, incX := b, ldb // op(B)(p, 0) = b[p·ldb]
		if tB {
			incX = 1 // op(B)(p, 0) = b[p]
		}
		if tA {
			portableGemv(blas.Trans, k, m, alpha, a, lda, x, incX, beta, c, ldc)
		} else {
			portableGemv(blas.NoTrans, m, k, alpha, a, lda, x, incX, beta, c, ldc)
		}
		return
	}
	// C (1×n) = x (1×k) · op(B) (k×n), x = op(A); as Cᵀ = op(B)ᵀ xᵀ.
	x, incX := a, 1 // op(A)(0, p) = a[p]
	if tA {
		incX = lda // op(A)(0, p) = a[p·lda]
	}
	if tB {
		portableGemv(blas.NoTrans, n, k, alpha, b, ldb, x, incX, beta, c, 1)
	} else {
		portableGemv(blas.Trans, k, n, alpha, b, ldb, x, incX, beta, c, 1)
	}
}

// scaleC sets C = beta·C, writing zeros when beta is zero.
func scaleC[T Float](m, n int, beta T, c []T, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// checkGemm panics unless the operands describe a valid Gemm.
func checkGemm[T Float](tA, tB bool, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("linalg: negative Gemm size m=%d n=%d k=%d", m, n, k))
	}
	ra, ca := m, k
	if tA {
		ra, ca = k, m
	}
	rb, cb := k, n
	if tB {
		rb, cb = n, k
	}
	checkMatrix("a", ra, ca, a, lda)
	checkMatrix("b", rb, cb, b, ldb)
	checkMatrix("c", m, n, c, ldc)
}

func checkMatrix[T Float](name string, r, c int, s []T, ld int) {
	if ld < max(1, c) {
		panic(fmt.Sprintf("linalg: leading dimension of %s is %d; want ≥ %d", name, ld, max(1, c)))
	}
	if r == 0 || c == 0 {
		return
	}
	if need := (r-1)*ld + c; len(s) < need {
		panic(fmt.Sprintf("linalg: %s has %d elements; a %d×%d matrix with leading dimension %d needs %d", name, len(s), r, c, ld, need))
	}
}
