package models

import "fmt"

// PredictChunk is the number of batch rows Predict runs at once: its
// caches hold T·PredictChunk rows whatever B is.
const PredictChunk = 256

// Predict is Forward for inference over many windows: it runs the B rows
// of x (T, B, Input) in chunks of at most PredictChunk rows, so memory
// stays bounded for any B, and returns the head output ((B, Output), or
// (T, B, Output) with PerStep) in a buffer owned by n, reused by the next
// Predict. It starts from the state set by SetState (zero if none).
// Resets set with ResetAt are not applied. Predict keeps only one step's
// gate values at a time (they stay in cache), so it does not fill the
// caches that Backward and GateMeans read: call Forward again before
// Backward. It panics like
// Forward.
func (n *NetworkOf[F]) Predict(x []F, T, B int) []F {
	in, O, H, L := n.cfg.Input, n.cfg.Output, n.cfg.Hidden, len(n.layers)
	if T < 1 || B < 1 || len(x) != T*B*in {
		panic(fmt.Sprintf("models: Predict with T = %d, B = %d, len(x) = %d; want T, B ≥ 1 and len(x) = T*B*Input", T, B, len(x)))
	}
	init := n.init
	if init != nil {
		n.checkState(init, B, "Predict")
	}
	for _, l := range n.layers {
		l.infer = true
	}
	defer func() {
		for _, l := range n.layers {
			l.infer = false
		}
	}()
	if B <= PredictChunk && len(n.resets) == 0 {
		out := n.Forward(x, T, B)
		n.pout = grow(n.pout, len(out))
		copy(n.pout, out)
		n.backed = true
		return n.pout
	}
	resets := n.resets
	n.resets = nil
	defer func() { n.resets, n.init, n.backed = resets, init, true }()
	rows := B
	if n.cfg.PerStep {
		rows = T * B
	}
	n.pout = grow(n.pout, rows*O)
	for b0 := 0; b0 < B; b0 += PredictChunk {
		c := min(PredictChunk, B-b0)
		n.px = grow(n.px, T*c*in)
		for t := 0; t < T; t++ {
			copy(n.px[t*c*in:(t+1)*c*in], x[(t*B+b0)*in:(t*B+b0+c)*in])
		}
		n.init = nil
		if init != nil {
			if n.pstate == nil || n.pstate.B != c {
				n.pstate = n.NewState(c)
			}
			for l := 0; l < L; l++ {
				copy(n.pstate.H[l*c*H:(l+1)*c*H], init.H[(l*B+b0)*H:(l*B+b0+c)*H])
				if init.C != nil {
					copy(n.pstate.C[l*c*H:(l+1)*c*H], init.C[(l*B+b0)*H:(l*B+b0+c)*H])
				}
			}
			n.init = n.pstate
		}
		out := n.Forward(n.px[:T*c*in], T, c)
		if n.cfg.PerStep {
			for t := 0; t < T; t++ {
				copy(n.pout[(t*B+b0)*O:(t*B+b0+c)*O], out[t*c*O:(t+1)*c*O])
			}
		} else {
			copy(n.pout[b0*O:(b0+c)*O], out)
		}
	}
	return n.pout
}
