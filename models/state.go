package models

import "fmt"

// State is the recurrent state of every layer for B batch rows: H holds
// (Layers, B, Hidden) hidden states, layer 0 first, and C the LSTM cell
// states in the same layout (nil for GRU and RNN). A State is a plain
// value: a Network copies from it and into it, and no gradient ever flows
// into it (it is always detached).
type StateOf[F Float] struct {
	Layers, B, Hidden int
	H, C              []F
}

// NewState returns a zero state for B rows shaped for n.
func (n *NetworkOf[F]) NewState(B int) *StateOf[F] {
	L, H := len(n.layers), n.cfg.Hidden
	s := &StateOf[F]{Layers: L, B: B, Hidden: H, H: make([]F, L*B*H)}
	if n.cfg.Cell == LSTM {
		s.C = make([]F, L*B*H)
	}
	return s
}

// ResetRow sets row b of every layer's state to zero (a series boundary).
// It panics if b is out of range.
func (s *StateOf[F]) ResetRow(b int) {
	if b < 0 || b >= s.B {
		panic(fmt.Sprintf("models: ResetRow(%d) with B = %d", b, s.B))
	}
	for l := 0; l < s.Layers; l++ {
		o := (l*s.B + b) * s.Hidden
		zero(s.H[o : o+s.Hidden])
		if s.C != nil {
			zero(s.C[o : o+s.Hidden])
		}
	}
}

// Zero sets the whole state to zero.
func (s *StateOf[F]) Zero() {
	zero(s.H)
	zero(s.C)
}

// CopyFrom copies src into s. It panics if the shapes differ.
func (s *StateOf[F]) CopyFrom(src *StateOf[F]) {
	if s.Layers != src.Layers || s.B != src.B || s.Hidden != src.Hidden || (s.C == nil) != (src.C == nil) {
		panic("models: State.CopyFrom with different shapes")
	}
	copy(s.H, src.H)
	copy(s.C, src.C)
}

func (n *NetworkOf[F]) checkState(s *StateOf[F], B int, what string) {
	if s.Layers != len(n.layers) || s.Hidden != n.cfg.Hidden || (s.C != nil) != (n.cfg.Cell == LSTM) {
		panic(fmt.Sprintf("models: %s with a State of another network shape", what))
	}
	if B >= 0 && s.B != B {
		panic(fmt.Sprintf("models: %s with a State of B = %d; want %d", what, s.B, B))
	}
}

// SetState makes every following Forward start from s (copied at each
// Forward, so s may be updated in between). nil means the zero state.
// The Network keeps the pointer; it panics if s does not fit the network.
func (n *NetworkOf[F]) SetState(s *StateOf[F]) {
	if s != nil {
		n.checkState(s, -1, "SetState")
	}
	n.init = s
}

// FinalState copies the state after the last step of the last Forward
// into dst. It panics if dst does not fit.
func (n *NetworkOf[F]) FinalState(dst *StateOf[F]) { n.StateAt(n.steps, dst) }

// StateAt copies the state after step t-1 of the last Forward into dst:
// t = 0 is the initial state and t = T the final one. Rows reset at step t
// (ResetAt) show their state before the reset for H. It panics if t is out
// of range or dst does not fit.
func (n *NetworkOf[F]) StateAt(t int, dst *StateOf[F]) {
	if !n.hasData {
		panic("models: StateAt before any Forward")
	}
	if t < 0 || t > n.steps {
		panic(fmt.Sprintf("models: StateAt(%d) with T = %d", t, n.steps))
	}
	B, H := n.rows, n.cfg.Hidden
	n.checkState(dst, B, "StateAt")
	for li, l := range n.layers {
		copy(dst.H[li*B*H:(li+1)*B*H], l.hs[t*B*H:(t+1)*B*H])
		if l.cell == LSTM {
			copy(dst.C[li*B*H:(li+1)*B*H], l.cs[t*B*H:(t+1)*B*H])
		}
	}
}

// InitialStateGrad copies dL/d(initial state) from the last Backward into
// dst (for tests and diagnostics: the initial state is never updated by
// the network). It is zero when Config.Truncate cut the sequence.
func (n *NetworkOf[F]) InitialStateGrad(dst *StateOf[F]) {
	B, H := n.rows, n.cfg.Hidden
	n.checkState(dst, B, "InitialStateGrad")
	for li, l := range n.layers {
		copy(dst.H[li*B*H:(li+1)*B*H], l.dhr[:B*H])
		if l.cell == LSTM {
			copy(dst.C[li*B*H:(li+1)*B*H], l.dcr[:B*H])
		}
	}
}

// ResetAt makes the following Forward calls start batch row b from the
// zero state at step t (0 ≤ t < T): a series boundary inside a sequence.
// No gradient crosses it. Resets stay in force until ClearResets.
// Appending allocates only when the reset list grows past its capacity.
func (n *NetworkOf[F]) ResetAt(t, b int) {
	if t < 0 || b < 0 {
		panic(fmt.Sprintf("models: ResetAt(%d, %d) with a negative index", t, b))
	}
	n.resets = append(n.resets, rowReset{t, b})
}

// ClearResets removes every reset set by ResetAt.
func (n *NetworkOf[F]) ClearResets() { n.resets = n.resets[:0] }
