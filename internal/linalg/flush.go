package linalg

// FlushTiny sets to zero every element of s whose magnitude is below
// 2^-100 (about 7.9e-31), for float32 only; for float64 it does nothing.
//
// Backpropagation through time multiplies a gradient by a forget gate or a
// tanh' at every step, so over a few hundred steps it decays into float32's
// subnormal range (below 1.2e-38), where every multiply and FMA on x86
// takes a microcode assist: a float32 LSTM step at sequence length 256 ran
// ten times slower than the float64 one. Flushing the carried gradients
// well above that range keeps the products with the weights normal too.
// The values flushed are more than 20 orders of magnitude below float32's
// precision relative to any gradient of order 1e-10 or more, so the sums
// they would enter do not change; float64, whose subnormals start at 1e-308,
// is left bit for bit as it was.
func FlushTiny[T Float](s []T) {
	if !is32[T]() {
		return
	}
	const tiny = 0x1p-100
	for i, v := range s {
		if v < tiny && v > -tiny {
			s[i] = 0
		}
	}
}
