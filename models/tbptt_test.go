package models

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTBPTTStream checks stateful TBPTT(k1, k2) chunk by chunk against an
// independent reference: a network run over the whole stream prefix from
// the start with Config.Truncate = k2 and the loss on the last k1 steps
// only. Both must give the same outputs and the same gradients, and the
// reference's input gradient must be exactly zero more than k2 steps back.
func TestTBPTTStream(t *testing.T) {
	for _, tc := range []struct {
		cell   Cell
		k1, k2 int
		layers int
		resets bool
	}{
		{LSTM, 3, 3, 1, false}, {LSTM, 2, 5, 2, false}, {GRU, 2, 4, 1, true}, {RNN, 3, 7, 1, true}, {LSTM, 2, 5, 1, true},
	} {
		t.Run(fmt.Sprintf("%v/k1=%d/k2=%d/L%d/resets=%v", tc.cell, tc.k1, tc.k2, tc.layers, tc.resets), func(t *testing.T) {
			const I, H, B, O, chunks = 2, 4, 3, 2, 5
			cfg := Config{Cell: tc.cell, Input: I, Hidden: H, Layers: tc.layers, Output: O, PerStep: true, Seed: 11}
			net, _ := New(cfg)
			s, err := NewTBPTT(net, tc.k1, tc.k2, B)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(5, 5))
			total := chunks * tc.k1
			xs := randSlice(rng, total*B*I, 1)
			ys := randSlice(rng, total*B*O, 1)
			type boundary struct{ t, b int }
			var bounds []boundary
			if tc.resets {
				bounds = []boundary{{tc.k1, 1}, {3 * tc.k1, 0}, {3 * tc.k1, 2}}
			}
			for c := 0; c < chunks; c++ {
				for _, bd := range bounds {
					if bd.t == c*tc.k1 {
						s.Reset(bd.b)
					}
				}
				x := xs[c*tc.k1*B*I : (c+1)*tc.k1*B*I]
				y := ys[c*tc.k1*B*O : (c+1)*tc.k1*B*O]
				net.ZeroGrad()
				out := s.Step(x)
				dOut := make([]float64, len(out))
				MSE(out, y, dOut)
				s.Backward(dOut)

				// Reference over the whole prefix.
				T := (c + 1) * tc.k1
				rcfg := cfg
				rcfg.Truncate = tc.k2
				ref, _ := New(rcfg)
				for _, bd := range bounds {
					if bd.t < T {
						ref.ResetAt(bd.t, bd.b)
					}
				}
				ref.ZeroGrad()
				rout := ref.Forward(xs[:T*B*I], T, B)
				last := rout[(T-tc.k1)*B*O:]
				if d := maxDiff(out, last); d > 1e-12 {
					t.Fatalf("chunk %d: outputs differ from the reference by %g", c, d)
				}
				rd := make([]float64, len(rout))
				MSE(last, y, rd[(T-tc.k1)*B*O:])
				ref.Backward(rd)
				for i, p := range net.Params() {
					if e := relErr(p.G, ref.Params()[i].G); !(e < 1e-12) {
						t.Errorf("chunk %d: grad %s relative error %g vs reference", c, p.Name, e)
					}
				}
				dx := ref.InputGrad()
				for i := 0; i < (T-tc.k2)*B*I; i++ {
					if dx[i] != 0 {
						t.Fatalf("chunk %d: dL/dx at step %d, more than k2 = %d steps back, is %g; want exactly 0", c, i/(B*I), tc.k2, dx[i])
					}
				}
			}
		})
	}
}

func TestNewTBPTTErrors(t *testing.T) {
	perStep, _ := New(Config{Input: 1, Hidden: 2, PerStep: true})
	last, _ := New(Config{Input: 1, Hidden: 2})
	for _, tc := range []struct {
		net       *Network
		k1, k2, b int
	}{{perStep, 0, 1, 1}, {perStep, 3, 2, 1}, {perStep, 1, 1, 0}, {last, 1, 1, 1}} {
		if _, err := NewTBPTT(tc.net, tc.k1, tc.k2, tc.b); err == nil {
			t.Errorf("NewTBPTT(k1 = %d, k2 = %d, B = %d, PerStep = %v) = nil error; want an error", tc.k1, tc.k2, tc.b, tc.net.cfg.PerStep)
		}
	}
}
