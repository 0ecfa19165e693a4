package models

import (
	"fmt"

	"github.com/tsf-go/tsf/internal/linalg"
)

// Backward backpropagates dOut, the gradient of the loss with respect to
// the last Forward's output (same shape), through the head and through
// time, and accumulates (+=) into every Param.G. Call ZeroGrad first to
// start from zero. It panics if there was no Forward since the last
// Backward or if len(dOut) is wrong.
func (n *NetworkOf[F]) Backward(dOut []F) {
	n.checkBackward()
	T, B, H, O := n.steps, n.rows, n.cfg.Hidden, n.cfg.Output
	top := n.layers[len(n.layers)-1]
	hrows, rows := top.hs[T*B*H:(T+1)*B*H], B
	if n.cfg.PerStep {
		hrows, rows = top.hs[B*H:(T+1)*B*H], T*B
	}
	if len(dOut) != rows*O {
		panic(fmt.Sprintf("models: Backward gradient has length %d; want %d", len(dOut), rows*O))
	}
	// Head: dW += dOutᵀ·h, db += Σ dOut, dh = dOut·W.
	linalg.Gemm(true, false, O, H, rows, 1, dOut, O, hrows, H, 1, n.headW.G, H)
	for r := 0; r < rows; r++ {
		for k, v := range dOut[r*O : (r+1)*O] {
			n.headB.G[k] += v
		}
	}
	dh := top.dh[:T*B*H]
	if n.cfg.PerStep {
		linalg.Gemm(false, false, rows, H, O, 1, dOut, O, n.headW.W, H, 0, dh, H)
	} else {
		zero(dh[:(T-1)*B*H])
		linalg.Gemm(false, false, B, H, O, 1, dOut, O, n.headW.W, H, 0, dh[(T-1)*B*H:], H)
	}
	n.backwardStack()
}

// BackwardHidden backpropagates dH, the gradient of the loss with respect
// to the top layer's hidden states (T, B, Hidden) as returned by Outputs,
// through time, skipping the head. It accumulates into Param.G and
// panics like Backward.
func (n *NetworkOf[F]) BackwardHidden(dH []F) {
	n.checkBackward()
	T, B, H := n.steps, n.rows, n.cfg.Hidden
	if len(dH) != T*B*H {
		panic(fmt.Sprintf("models: BackwardHidden gradient has length %d; want T*B*Hidden = %d", len(dH), T*B*H))
	}
	copy(n.layers[len(n.layers)-1].dh[:T*B*H], dH)
	n.backwardStack()
}

func (n *NetworkOf[F]) checkBackward() {
	if !n.hasData || n.backed {
		panic("models: Backward without a Forward since the last Backward")
	}
	n.backed = true
}

func (n *NetworkOf[F]) backwardStack() {
	T, B, H := n.steps, n.rows, n.cfg.Hidden
	lo := 0
	if k := n.cfg.Truncate; k > 0 && k < T {
		lo = T - k
	}
	for li := len(n.layers) - 1; li >= 0; li-- {
		l := n.layers[li]
		x, dx := n.x, []F(nil) // layer 0's dx waits for InputGrad
		if li > 0 {
			below := n.layers[li-1]
			x, dx = below.hs[B*H:(T+1)*B*H], below.dh[:T*B*H]
		}
		l.backward(x, dx, T, B, lo)
	}
	n.dxStale, n.dxLo = true, lo
}

