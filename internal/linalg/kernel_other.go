//go:build !amd64 || purego

package linalg

// fastKernel is false: without amd64 assembly every Gemm takes the portable path.
var fastKernel = false

const kernelName = "portable"

func kernAVX2(k int, a, b, c *float64, ldc int, alpha, beta float64, loadC, nv int) {
	panic("linalg: no assembly kernel in this build")
}

func kernAVX2s(k int, a, b, c *float32, ldc int, alpha, beta float32, loadC, nv int) {
	panic("linalg: no assembly kernel in this build")
}

func packCopy4(kc int, src *float64, lds int, dst *float64)    { panic("linalg: no assembly") }
func packCopy12(kc int, src *float64, lds int, dst *float64)   { panic("linalg: no assembly") }
func packTrans4(kc4 int, src *float64, lds int, dst *float64)  { panic("linalg: no assembly") }
func packTrans12(kc4 int, src *float64, lds int, dst *float64) { panic("linalg: no assembly") }

func sigmoidAVX2(dst, x *float64, n int) { panic("linalg: no assembly") }
func tanhAVX2(dst, x *float64, n int)    { panic("linalg: no assembly") }

func sigmoidAVX2s(dst, x *float32, n int) { panic("linalg: no assembly") }
func tanhAVX2s(dst, x *float32, n int)    { panic("linalg: no assembly") }

func fmaPeak(n int)  { panic("linalg: no assembly") }
func fmaPeaks(n int) { panic("linalg: no assembly") }

func lstmCellAVX2s(row, bias, w *float32, x float32, cprev, c, tc, h *float32, n, inl int) {
	panic("linalg: no assembly")
}
func rnnCellAVX2s(row, bias, w *float32, x float32, h *float32, n, inl int) {
	panic("linalg: no assembly")
}

func packTrans4s(kc8 int, src *float32, lds int, dst *float32) { panic("linalg: no assembly") }
