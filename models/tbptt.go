package models

import "fmt"

// TBPTTOf drives stateful truncated backpropagation through time,
// TBPTT(k1, k2), over B long streams side by side: every K1 new steps,
// the loss of those K1 steps is backpropagated through the last K2 ≥ K1
// steps. The state is carried across calls, detached. It does so by
// keeping the last K2−K1 inputs and rerunning the forward pass over the
// K2-step window from the carried state at the window's start, so the
// gradients are exact for that definition. With K1 = K2 it is plain
// chunked TBPTT with no recomputation.
//
// Use: for each chunk, out := s.Step(x) with x (K1, B, Input); compute the
// loss of out (K1, B, Output) and its gradient; s.Backward(dOut); clip and
// step the optimiser. Reset(b) marks a series boundary for row b before
// the next Step. While in use, TBPTT owns the network's SetState and
// ResetAt settings; it allocates nothing per chunk after the first
// (Reset appends to a list that grows only past its largest size).
type TBPTTOf[F Float] struct {
	net        *NetworkOf[F]
	k1, k2, b  int
	carry      *StateOf[F] // state at the start of the next window
	next       *StateOf[F] // scratch
	hist       []F         // (K2, B, In): the current window's inputs
	w          int         // steps in the current window
	seen       int         // absolute steps consumed
	cs         int         // absolute step at which carry applies
	boundaries []rowReset
	dOut       []F
}

// NewTBPTT prepares stateful TBPTT(k1, k2) for B rows over net, which
// must have Config.PerStep set and Truncate 0. It returns an error if
// 1 ≤ k1 ≤ k2 does not hold or net is not per-step.
func NewTBPTT[F Float](net *NetworkOf[F], k1, k2, B int) (*TBPTTOf[F], error) {
	if k1 < 1 || k2 < k1 || B < 1 {
		return nil, fmt.Errorf("models: TBPTT(k1 = %d, k2 = %d) with B = %d; want 1 ≤ k1 ≤ k2 and B ≥ 1", k1, k2, B)
	}
	if !net.cfg.PerStep || net.cfg.Truncate != 0 {
		return nil, fmt.Errorf("models: TBPTT needs a network with PerStep set and Truncate 0")
	}
	in := net.cfg.Input
	s := &TBPTTOf[F]{net: net, k1: k1, k2: k2, b: B, carry: net.NewState(B), next: net.NewState(B),
		hist: make([]F, k2*B*in), dOut: make([]F, k2*B*net.cfg.Output)}
	return s, nil
}

// State returns the carried state (the state at the start of the next
// window; with K1 = K2 the state after the last step). Changing it
// changes where the next Step starts.
func (s *TBPTTOf[F]) State() *StateOf[F] { return s.carry }

// Reset marks a series boundary for row b before the next Step: row b
// starts from the zero state there, and no gradient crosses it.
func (s *TBPTTOf[F]) Reset(b int) {
	if b < 0 || b >= s.b {
		panic(fmt.Sprintf("models: TBPTT.Reset(%d) with B = %d", b, s.b))
	}
	s.boundaries = append(s.boundaries, rowReset{t: s.seen, b: b})
}

// Step consumes the next K1 steps x (K1, B, Input) and returns the network
// output for them, (K1, B, Output), in a buffer owned by the network. It
// panics if len(x) is wrong.
func (s *TBPTTOf[F]) Step(x []F) []F {
	n, in, B := s.net, s.net.cfg.Input, s.b
	if len(x) != s.k1*B*in {
		panic(fmt.Sprintf("models: TBPTT.Step input has length %d; want K1*B*Input = %d", len(x), s.k1*B*in))
	}
	// The window covers absolute steps [cs, seen+K1): the kept tail of the
	// previous window, then x.
	keep := s.seen - s.cs
	copy(s.hist[:keep*B*in], s.hist[(s.w-keep)*B*in:s.w*B*in])
	copy(s.hist[keep*B*in:(keep+s.k1)*B*in], x)
	s.w = keep + s.k1
	start := s.cs
	s.seen += s.k1
	// Boundaries inside the window become resets; older ones are done.
	n.ClearResets()
	kept := s.boundaries[:0]
	for _, r := range s.boundaries {
		if r.t >= start {
			n.ResetAt(r.t-start, r.b)
			kept = append(kept, r)
		}
	}
	s.boundaries = kept
	n.SetState(s.carry)
	out := n.Forward(s.hist[:s.w*B*in], s.w, B)
	// The next window starts K2-K1 steps before the end of this one.
	s.cs = max(s.seen+s.k1-s.k2, start)
	n.StateAt(s.cs-start, s.next)
	s.carry, s.next = s.next, s.carry
	O := n.cfg.Output
	return out[(s.w-s.k1)*B*O:]
}

// Backward backpropagates dOut (K1, B, Output), the loss gradient for the
// outputs of the last Step, through the last K2 steps (fewer at the start
// of the stream), accumulating into the network's Param.G.
func (s *TBPTTOf[F]) Backward(dOut []F) {
	B, O := s.b, s.net.cfg.Output
	if len(dOut) != s.k1*B*O {
		panic(fmt.Sprintf("models: TBPTT.Backward gradient has length %d; want K1*B*Output = %d", len(dOut), s.k1*B*O))
	}
	d := s.dOut[:s.w*B*O]
	zero(d[:(s.w-s.k1)*B*O])
	copy(d[(s.w-s.k1)*B*O:], dOut)
	s.net.Backward(d)
}
