package models

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/tsf-go/tsf/internal/linalg"
)

// Batch rows are independent sequences, so a layer's forward and backward
// passes over all T steps are split by batch rows into parts, each run
// start to finish by one goroutine: a small pool of long-lived workers and
// the caller. There is one hand-off per layer and pass, not one per step.
// A part is claimed with a compare-and-swap on a per-layer slot tagged with
// a dispatch sequence number, and the caller runs every part no worker has
// claimed yet: a busy or descheduled worker never makes a pass slower than
// doing it alone, and stale jobs are ignored. Inside a part the products
// run on its own goroutine (linalg.GemmPackedSerial), and every row gets
// the same arithmetic whatever the split, so the split changes no number.
// Jobs are plain values on a channel: nothing is allocated per pass, and
// several Networks may run at once.

// maxWorkers bounds the number of parts of a pass.
const maxWorkers = 64

// parMinWork is the least T·B·G·H (multiply-adds of the recurrent
// products of a pass) for which a pass is split across goroutines: below
// it (tens of microseconds) the hand-off costs more than it saves.
// minPartRows is the least number of batch rows in a part.
const (
	parMinWork  = 1 << 20
	minPartRows = 4
)

// Part states, in the low two bits of a claim slot; the rest is the
// dispatch sequence number.
const (
	partFree uint64 = iota
	partRunning
	partDone
)

// partRunner is a layer of either element type, as the workers see it.
type partRunner interface {
	runPart(part int)
	dispatch() *rowDispatch
}

type rowJob struct {
	l    partRunner
	seq  uint64
	part int
}

// rowDispatch is the pass a layer is currently splitting (the layer input
// is in the layer's dispX).
type rowDispatch struct {
	T, B, lo, parts int
	backward        bool
	seq             uint64
	claim           [maxWorkers]atomic.Uint64
	done            chan struct{} // a worker finished a part
}

// partRows returns the batch rows [b0, b1) of part p of parts: boundaries
// on multiples of 4 (the GEMM kernel's row tile) except the last.
func partRows(p, parts, B int) (b0, b1 int) {
	at := func(q int) int {
		if q >= parts {
			return B
		}
		return (q * B / parts) &^ 3
	}
	return at(p), at(p + 1)
}

func (l *layer[F]) dispatch() *rowDispatch { return l.disp }

func (l *layer[F]) runPart(part int) {
	d := l.disp
	b0, b1 := partRows(part, d.parts, d.B)
	if b0 >= b1 {
		return
	}
	switch {
	case d.backward:
		l.backwardRows(l.dispX, d.T, d.B, d.lo, b0, b1)
	case l.infer:
		// Inference keeps no caches for a backward pass, so a block of
		// rows can run through all T steps before the next: its gates,
		// states and products stay in L1/L2, where a part's thousands of
		// rows at once streamed megabytes through the caches every step.
		for r0 := b0; r0 < b1; r0 += inferBlock {
			l.forwardRows(l.dispX, d.T, d.B, r0, min(r0+inferBlock, b1))
		}
	default:
		l.forwardRows(l.dispX, d.T, d.B, b0, b1)
	}
}

// inferBlock is the number of batch rows an inference pass takes through
// all steps at a time; a multiple of the GEMM kernel's row tile.
const inferBlock = 64

var pool struct {
	once sync.Once
	jobs chan rowJob
	n    int // workers started
}

func startPool() {
	pool.n = min(runtime.NumCPU(), maxWorkers) - 1
	pool.jobs = make(chan rowJob, maxWorkers)
	for i := 0; i < pool.n; i++ {
		go func() {
			for j := range pool.jobs {
				d := j.l.dispatch()
				c := &d.claim[j.part]
				if c.CompareAndSwap(j.seq<<2|partFree, j.seq<<2|partRunning) {
					j.l.runPart(j.part)
					c.Store(j.seq<<2 | partDone)
					d.done <- struct{}{}
				}
			}
		}()
	}
}

