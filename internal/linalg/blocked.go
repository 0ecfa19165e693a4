package linalg

// The blocked Gemm, after Goto and van de Geijn ("Anatomy of high-performance
// matrix multiplication") and BLIS: C is walked in nc-wide column blocks; for
// each kc-deep slice of k, op(B) is packed into nr-wide panels, then op(A) is
// packed into mr-tall panels mc rows at a time, and the micro-kernel
// multiplies one A panel by one B panel into one mr×nr tile of C. Packing
// makes all four transpose combinations one case for the kernel and pads the
// edges with zeros, so the kernel always sees full panels; edge tiles of C 4 or
// 8 columns wide (8 or 16 for float32) use narrower sections of the kernel,
// other partial tiles go through a small buffer. The code is generic over
// the element type; float32 panels are nr32 = 2·nr wide, so a B panel takes
// the same bytes in both types.

// Cache blocking, in elements. kc·nr·8 bytes (one B panel, 24 KiB) stays in
// L1 while the kernel walks the A block; mc·kc·8 (256 KiB) stays in L2; the
// B block, kc·nc·8 (1 MiB), in L2 and L3 (half of that for float32 A and B
// blocks). Chosen for Zen 4 (32 KiB L1d, 1 MiB L2); measurements on the
// shared machine could not separate nearby values.
const (
	kcBlock = 256
	mcBlock = 128 // multiple of mr
	ncBlock = 504 // multiple of nr and nr32
)

// packAsm selects the assembly packing routines; they need nr = 12 and
// mr = 4, the widths gen_kernel.go writes them for, and are float64 only.
var packAsm = fastKernel && mr == 4 && nr == 12

// kernel is the micro-kernel contract shared by the assembly and the Go
// reference: see kernAVX2.
type kernel[T Float] func(k int, a, b, c *T, ldc int, alpha, beta T, loadC, nv int)

// workspace holds one goroutine's packing buffers and its share of a
// parallel call. Workspaces are recycled, so a warm Gemm does not allocate.
type workspace[T Float] struct {
	pa   []T // packed A block: ceil(mc/mr) panels of kc×mr
	pb   []T // packed B block: ceil(nc/nr) panels of kc×nr
	tile [mr * nr32]T
	jobs []job[T]      // the parts of a parallel call made from this workspace
	done chan struct{} // workers signal finished parts here
}

func newWorkspace[T Float]() *workspace[T] {
	return &workspace[T]{
		pa:   make([]T, mcBlock*kcBlock),
		pb:   make([]T, ncBlock*kcBlock),
		done: make(chan struct{}, maxThreads),
	}
}

// gemmBlocked computes C = alpha·op(A)·op(B) + beta·C for m, n, k ≥ 1 with the
// given micro-kernel. Shapes have been checked by the caller. When pre is not
// nil it holds op(B) already packed, and column j of this product is column
// col0+j of pre (col0 a multiple of nr); b, ldb and tB are then unused.
func gemmBlocked[T Float](ws *workspace[T], kern kernel[T], tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, pre *PackedB[T], col0 int) {
	for jc := 0; jc < n; jc += ncBlock {
		nc := min(ncBlock, n-jc)
		for pc := 0; pc < k; pc += kcBlock {
			kc := min(kcBlock, k-pc)
			pb := ws.pb
			if pre != nil {
				pb = pre.data[pc*pre.npad+(col0+jc)*kc:]
			} else {
				packB(pb, tB, b, ldb, pc, jc, kc, nc)
			}
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += mcBlock {
				mc := min(mcBlock, m-ic)
				packA(ws.pa, tA, a, lda, ic, pc, mc, kc)
				macroKernel(ws, pb, kern, mc, nc, kc, alpha, bet, c[ic*ldc+jc:], ldc)
			}
		}
	}
}

// macroKernel multiplies the packed mc×kc block of A by the packed kc×nc
// block of B in pb into the mc×nc block of C at c.
func macroKernel[T Float](ws *workspace[T], pb []T, kern kernel[T], mc, nc, kc int, alpha, beta T, c []T, ldc int) {
	loadC := 0
	if beta != 0 {
		loadC = 1
	}
	// Lanes per vector as a shift (4 or 8): no division per tile.
	nr, lshift := nrOf[T](), 2
	if is32[T]() {
		lshift = 3
	}
	for jr := 0; jr < nc; jr += nr {
		nrr := min(nr, nc-jr)
		bp := &pb[jr*kc]
		for ir := 0; ir < mc; ir += mr {
			mrr := min(mr, mc-ir)
			ap := &ws.pa[ir*kc]
			off := ir*ldc + jr
			if mrr == mr && nrr&(1<<lshift-1) == 0 {
				// In bounds: the caller checked len(c) ≥ (m-1)·ldc + n.
				_ = c[off+(mr-1)*ldc+nrr-1]
				kern(kc, ap, bp, &c[off], ldc, alpha, beta, loadC, nrr>>lshift)
				continue
			}
			t := ws.tile[:mr*nr]
			kern(kc, ap, bp, &t[0], nr, alpha, 0, 0, nr>>lshift)
			for i := 0; i < mrr; i++ {
				ci := c[off+i*ldc : off+i*ldc+nrr]
				ti := t[i*nr : i*nr+nrr]
				if beta == 0 {
					copy(ci, ti)
					continue
				}
				for j, v := range ti {
					ci[j] = v + beta*ci[j]
				}
			}
		}
	}
}

