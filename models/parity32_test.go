package models

import (
	"math"
	"path/filepath"
	"testing"
)

// parityDir32 holds the float32 PyTorch reference values, made by gen.py
// there (its docstring gives the command, the torch version and the sizes).
const parityDir32 = "testdata/torch_parity_f32"

// parityTol32 is the float32 parity tolerance, normwise per tensor:
// max|tsf − torch| ≤ parityTol32 · max|torch|. gen.py measures how far
// PyTorch's own float32 results are from the same computation in float64 on
// these shapes: at most 2.9e-7 (recorded in each file under
// generator.self_check). Two float32 implementations that round in
// different orders are each that far from the exact value, so they differ
// by up to about twice that; 1e-5 leaves a margin of 17× for longer
// accumulation chains (three Adam steps feed rounding back into the
// weights) while a wrong equation, index or gate order is off by order 1.
const parityTol32 = 1e-5

// worstRel32 is the largest normwise relative difference a parity test saw,
// for the log.
var worstRel32 float64

func checkClose32(t *testing.T, what string, got []float32, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: length %d; want %d", what, len(got), len(want))
		return
	}
	var d, m float64
	for i, w := range want {
		d = math.Max(d, math.Abs(float64(got[i])-w))
		m = math.Max(m, math.Abs(w))
	}
	rel := d / m
	worstRel32 = math.Max(worstRel32, rel)
	if !(rel <= parityTol32) {
		t.Errorf("%s: max |tsf - torch| / max |torch| = %.3g; want ≤ %g", what, rel, parityTol32)
	}
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func loadGolden32(t *testing.T, name string) golden {
	t.Helper()
	return loadGoldenPath(t, filepath.Join(parityDir32, name))
}

// setupGolden32 builds a float32 network with the file's weights and
// initial state.
func setupGolden32(t *testing.T, g golden, cell Cell, output int) (*NetworkOf[float32], []float32, *StateOf[float32], int, int) {
	t.Helper()
	if dt := g.get("dtype").(string); dt != "float32" {
		t.Fatalf("golden dtype %q; want float32", dt)
	}
	I, H := g.num("config", "input_size"), g.num("config", "hidden_size")
	T, B := g.num("config", "seq_len"), g.num("config", "batch")
	L := g.num("config", "num_layers")
	n, err := NewOf[float32](Config{Cell: cell, Input: I, Hidden: H, Layers: L, Output: output, DType: Float32})
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range g.get("params").(map[string]any) {
		p := n.Param(name)
		if p == nil {
			t.Fatalf("no parameter %q", name)
		}
		w := flat(v)
		if len(w) != len(p.W) {
			t.Fatalf("%s: %d values; want %d", name, len(w), len(p.W))
		}
		copy(p.W, to32(w))
	}
	x := to32(batchToTime(flat(g.get("inputs", "x")), B, T, I))
	s := n.NewState(B)
	copy(s.H, to32(flat(g.get("inputs", "h0"))))
	if cell == LSTM {
		copy(s.C, to32(flat(g.get("inputs", "c0"))))
	}
	n.SetState(s)
	return n, x, s, T, B
}

func TestTorchParity32(t *testing.T) {
	worstRel32 = 0
	for _, tc := range []struct {
		file string
		cell Cell
	}{{"rnn.json", RNN}, {"lstm.json", LSTM}, {"gru.json", GRU}, {"lstm2.json", LSTM}} {
		t.Run(tc.file, func(t *testing.T) {
			g := loadGolden32(t, tc.file)
			for ci, cv := range g.get("cases").([]any) {
				c := golden(cv.(map[string]any))
				t.Run(c.get("name").(string), func(t *testing.T) {
					horizon := 1
					if ci == 1 {
						horizon = c.num("horizon")
					}
					n, x, s, T, B := setupGolden32(t, g, tc.cell, horizon)
					I, H := n.cfg.Input, n.cfg.Hidden
					if ci == 1 {
						copy(n.Param("head.weight").W, to32(flat(c.get("head", "head_weight"))))
						copy(n.Param("head.bias").W, to32(flat(c.get("head", "head_bias"))))
					}
					n.ZeroGrad()
					pred := n.Forward(x, T, B)
					checkClose32(t, "outputs", n.Outputs(), batchToTime(flat(c.get("outputs")), B, T, H))
					fin := n.NewState(B)
					n.FinalState(fin)
					checkClose32(t, "h_n", fin.H, flat(c.get("h_n")))
					if tc.cell == LSTM {
						checkClose32(t, "c_n", fin.C, flat(c.get("c_n")))
					}
					var loss float64
					if ci == 0 {
						dH := append([]float32(nil), n.Outputs()...)
						for _, v := range dH {
							loss += 0.5 * float64(v) * float64(v)
						}
						n.BackwardHidden(dH)
					} else {
						checkClose32(t, "prediction", pred, flat(c.get("prediction")))
						target := to32(flat(c.get("target")))
						dOut := make([]float32, len(pred))
						loss = MSE(pred, target, dOut)
						n.Backward(dOut)
					}
					if want := c.get("loss").(float64); !(math.Abs(loss-want) <= parityTol32*math.Abs(want)) {
						t.Errorf("loss = %.9g; want %.9g", loss, want)
					}
					for name, v := range c.get("grads").(map[string]any) {
						switch name {
						case "x":
							checkClose32(t, "grad x", n.InputGrad(), batchToTime(flat(v), B, T, I))
						case "h0", "c0":
							s0 := n.NewState(B)
							n.InitialStateGrad(s0)
							got := s0.H
							if name == "c0" {
								got = s0.C
							}
							checkClose32(t, "grad "+name, got, flat(v))
						case "head_weight", "head_bias":
							checkClose32(t, "grad "+name, n.Param(map[string]string{"head_weight": "head.weight", "head_bias": "head.bias"}[name]).G, flat(v))
						default:
							checkClose32(t, "grad "+name, n.Param(name).G, flat(v))
						}
					}
					if ci == 1 {
						checkAdam32(t, c, n, x, s, T, B)
					}
				})
			}
		})
	}
	t.Logf("largest normwise relative difference from PyTorch float32: %.3g (tolerance %g)", worstRel32, parityTol32)
}