// backward runs BPTT for one layer from step T-1 down to lo. On entry l.dh
// holds the direct gradient dL/dh_t; on return it holds the total one, dx
// holds dL/dx (zero before lo), the weight gradients have been accumulated
// and dhr/dcr hold the gradient of the initial state (zero if lo > 0).
func (l *layer[F]) backward(x, dx []F, T, B, lo int) {
	H := l.h
	G := l.g * H
	dhr, dcr := l.dhr[:B*H], l.dcr[:B*H]
	da := l.da
	dahh := l.da // recurrent-side pre-activation gradient (differs for GRU)
	if l.cell == GRU {
		dahh = l.dahh
	}
	l.pwhhB.Pack(false, G, H, l.whh.W, H)
	l.pass(true, x, T, B, lo)
	if len(l.reset) > 0 {
		l.cutResets(T, B, lo, dahh)
	}
	rows := (T - lo) * B
	dA := da[lo*B*G : T*B*G]
	dAhh := dahh[lo*B*G : T*B*G]
	// Weight gradients as one GEMM over all steps, or, for inline input,
	// from the per-row sums of the backward pass.
	linalg.Gemm(true, false, G, H, rows, 1, dAhh, G, l.hs[lo*B*H:], H, 1, l.whh.G, H)
	if l.inline {
		w := G * (l.in + 1)
		zero(l.bsum)
		for b := 0; b < B; b++ {
			acc := l.gacc[b*w : (b+1)*w]
			for j, v := range acc[:G] {
				l.bsum[j] += v
			}
			for i := 0; i < l.in; i++ {
				for j, v := range acc[(i+1)*G : (i+2)*G] {
					l.wih.G[j*l.in+i] += v
				}
			}
		}
	} else {
		linalg.Gemm(true, false, G, l.in, rows, 1, dA, G, x[lo*B*l.in:], l.in, 1, l.wih.G, l.in)
		colSum(l.bsum, dA, rows, G)
	}
	for j, v := range l.bsum {
		l.bih.G[j] += v
	}
	if l.cell == GRU {
		colSum(l.bsum, dAhh, rows, G)
	}
	for j, v := range l.bsum {
		l.bhh.G[j] += v
	}
	if dx != nil {
		l.inputGrad(dx, T, B, lo)
	}
	if lo > 0 {
		zero(l.dh[:lo*B*H])
		zero(dhr)
		zero(dcr)
	}
}

func (l *layer[F]) isReset(t, b int) bool {
	for _, r := range l.reset {
		if r.t == t && r.b == b {
			return true
		}
	}
	return false
}

// cutResets removes, for every row reset at a step in [lo, T), the W_hh
// gradient that the fused GEMM will attribute to the (unused) previous
// hidden state. (The backward pass cut dhr and dcr there.)
func (l *layer[F]) cutResets(T, B, lo int, dahh []F) {
	H := l.h
	G := l.g * H
	for _, r := range l.reset {
		if r.t < lo || r.t >= T {
			continue
		}
		t := r.t
		d := dahh[(t*B+r.b)*G : (t*B+r.b+1)*G]
		hp := l.hs[(t*B+r.b)*H : (t*B+r.b+1)*H]
		for gi, dv := range d { // dW_hh -= d·h_{t-1}ᵀ, cancelled in advance
			row := l.whh.G[gi*H : (gi+1)*H]
			for j, hv := range hp {
				row[j] -= dv * hv
			}
		}
	}
}

// inputGrad writes dL/dx = da·W_ih (zero before step lo) into dx.
func (l *layer[F]) inputGrad(dx []F, T, B, lo int) {
	G := l.g * l.h
	zero(dx[:lo*B*l.in])
	linalg.Gemm(false, false, (T-lo)*B, l.in, G, 1, l.da[lo*B*G:T*B*G], G, l.wih.W, l.in, 0, dx[lo*B*l.in:], l.in)
}

// InputGrad returns dL/dx of shape (T, B, Input) from the last Backward,
// in a buffer owned by n. It is computed on the first call after a
// Backward (training does not need it), so call it before the next
// Forward.
func (n *NetworkOf[F]) InputGrad() []F {
	dx := n.dx[:n.steps*n.rows*n.cfg.Input]
	if n.dxStale {
		n.layers[0].inputGrad(dx, n.steps, n.rows, n.dxLo)
		n.dxStale = false
	}
	return dx
}

// Outputs returns the top layer's hidden states h_t of the last Forward,
// shape (T, B, Hidden), in a buffer owned by n.
func (n *NetworkOf[F]) Outputs() []F {
	top := n.layers[len(n.layers)-1]
	H := n.cfg.Hidden
	return top.hs[n.rows*H : (n.steps+1)*n.rows*H]
}

// colSum writes the column sums of the rows×cols matrix a into dst.
func colSum[F Float](dst, a []F, rows, cols int) {
	zero(dst)
	for r := 0; r < rows; r++ {
		row := a[r*cols : (r+1)*cols]
		for j, v := range row {
			dst[j] += v
		}
	}
}
