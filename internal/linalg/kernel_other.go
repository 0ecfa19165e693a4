//go:build !amd64 || purego

package linalg

// fastKernel is false: without amd64 assembly every Gemm takes the portable path.
var fastKernel = false

const kernelName = "portable"

func kernAVX2(k int, a, b, c *float64, ldc int, alpha, beta float64, loadC int) {
	panic("linalg: no assembly kernel in this build")
}
