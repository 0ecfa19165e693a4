package linalg

import "unsafe"

// Float is the element type of the matrices and vectors of this package:
// every function exists for float64 and for float32, one generic
// implementation with a micro-kernel per type. Go compiles the two
// instantiations separately, so the float64 path pays nothing for the
// float32 one. The type is chosen once per call, outside the inner loops.
type Float interface{ float32 | float64 }

// is32 reports whether T is float32.
func is32[T Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// nrOf returns the column width of T's micro-kernel tile: nr or nr32.
func nrOf[T Float]() int {
	if is32[T]() {
		return nr32
	}
	return nr
}

// f64s and f32s view a []T as the concrete slice type it is; callers
// check which with is32. (A conversion through any would allocate.)
func f64s[T Float](s []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func f32s[T Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// f64p views a *T as the *float64 it is (T is float64).
func f64p[T Float](p *T) *float64 { return (*float64)(unsafe.Pointer(p)) }

// fastKern returns T's assembly micro-kernel.
func fastKern[T Float]() kernel[T] {
	if is32[T]() {
		return any(kernel[float32](kernAVX2s)).(kernel[T])
	}
	return any(kernel[float64](kernAVX2)).(kernel[T])
}
