//go:build amd64 && !purego

package linalg

//go:generate go run gen_kernel.go -out kernel_amd64.s
//go:generate go run gen_vmath.go -out vmath_amd64.s

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

// kernAVX2 is the register-blocked micro-kernel of kernel_amd64.s: it writes
// alpha·A·B + beta·C into the mr×4nv tile at c (leading dimension ldc), where
// a holds k groups of mr values and b holds k groups of nr values, of which
// the first 4nv are used (1 ≤ nv ≤ nr/4). C is read only when loadC is not
// zero. It requires k ≥ 1.
//
//go:noescape
func kernAVX2(k int, a, b, c *float64, ldc int, alpha, beta float64, loadC, nv int)

// kernAVX2s is kernAVX2 for float32: b holds k groups of nr32 values, of
// which the first 8nv are used (1 ≤ nv ≤ nr32/8), eight lanes per vector.
//
//go:noescape
func kernAVX2s(k int, a, b, c *float32, ldc int, alpha, beta float32, loadC, nv int)

// fmaPeak and fmaPeaks run n iterations of 12 independent register-only
// FMAs on float64 and float32 vectors: the machine's FMA throughput, for
// the benchmarks' %peak.
//
//go:noescape
func fmaPeak(n int)

//go:noescape
func fmaPeaks(n int)

// haveAVX2FMA reports whether the CPU and the OS support AVX2 and FMA3.
func haveAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // XMM and YMM state enabled by the OS
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}

var fastKernel = haveAVX2FMA()

const kernelName = "avx2-fma"

// Packing routines of kernel_amd64.s. packCopyW copies kc rows of W
// contiguous values, lds apart, into dst; packTransW reads W rows, lds apart,
// of 4·kc4 contiguous values and writes them transposed as 4·kc4 groups of W.
// Callers check the bounds.

//go:noescape
func packCopy4(kc int, src *float64, lds int, dst *float64)

//go:noescape
func packCopy12(kc int, src *float64, lds int, dst *float64)

//go:noescape
func packTrans4(kc4 int, src *float64, lds int, dst *float64)

//go:noescape
func packTrans12(kc4 int, src *float64, lds int, dst *float64)

// Activations of vmath_amd64.s over the first n&^3 elements.

//go:noescape
func sigmoidAVX2(dst, x *float64, n int)

//go:noescape
func tanhAVX2(dst, x *float64, n int)

// Their float32 forms over the first n&^7 elements.

//go:noescape
func sigmoidAVX2s(dst, x *float32, n int)

//go:noescape
func tanhAVX2s(dst, x *float32, n int)

// lstmCellAVX2s and rnnCellAVX2s run the element-wise part of one
// recurrent step for one batch row (see gen_vmath.go); n is a multiple of 8.

//go:noescape
func lstmCellAVX2s(row, bias, w *float32, x float32, cprev, c, tc, h *float32, n, inl int)

//go:noescape
func rnnCellAVX2s(row, bias, w *float32, x float32, h *float32, n, inl int)

// packTrans4s is packTrans4 for float32: 4 rows of 8·kc8 values.
//
//go:noescape
func packTrans4s(kc8 int, src *float32, lds int, dst *float32)