// pass runs the forward (x is the layer input) or backward pass of the
// layer over steps lo..T-1 and all B rows, split by rows across up to
// GOMAXPROCS goroutines (the caller's included) when it is large enough.
func (l *layer[F]) pass(backward bool, x []F, T, B, lo int) {
	d := l.disp
	l.dispX = x
	d.T, d.B, d.lo, d.backward = T, B, lo, backward
	defer func() { l.dispX = nil }()
	parts := min(runtime.GOMAXPROCS(0), B/minPartRows, maxWorkers)
	if parts > 1 && (T-lo)*B*l.g*l.h*l.h >= parMinWork {
		pool.once.Do(startPool)
		parts = min(parts, pool.n+1)
	} else {
		parts = 1
	}
	d.parts = parts
	if parts <= 1 {
		l.runPart(0)
		return
	}
	d.seq++
	seq := d.seq
	for p := 1; p < parts; p++ {
		d.claim[p].Store(seq<<2 | partFree)
	}
	for p := 1; p < parts; p++ {
		select {
		case pool.jobs <- rowJob{l, seq, p}:
		default: // queue full: the caller will run it
		}
	}
	l.runPart(0)
	wait := 0
	for p := 1; p < parts; p++ {
		if d.claim[p].CompareAndSwap(seq<<2|partFree, seq<<2|partDone) {
			l.runPart(p)
		} else {
			wait++ // a worker has it
		}
	}
	for ; wait > 0; wait-- {
		<-d.done
	}
}

// forwardRows runs steps 0..T-1 of the layer for batch rows [b0, b1).
func (l *layer[F]) forwardRows(x []F, T, B, b0, b1 int) {
	H := l.h
	G := l.g * H
	nb := b1 - b0
	for t := 0; t < T; t++ {
		hprev := l.hs[(t*B+b0)*H : (t*B+b1)*H]
		var cprev []F
		if l.cell == LSTM {
			cprev = l.cs[(t*B+b0)*H : (t*B+b1)*H]
		}
		hprev = l.applyResets(t, B, b0, b1, hprev, cprev)
		p, _, _ := l.stepBufs(t, B)
		p = p[b0*G : b1*G]
		if l.infer && !l.inline { // inference: the input projection step by step
			linalg.GemmPackedSerial(false, nb, 1, x[(t*B+b0)*l.in:(t*B+b1)*l.in], l.in, &l.pwih, 0, p, G)
		}
		// Recurrent projection, all gates fused: (nb, H)·(H, G*H), onto the
		// input projection unless the element-wise pass adds that.
		switch {
		case l.cell == GRU:
			linalg.GemmPackedSerial(false, nb, 1, hprev, H, &l.pwhh, 0, l.ghh[b0*G:b1*G], G)
		case l.inline:
			linalg.GemmPackedSerial(false, nb, 1, hprev, H, &l.pwhh, 0, p, G)
		default:
			linalg.GemmPackedSerial(false, nb, 1, hprev, H, &l.pwhh, 1, p, G)
		}
		l.fwdRows(x, t, B, b0, b1, hprev, cprev)
	}
}

// backwardRows runs BPTT for batch rows [b0, b1) from step T-1 down to lo.
func (l *layer[F]) backwardRows(x []F, T, B, lo, b0, b1 int) {
	H := l.h
	G := l.g * H
	nb := b1 - b0
	dhr := l.dhr[b0*H : b1*H]
	zero(dhr)
	zero(l.dcr[b0*H : b1*H])
	if l.inline {
		w := G * (l.in + 1)
		zero(l.gacc[b0*w : b1*w])
	}
	for t := T - 1; t >= lo; t-- {
		l.bwdRows(x, t, B, b0, b1)
		// dh_{t-1} = da·W_hh (the GRU adds to its direct part).
		if l.cell == GRU {
			linalg.GemmPackedSerial(false, nb, 1, l.dahh[(t*B+b0)*G:(t*B+b1)*G], G, &l.pwhhB, 1, dhr, H)
		} else {
			linalg.GemmPackedSerial(false, nb, 1, l.da[(t*B+b0)*G:(t*B+b1)*G], G, &l.pwhhB, 0, dhr, H)
		}
		if len(l.reset) > 0 {
			for _, r := range l.reset {
				if r.t == t && r.b >= b0 && r.b < b1 {
					zero(l.dhr[r.b*H : (r.b+1)*H])
					zero(l.dcr[r.b*H : (r.b+1)*H])
				}
			}
		}
	}
}