// checkAdam32 reruns the file's Adam training steps from the initial
// weights and compares each loss and the final parameters.
func checkAdam32(t *testing.T, c golden, n *NetworkOf[float32], x []float32, s *StateOf[float32], T, B int) {
	t.Helper()
	a := golden(c.get("adam").(map[string]any))
	target := to32(flat(c.get("target")))
	opt := AdamOf[float32]{LR: a.get("lr").(float64)}
	losses := flat(a.get("losses"))
	dOut := make([]float32, len(target))
	for k, want := range losses {
		n.ZeroGrad()
		n.SetState(s)
		loss := MSE(n.Forward(x, T, B), target, dOut)
		n.Backward(dOut)
		opt.Step(n.Params())
		if !(math.Abs(loss-want) <= parityTol32*math.Abs(want)) {
			t.Errorf("Adam step %d: loss %.9g; want %.9g", k, loss, want)
		}
	}
	for name, v := range a.get("params_after").(map[string]any) {
		pn := map[string]string{"head_weight": "head.weight", "head_bias": "head.bias"}[name]
		if pn == "" {
			pn = name
		}
		checkClose32(t, "after Adam: "+name, n.Param(pn).W, flat(v))
	}
}

// TestTorchParity32TBPTT checks chunked truncated BPTT and full BPTT in
// float32 against PyTorch float32.
func TestTorchParity32TBPTT(t *testing.T) {
	g := loadGolden32(t, "lstm_tbptt.json")
	n, x, s, T, B := setupGolden32(t, g, LSTM, 1)
	c := golden(g.get("cases").([]any)[0].(map[string]any))
	I := n.cfg.Input
	chunk := g.num("config", "chunk")
	wantLosses := flat(c.get("chunk_losses"))
	sumSq := func() (float64, []float32) {
		dH := append([]float32(nil), n.Outputs()...)
		loss := 0.0
		for _, v := range dH {
			loss += 0.5 * float64(v) * float64(v)
		}
		return loss, dH
	}
	n.ZeroGrad()
	for k := 0; k*chunk < T; k++ {
		n.Forward(x[k*chunk*B*I:(k+1)*chunk*B*I], chunk, B)
		loss, dH := sumSq()
		if !(math.Abs(loss-wantLosses[k]) <= parityTol32*math.Abs(wantLosses[k])) {
			t.Errorf("chunk %d loss = %.9g; want %.9g", k, loss, wantLosses[k])
		}
		n.BackwardHidden(dH)
		n.FinalState(s)
	}
	for name, v := range c.get("grads_truncated").(map[string]any) {
		checkClose32(t, "truncated grad "+name, n.Param(name).G, flat(v))
	}
	copy(s.H, to32(flat(g.get("inputs", "h0"))))
	copy(s.C, to32(flat(g.get("inputs", "c0"))))
	n.ZeroGrad()
	n.Forward(x, T, B)
	checkClose32(t, "outputs", n.Outputs(), batchToTime(flat(c.get("outputs")), B, T, n.cfg.Hidden))
	_, dH := sumSq()
	n.BackwardHidden(dH)
	for name, v := range c.get("grads_full_bptt").(map[string]any) {
		checkClose32(t, "full grad "+name, n.Param(name).G, flat(v))
	}
}
