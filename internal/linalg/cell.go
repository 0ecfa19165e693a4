package linalg

// LSTMCell runs the element-wise part of one LSTM step for one batch row
// in a single pass, for float32 on the AVX2/FMA path, and reports whether
// it did; otherwise (float64, the portable build, or a hidden size that is
// not a multiple of 8) it does nothing and the caller runs its own loops.
//
// gates holds the four pre-activation blocks i, f, g, o, each len(h) long.
// Each gets bias added, and, when wih is not nil (a layer with one input
// feature), x·wih, as gates + (bias + x·wih); then σ, σ, tanh, σ are applied
// in place, and c = f⊙cprev + i⊙g, tc = tanh(c), h = o⊙tc are written.
// Every value is bit for bit what the separate loops and Sigmoid/Tanh calls
// compute in float32: only the passes over memory are fused.
func LSTMCell[T Float](gates, bias, wih []T, x T, cprev, c, tc, h []T) bool {
	n := len(h)
	if !fastKernel || !is32[T]() || n == 0 || n%8 != 0 {
		return false
	}
	if len(gates) < 4*n || len(bias) < 4*n || (wih != nil && len(wih) < 4*n) || len(cprev) < n || len(c) < n || len(tc) < n {
		panic("linalg: LSTMCell: slices shorter than 4·len(h) gates or len(h) states")
	}
	w, inl := cellInput(bias, wih)
	lstmCellAVX2s(&f32s(gates)[0], &f32s(bias)[0], &f32s(w)[0], float32(x), &f32s(cprev)[0], &f32s(c)[0], &f32s(tc)[0], &f32s(h)[0], n, inl)
	return true
}

// RNNCell is LSTMCell for the tanh RNN: pre holds one block of len(h)
// pre-activations; it gets bias (and x·wih) added, tanh is applied in
// place, and the result is copied to h.
func RNNCell[T Float](pre, bias, wih []T, x T, h []T) bool {
	n := len(h)
	if !fastKernel || !is32[T]() || n == 0 || n%8 != 0 {
		return false
	}
	if len(pre) < n || len(bias) < n || (wih != nil && len(wih) < n) {
		panic("linalg: RNNCell: slices shorter than len(h)")
	}
	w, inl := cellInput(bias, wih)
	rnnCellAVX2s(&f32s(pre)[0], &f32s(bias)[0], &f32s(w)[0], float32(x), &f32s(h)[0], n, inl)
	return true
}

// cellInput returns the input weights to pass to a cell kernel and its inl
// flag: without input weights the kernel reads none, and gets bias as a
// valid pointer.
func cellInput[T Float](bias, wih []T) ([]T, int) {
	if wih == nil {
		return bias, 0
	}
	return wih, 1
}
