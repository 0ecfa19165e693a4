package linalg

// PackedB holds the right-hand operand op(B) of a product, packed once for
// many GemmPacked calls: a recurrent layer multiplies by the same weight
// matrix at every time step, and packing it each time costs as much as a
// tenth of the product. Pack it again whenever the weights change.
//
// The zero value is empty and ready for Pack; a PackedB reuses its memory,
// so packing the same shape again does not allocate.
type PackedB[T Float] struct {
	k, n int
	npad int  // n rounded up to a multiple of the tile width (the fast layout)
	fast bool // data is in the micro-kernel's panel layout
	data []T  // fast: per kc block, npad/nr panels of kc×nr; else op(B) as k×n row-major
}

// Pack stores op(B), which is k×n: B itself (k×n, leading dimension ldb) when
// tB is false, or the transpose of the n×k matrix B when tB is true. It
// panics with a "linalg: " message when the shape does not fit b.
func (p *PackedB[T]) Pack(tB bool, k, n int, b []T, ldb int) {
	if k < 0 || n < 0 {
		panic("linalg: negative PackedB size")
	}
	rb, cb := k, n
	if tB {
		rb, cb = n, k
	}
	checkMatrix("b", rb, cb, b, ldb)
	p.k, p.n = k, n
	p.fast = fastKernel
	if !p.fast {
		p.npad = n
		p.data = grow(p.data, k*n)
		for i := 0; i < k; i++ {
			for j := 0; j < n; j++ {
				if tB {
					p.data[i*n+j] = b[j*ldb+i]
				} else {
					p.data[i*n+j] = b[i*ldb+j]
				}
			}
		}
		return
	}
	nr := nrOf[T]()
	p.npad = (n + nr - 1) / nr * nr
	p.data = grow(p.data, k*p.npad)
	if k == 0 || n == 0 {
		return
	}
	for pc := 0; pc < k; pc += kcBlock {
		kc := min(kcBlock, k-pc)
		packB(p.data[pc*p.npad:], tB, b, ldb, pc, 0, kc, n)
	}
}

// Dims returns the shape k×n of the packed op(B).
func (p *PackedB[T]) Dims() (k, n int) { return p.k, p.n }

func grow[T Float](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// GemmPacked computes C = alpha·op(A)·op(B) + beta·C like Gemm, with op(B)
// (k×n) taken from b as packed by Pack; op(A) is m×k and C is m×n. It panics
// with a "linalg: " message when the shapes do not fit. Matrix-vector
// products (n = 1) are faster through Gemm, which does not pack.
func GemmPacked[T Float](tA bool, m int, alpha T, a []T, lda int, b *PackedB[T], beta T, c []T, ldc int) {
	gemmPacked(Threads(), tA, m, alpha, a, lda, b, beta, c, ldc)
}

// GemmPackedSerial is GemmPacked on the calling goroutine only, whatever
// the size and SetThreads say: for callers that already run one product per
// core (a recurrent layer splitting its batch rows across goroutines). On
// the fast path each element of C gets the same arithmetic as in GemmPacked
// and in Gemm: its sum runs over k in the same order whatever m, n and the
// thread count.
func GemmPackedSerial[T Float](tA bool, m int, alpha T, a []T, lda int, b *PackedB[T], beta T, c []T, ldc int) {
	gemmPacked(1, tA, m, alpha, a, lda, b, beta, c, ldc)
}

func gemmPacked[T Float](threads int, tA bool, m int, alpha T, a []T, lda int, b *PackedB[T], beta T, c []T, ldc int) {
	k, n := b.k, b.n
	if m < 0 {
		panic("linalg: negative GemmPacked size")
	}
	ra, ca := m, k
	if tA {
		ra, ca = k, m
	}
	checkMatrix("a", ra, ca, a, lda)
	checkMatrix("c", m, n, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if !b.fast {
		portableGemm(tA, false, m, n, k, alpha, a, lda, b.data, max(1, n), beta, c, ldc)
		return
	}
	gemmFast(threads, fastKern[T](), tA, false, m, n, k, alpha, a, lda, nil, 0, beta, c, ldc, b)
}