// stepBufs returns the gate, tanh(c) (LSTM) and W_hn h + b_hn (GRU)
// buffers of step t, all B rows: the training caches, or, in inference
// mode, one step's scratch reused at every step, which stays in cache.
func (l *layer[F]) stepBufs(t, B int) (p, tc, hn []F) {
	H := l.h
	G := l.g * H
	if l.infer {
		return l.sgates[:B*G], l.stc[:B*H], l.shn[:B*H]
	}
	p = l.gates[t*B*G : (t+1)*B*G]
	switch l.cell {
	case LSTM:
		tc = l.tc[t*B*H : (t+1)*B*H]
	case GRU:
		hn = l.hn[t*B*H : (t+1)*B*H]
	}
	return p, tc, hn
}

// addInput adds the biases (and, for a layer with inline input, the input
// projection W_ih x_t) to the pre-activations row of batch row b at step t.
func (l *layer[F]) addInput(row, x []F, t, B, b int) {
	bias := l.bias
	bias = bias[:len(row)]
	if !l.inline {
		for j := range row {
			row[j] += bias[j]
		}
		return
	}
	in := l.in
	xr := x[(t*B+b)*in : (t*B+b+1)*in]
	w := l.wihT[:in*len(row)] // (In, G*H): W_ihᵀ
	if in == 1 {
		xv := xr[0]
		w = w[:len(row)]
		for j := range row {
			row[j] += bias[j] + xv*w[j]
		}
		return
	}
	G := len(row)
	for j := range row {
		v := row[j] + bias[j]
		for i, xv := range xr {
			v += xv * w[i*G+j]
		}
		row[j] = v
	}
}

// cellInput reports whether the step's element-wise pass can run as one
// fused kernel (linalg.LSTMCell, RNNCell), which adds the input inline
// only for one input feature, and returns the input weights it then adds
// (nil when a GEMM already added the input projection).
func (l *layer[F]) cellInput() ([]F, bool) {
	if !l.inline {
		return nil, true
	}
	if l.in == 1 {
		return l.wihT[:l.g*l.h], true
	}
	return nil, false
}

// cellX returns x_t of batch row b for a fused cell with input weights w
// (zero, unused, without).
func (l *layer[F]) cellX(w, x []F, t, B, b int) F {
	if w == nil {
		return 0
	}
	return x[t*B+b]
}