// packA packs rows ic..ic+mc and columns pc..pc+kc of op(A) into dst as
// mr-tall panels, each kc groups of mr values, zero-padding the last panel.
func packA[T Float](dst []T, tA bool, a []T, lda, ic, pc, mc, kc int) {
	asm := packAsm && !is32[T]()
	for ir := 0; ir < mc; ir += mr {
		mrr := min(mr, mc-ir)
		d := dst[ir*kc : ir*kc+kc*mr]
		i0 := ic + ir
		if tA {
			// op(A)(i, p) = a[p·lda + i]: each group is a contiguous run.
			if mrr == mr && asm {
				_ = a[(pc+kc-1)*lda+i0+mr-1]
				packCopy4(kc, f64p(&a[pc*lda+i0]), lda, f64p(&d[0]))
				continue
			}
			if mrr == mr { // four loads and stores, not a copy call per group
				for p := 0; p < kc; p++ {
					src := a[(pc+p)*lda+i0 : (pc+p)*lda+i0+4 : (pc+p)*lda+i0+4]
					g := d[p*mr : p*mr+4 : p*mr+4]
					g[0], g[1], g[2], g[3] = src[0], src[1], src[2], src[3]
				}
				continue
			}
			for p := 0; p < kc; p++ {
				src := a[(pc+p)*lda+i0 : (pc+p)*lda+i0+mrr]
				g := d[p*mr : p*mr+mr]
				copy(g, src)
				for r := mrr; r < mr; r++ {
					g[r] = 0
				}
			}
			continue
		}
		// op(A)(i, p) = a[i·lda + p]: rows are contiguous, groups are strided.
		if mrr == mr && packAsm && is32[T]() && kc >= 8 {
			kc8 := kc / 8
			_ = a[(i0+mr-1)*lda+pc+8*kc8-1]
			packTrans4s(kc8, &f32s(a)[i0*lda+pc], lda, &f32s(d)[0])
			for p := 8 * kc8; p < kc; p++ {
				for r := 0; r < mr; r++ {
					d[p*mr+r] = a[(i0+r)*lda+pc+p]
				}
			}
			continue
		}
		if mrr == mr && asm && kc >= 4 {
			kc4 := kc / 4
			_ = a[(i0+mr-1)*lda+pc+4*kc4-1]
			packTrans4(kc4, f64p(&a[i0*lda+pc]), lda, f64p(&d[0]))
			for p := 4 * kc4; p < kc; p++ {
				for r := 0; r < mr; r++ {
					d[p*mr+r] = a[(i0+r)*lda+pc+p]
				}
			}
			continue
		}
		if mrr == mr {
			r0 := a[(i0+0)*lda+pc : (i0+0)*lda+pc+kc]
			r1 := a[(i0+1)*lda+pc : (i0+1)*lda+pc+kc]
			r2 := a[(i0+2)*lda+pc : (i0+2)*lda+pc+kc]
			r3 := a[(i0+3)*lda+pc : (i0+3)*lda+pc+kc]
			for p := range r0 {
				g := d[p*mr : p*mr+4 : p*mr+4]
				g[0], g[1], g[2], g[3] = r0[p], r1[p], r2[p], r3[p]
			}
			continue
		}
		for r := 0; r < mr; r++ {
			if r >= mrr {
				for p := 0; p < kc; p++ {
					d[p*mr+r] = 0
				}
				continue
			}
			row := a[(i0+r)*lda+pc : (i0+r)*lda+pc+kc]
			for p, v := range row {
				d[p*mr+r] = v
			}
		}
	}
}

// packB packs rows pc..pc+kc and columns jc..jc+nc of op(B) into dst as
// nr-wide panels, each kc groups of nr values, zero-padding the last panel.
func packB[T Float](dst []T, tB bool, b []T, ldb, pc, jc, kc, nc int) {
	asm := packAsm && !is32[T]()
	nr := nrOf[T]()
	for jr := 0; jr < nc; jr += nr {
		nrr := min(nr, nc-jr)
		d := dst[jr*kc : jr*kc+kc*nr]
		j0 := jc + jr
		if !tB {
			// op(B)(p, j) = b[p·ldb + j]: each group is a contiguous run.
			if nrr == nr && asm {
				_ = b[(pc+kc-1)*ldb+j0+nr-1]
				packCopy12(kc, f64p(&b[pc*ldb+j0]), ldb, f64p(&d[0]))
				continue
			}
			for p := 0; p < kc; p++ {
				src := b[(pc+p)*ldb+j0 : (pc+p)*ldb+j0+nrr]
				g := d[p*nr : p*nr+nr]
				copy(g, src)
				for j := nrr; j < nr; j++ {
					g[j] = 0
				}
			}
			continue
		}
		// op(B)(p, j) = b[j·ldb + p]: columns of op(B) are contiguous.
		if nrr == nr && asm && kc >= 4 {
			kc4 := kc / 4
			_ = b[(j0+nr-1)*ldb+pc+4*kc4-1]
			packTrans12(kc4, f64p(&b[j0*ldb+pc]), ldb, f64p(&d[0]))
			for p := 4 * kc4; p < kc; p++ {
				for j := 0; j < nr; j++ {
					d[p*nr+j] = b[(j0+j)*ldb+pc+p]
				}
			}
			continue
		}
		for j := 0; j < nr; j++ {
			if j >= nrr {
				for p := 0; p < kc; p++ {
					d[p*nr+j] = 0
				}
				continue
			}
			col := b[(j0+j)*ldb+pc : (j0+j)*ldb+pc+kc]
			for p, v := range col {
				d[p*nr+j] = v
			}
		}
	}
}
