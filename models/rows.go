package models

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The element-wise work of a step (gate nonlinearities forward, their
// derivatives backward) is independent across batch rows, so it is split
// into parts run by a small pool of long-lived worker goroutines and the
// caller. A part is claimed with a compare-and-swap on a per-layer slot
// tagged with a dispatch sequence number, and the caller runs every part
// no worker has claimed yet: a busy or descheduled worker never makes a
// step slower than doing it alone, and stale jobs are ignored. Jobs are
// plain values on a channel: nothing is allocated per step, and several
// Networks may run at once.

// maxWorkers bounds the number of parts of a step.
const maxWorkers = 64

// parMinElems is the least B*H for which a step is split across workers:
// below it the hand-off costs more than it saves.
const parMinElems = 1024

// Part states, in the low two bits of a claim slot; the rest is the
// dispatch sequence number.
const (
	partFree uint64 = iota
	partRunning
	partDone
)

type rowJob struct {
	l    *layer
	seq  uint64
	part int
}

// rowDispatch is the step a layer is currently splitting.
type rowDispatch struct {
	t, B, parts int
	backward    bool
	seq         uint64
	claim       [maxWorkers]atomic.Uint64
}

func (l *layer) runPart(part int) {
	d := l.disp
	b0, b1 := part*d.B/d.parts, (part+1)*d.B/d.parts
	if d.backward {
		l.bwdRows(d.t, d.B, b0, b1)
	} else {
		l.fwdRows(d.t, d.B, b0, b1)
	}
}

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
				c := &j.l.disp.claim[j.part]
				if c.CompareAndSwap(j.seq<<2|partFree, j.seq<<2|partRunning) {
					j.l.runPart(j.part)
					c.Store(j.seq<<2 | partDone)
				}
			}
		}()
	}
}

// rows runs the element-wise part of step t over all B rows, split across
// up to GOMAXPROCS goroutines (the caller's included) when the step is
// large enough.
func (l *layer) rows(t, B int, backward bool) {
	parts := min(runtime.GOMAXPROCS(0), B, maxWorkers)
	if parts > 1 && B*l.h >= parMinElems {
		pool.once.Do(startPool)
		parts = min(parts, pool.n+1)
	}
	if parts <= 1 || B*l.h < parMinElems {
		if backward {
			l.bwdRows(t, B, 0, B)
		} else {
			l.fwdRows(t, B, 0, B)
		}
		return
	}
	d := l.disp
	d.seq++
	d.t, d.B, d.parts, d.backward = t, B, parts, backward
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
	for p := 1; p < parts; p++ {
		c := &d.claim[p]
		if c.CompareAndSwap(seq<<2|partFree, seq<<2|partDone) {
			l.runPart(p)
		}
	}
	for p := 1; p < parts; p++ {
		for d.claim[p].Load() != seq<<2|partDone {
			runtime.Gosched() // a worker is running it
		}
	}
}

// fwdRows applies the gate nonlinearities of step t to rows [b0, b1):
// on entry gates[t] holds W_ih x_t (+ W_hh h_{t-1} for RNN and LSTM; for
// GRU that is in ghh); on return it holds the activations and h_t (and
// c_t) are written.
func (l *layer) fwdRows(t, B, b0, b1 int) {
	H := l.h
	G := l.g * H
	p := l.gates[t*B*G : (t+1)*B*G]
	h := l.hs[(t+1)*B*H : (t+2)*B*H]
	bias := l.bias
	switch l.cell {
	case RNN:
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			hr := h[b*H : (b+1)*H]
			for j := range hr {
				v := tanhAct(row[j] + bias[j])
				row[j] = v
				hr[j] = v
			}
		}
	case LSTM:
		cprev := l.cprev
		c := l.cs[(t+1)*B*H : (t+2)*B*H]
		tc := l.tc[t*B*H : (t+1)*B*H]
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			for j := 0; j < H; j++ {
				i := sigmoid(row[j] + bias[j])
				f := sigmoid(row[H+j] + bias[H+j])
				g := tanhAct(row[2*H+j] + bias[2*H+j])
				o := sigmoid(row[3*H+j] + bias[3*H+j])
				row[j], row[H+j], row[2*H+j], row[3*H+j] = i, f, g, o
				k := b*H + j
				cv := f*cprev[k] + i*g // c_t = f⊙c_{t-1} + i⊙g
				c[k] = cv
				tv := tanhAct(cv)
				tc[k] = tv
				h[k] = o * tv // h_t = o⊙tanh(c_t)
			}
		}
	case GRU:
		hprev := l.hprev
		gh := l.ghh[:B*G]
		bhh := l.bhh.W
		hn := l.hn[t*B*H : (t+1)*B*H]
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			grow := gh[b*G : (b+1)*G]
			for j := 0; j < H; j++ {
				r := sigmoid(row[j] + bias[j] + grow[j] + bhh[j])
				z := sigmoid(row[H+j] + bias[H+j] + grow[H+j] + bhh[H+j])
				k := b*H + j
				hnv := grow[2*H+j] + bhh[2*H+j]
				nv := tanhAct(row[2*H+j] + bias[2*H+j] + r*hnv) // n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
				row[j], row[H+j], row[2*H+j] = r, z, nv
				hn[k] = hnv
				h[k] = (1-z)*nv + z*hprev[k] // h_t = (1-z)⊙n + z⊙h_{t-1}
			}
		}
	}
}

// bwdRows backpropagates through the element-wise part of step t for rows
// [b0, b1): it adds the recurrent gradient dhr into dh[t], then writes the
// pre-activation gradients (and, for the GRU, the direct part of dh_{t-1}
// into dhr, and dL/d(W_hh h + b_hh) into dahh; for the LSTM dc_{t-1} into
// dcr).
func (l *layer) bwdRows(t, B, b0, b1 int) {
	H := l.h
	G := l.g * H
	dh := l.dh[t*B*H : (t+1)*B*H]
	dhr, dcr := l.dhr, l.dcr
	for k := b0 * H; k < b1*H; k++ { // total gradient = direct + through h_{t+1}
		dh[k] += dhr[k]
	}
	p := l.gates[t*B*G : (t+1)*B*G]
	dat := l.da[t*B*G : (t+1)*B*G]
	switch l.cell {
	case RNN:
		for k := b0 * G; k < b1*G; k++ { // backprop through tanh
			hv := p[k]
			dat[k] = dh[k] * (1 - hv*hv)
		}
	case LSTM:
		cprev := l.cs[t*B*H : (t+1)*B*H]
		tc := l.tc[t*B*H : (t+1)*B*H]
		for b := b0; b < b1; b++ {
			row := p[b*G : (b+1)*G]
			drow := dat[b*G : (b+1)*G]
			for j := 0; j < H; j++ {
				i, f, g, o := row[j], row[H+j], row[2*H+j], row[3*H+j]
				k := b*H + j
				dhv, tv := dh[k], tc[k]
				dc := dcr[k] + dhv*o*(1-tv*tv)          // through h = o⊙tanh(c)
				drow[j] = dc * g * i * (1 - i)          // input gate
				drow[H+j] = dc * cprev[k] * f * (1 - f) // forget gate
				drow[2*H+j] = dc * i * (1 - g*g)        // candidate
				drow[3*H+j] = dhv * tv * o * (1 - o)    // output gate
				dcr[k] = dc * f                         // dc_{t-1}
			}
		}
	case GRU:
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
		}
	}
}