// fwdRows applies the gate nonlinearities of step t to rows [b0, b1):
// on entry gates[t] holds W_hh h_{t-1} plus W_ih x_t unless the layer
// adds that inline (for GRU the recurrent part is in ghh); on return it
// holds the activations and h_t (and c_t) are written. hprev and cprev
// are the rows b0..b1-1 of h_{t-1} and c_{t-1}.
func (l *layer[F]) fwdRows(x []F, t, B, b0, b1 int, hprev, cprev []F) {
	H := l.h
	G := l.g * H
	p, tc, hn := l.stepBufs(t, B)
	h := l.hs[(t+1)*B*H : (t+2)*B*H]
	switch l.cell {
	case RNN:
		w, fused := l.cellInput()
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			if fused && linalg.RNNCell(row, l.bias, w, l.cellX(w, x, t, B, b), h[b*H:(b+1)*H]) {
				continue
			}
			l.addInput(row, x, t, B, b)
			linalg.Tanh(row, row)
			copy(h[b*H:(b+1)*H], row)
		}
	case LSTM:
		c := l.cs[(t+1)*B*H : (t+2)*B*H]
		w, fused := l.cellInput()
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			if fused && linalg.LSTMCell(row, l.bias, w, l.cellX(w, x, t, B, b), cprev[(b-b0)*H:(b-b0+1)*H], c[b*H:(b+1)*H], tc[b*H:(b+1)*H], h[b*H:(b+1)*H]) {
				continue
			}
			l.addInput(row, x, t, B, b)
			linalg.Sigmoid(row[:2*H], row[:2*H]) // i, f
			linalg.Tanh(row[2*H:3*H], row[2*H:3*H])
			linalg.Sigmoid(row[3*H:], row[3*H:]) // o
			cr := c[b*H : (b+1)*H]
			n := len(cr)
			cp := cprev[(b-b0)*H : (b-b0+1)*H][:n]
			ig, fg, gg, og := row[:n], row[H : 2*H][:n], row[2*H : 3*H][:n], row[3*H : 4*H][:n]
			for j := range cr {
				cr[j] = fg[j]*cp[j] + ig[j]*gg[j] // c_t = f⊙c_{t-1} + i⊙g
			}
			tr := tc[b*H : (b+1)*H][:n]
			linalg.Tanh(tr, cr)
			hr := h[b*H : (b+1)*H][:n]
			for j := range hr {
				hr[j] = og[j] * tr[j] // h_t = o⊙tanh(c_t)
			}
		}
	case GRU:
		gh := l.ghh[:B*G]
		bias, bhh := l.bias, l.bhh.W
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			grow := gh[b*G : (b+1)*G]
			for j := 0; j < H; j++ {
				r := sigmoidOf(row[j] + bias[j] + grow[j] + bhh[j])
				z := sigmoidOf(row[H+j] + bias[H+j] + grow[H+j] + bhh[H+j])
				k := b*H + j
				hnv := grow[2*H+j] + bhh[2*H+j]
				nv := tanhOf(row[2*H+j] + bias[2*H+j] + r*hnv) // n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
				row[j], row[H+j], row[2*H+j] = r, z, nv
				hn[k] = hnv
				h[k] = (1-z)*nv + z*hprev[(b-b0)*H+j] // h_t = (1-z)⊙n + z⊙h_{t-1}
			}
		}
	}
}

// bwdRows backpropagates through the element-wise part of step t for rows
// [b0, b1): it adds the recurrent gradient dhr into dh[t], then writes the
// pre-activation gradients (and, for the GRU, the direct part of dh_{t-1}
// into dhr, and dL/d(W_hh h + b_hh) into dahh; for the LSTM dc_{t-1} into
// dcr). A layer with inline input also accumulates, per batch row, the
// bias and W_ih gradients of the step into gacc.
func (l *layer[F]) bwdRows(x []F, t, B, b0, b1 int) {
	H := l.h
	G := l.g * H
	dh := l.dh[t*B*H : (t+1)*B*H]
	dhr, dcr := l.dhr, l.dcr
	p := l.gates[t*B*G : (t+1)*B*G]
	dat := l.da[t*B*G : (t+1)*B*G]
	switch l.cell {
	case RNN:
		for k := b0 * H; k < b1*H; k++ { // backprop through tanh
			dhv := dh[k] + dhr[k] // total gradient = direct + through h_{t+1}
			dh[k] = dhv
			hv := p[k]
			dat[k] = dhv * (1 - hv*hv)
		}
		linalg.FlushTiny(dat[b0*H : b1*H]) // no subnormals into the products
	case LSTM:
		in1 := l.inline && l.in == 1 // gradient sums fused below
		cprev := l.cs[t*B*H : (t+1)*B*H]
		tc := l.tc[t*B*H : (t+1)*B*H]
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			drow := dat[b*G : (b+1)*G]
			dhb := dh[b*H : (b+1)*H]
			n := len(dhb)
			dhrb, dcb := dhr[b*H : (b+1)*H][:n], dcr[b*H : (b+1)*H][:n]
			tcb, cpb := tc[b*H : (b+1)*H][:n], cprev[b*H : (b+1)*H][:n]
			ig, fg, gg, og := row[:n], row[H : 2*H][:n], row[2*H : 3*H][:n], row[3*H : 4*H][:n]
			di, df, dg, do := drow[:n], drow[H : 2*H][:n], drow[2*H : 3*H][:n], drow[3*H : 4*H][:n]
			for j := range dhb {
				i, f, g, o := ig[j], fg[j], gg[j], og[j]
				dhv := dhb[j] + dhrb[j] // total gradient = direct + through h_{t+1}
				dhb[j] = dhv
				tv := tcb[j]
				dc := dcb[j] + dhv*o*(1-tv*tv)    // through h = o⊙tanh(c)
				di[j] = dc * g * i * (1 - i)      // input gate
				df[j] = dc * cpb[j] * f * (1 - f) // forget gate
				dg[j] = dc * i * (1 - g*g)        // candidate
				do[j] = dhv * tv * o * (1 - o)    // output gate
				dcb[j] = dc * f                   // dc_{t-1}
			}
			linalg.FlushTiny(drow) // no subnormals into the products below
			linalg.FlushTiny(dcb)
			if in1 { // bias and W_ih gradient sums while drow is in L1
				acc := l.gacc[b*2*G : (b+1)*2*G]
				ab, aw := acc[:len(drow)], acc[G : 2*G][:len(drow)]
				xv := x[t*B+b]
				for j, v := range drow {
					ab[j] += v
					aw[j] += v * xv
				}
			}
		}
		if in1 {
			return
		}
	case GRU:
		for k := b0 * H; k < b1*H; k++ { // total gradient = direct + through h_{t+1}
			dh[k] += dhr[k]
		}
		hprev := l.hs[t*B*H : (t+1)*B*H]
		hn := l.hn[t*B*H : (t+1)*B*H]
		dht := l.dahh[t*B*G : (t+1)*B*G]
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			drow := dat[b*G : (b+1)*G]
			hrow := dht[b*G : (b+1)*G]
			for j := 0; j < H; j++ {
				r, z, nv := row[j], row[H+j], row[2*H+j]
				k := b*H + j
				dhv, hp := dh[k], hprev[k]
				if len(l.reset) > 0 && l.isReset(t, b) {
					hp = 0
				}
				dan := dhv * (1 - z) * (1 - nv*nv) // through h = (1-z)n + z h_{t-1}, then tanh
				dar := dan * hn[k] * r * (1 - r)   // reset gate
				daz := dhv * (hp - nv) * z * (1 - z)
				drow[j], drow[H+j], drow[2*H+j] = dar, daz, dan
				hrow[j], hrow[H+j], hrow[2*H+j] = dar, daz, dan*r
				dhr[k] = dhv * z // direct path to h_{t-1}
			}
			linalg.FlushTiny(drow) // no subnormals into the products
			linalg.FlushTiny(hrow)
			linalg.FlushTiny(dhr[b*H : (b+1)*H])
		}
	}
	if l.inline {
		l.accRows(x, t, B, b0, b1)
	}
}

// accRows adds the pre-activation gradients of step t, rows [b0, b1), to
// the per-row gradient sums gacc (B, G*(In+1)): the bias part first, then
// W_ihᵀ (In, G*H). Each row has its own sums, so a split by rows changes no
// number; backward reduces them over the rows in order.
func (l *layer[F]) accRows(x []F, t, B, b0, b1 int) {
	G := l.g * l.h
	in := l.in
	w := G * (in + 1)
	dat := l.da[t*B*G : (t+1)*B*G]
	for b := b0; b < b1; b++ {
		drow := dat[b*G : (b+1)*G]
		acc := l.gacc[b*w : (b+1)*w]
		ab := acc[:len(drow)]
		xr := x[(t*B+b)*in : (t*B+b+1)*in]
		if in == 1 {
			aw, xv := acc[G : 2*G][:len(drow)], xr[0]
			for j, v := range drow {
				ab[j] += v
				aw[j] += v * xv
			}
			continue
		}
		for j, v := range drow {
			ab[j] += v
		}
		for i, xv := range xr {
			aw := acc[(i+1)*G : (i+2)*G]
			for j, v := range drow {
				aw[j] += v * xv
			}
		}
	}
}
