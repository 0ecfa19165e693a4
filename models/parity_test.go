package models

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// parityDir holds the PyTorch reference values, made by gen.py there (see
// its README for the command and the torch version).
const parityDir = "testdata/torch_parity"

// golden is a torch_parity file, decoded loosely.
type golden map[string]any

func loadGolden(t *testing.T, name string) golden {
	t.Helper()
	return loadGoldenPath(t, filepath.Join(parityDir, name))
}

func loadGoldenPath(t *testing.T, name string) golden {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return g
}

// flat flattens a nested JSON array of numbers in row-major order.
func flat(v any) []float64 {
	switch v := v.(type) {
	case float64:
		return []float64{v}
	case []any:
		var out []float64
		for _, e := range v {
			out = append(out, flat(e)...)
		}
		return out
	}
	panic("flat: unexpected JSON value")
}

func (g golden) get(path ...string) any {
	var v any = map[string]any(g)
	for _, p := range path {
		v = v.(map[string]any)[p]
	}
	return v
}

func (g golden) num(path ...string) int { return int(g.get(path...).(float64)) }

// batchToTime turns [B][T][F] into time-major (T, B, F).
func batchToTime(v []float64, B, T, F int) []float64 {
	out := make([]float64, len(v))
	for b := 0; b < B; b++ {
		for t := 0; t < T; t++ {
			copy(out[(t*B+b)*F:(t*B+b+1)*F], v[(b*T+t)*F:(b*T+t+1)*F])
		}
	}
	return out
}

func maxDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

const parityTol = 1e-10

func checkClose(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if d := maxDiff(got, want); !(d <= parityTol) {
		t.Errorf("%s: max |tsf - torch| = %g; want ≤ %g (len %d vs %d)", what, d, parityTol, len(got), len(want))
	}
}

// setupGolden builds a network with the golden file's weights and initial state.
func setupGolden(t *testing.T, g golden, cell Cell, output int, perStep bool) (*Network, []float64, *State, int, int) {
	t.Helper()
	I, H := g.num("config", "input_size"), g.num("config", "hidden_size")
	T, B := g.num("config", "seq_len"), g.num("config", "batch")
	L := 1
	if v, ok := g.get("config").(map[string]any)["num_layers"]; ok {
		L = int(v.(float64))
	}
	n, err := New(Config{Cell: cell, Input: I, Hidden: H, Layers: L, Output: output, PerStep: perStep})
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
		copy(p.W, w)
	}
	x := batchToTime(flat(g.get("inputs", "x")), B, T, I)
	s := n.NewState(B)
	copy(s.H, flat(g.get("inputs", "h0")))
	if cell == LSTM {
		copy(s.C, flat(g.get("inputs", "c0")))
	}
	n.SetState(s)
	return n, x, s, T, B
}

func TestTorchParity(t *testing.T) {
	for _, tc := range []struct {
		file string
		cell Cell
	}{{"rnn.json", RNN}, {"lstm.json", LSTM}, {"gru.json", GRU}, {"lstm2.json", LSTM}} {
		t.Run(tc.file, func(t *testing.T) {
			g := loadGolden(t, tc.file)
			cases := g.get("cases").([]any)
			for ci, cv := range cases {
				c := golden(cv.(map[string]any))
				name := c.get("name").(string)
				t.Run(name, func(t *testing.T) {
					horizon := 1
					if ci == 1 {
						horizon = c.num("horizon")
					}
					n, x, _, T, B := setupGolden(t, g, tc.cell, horizon, false)
					I, H := n.cfg.Input, n.cfg.Hidden
					if ci == 1 {
						copy(n.Param("head.weight").W, flat(c.get("head", "head_weight")))
						copy(n.Param("head.bias").W, flat(c.get("head", "head_bias")))
					}
					n.ZeroGrad()
					pred := n.Forward(x, T, B)
					checkClose(t, "outputs", n.Outputs(), batchToTime(flat(c.get("outputs")), B, T, H))
					fin := n.NewState(B)
					n.FinalState(fin)
					checkClose(t, "h_n", fin.H, flat(c.get("h_n")))
					if tc.cell == LSTM {
						checkClose(t, "c_n", fin.C, flat(c.get("c_n")))
					}
					var loss float64
					if ci == 0 {
						dH := append([]float64(nil), n.Outputs()...)
						for _, v := range dH {
							loss += 0.5 * v * v
						}
						n.BackwardHidden(dH)
					} else {
						checkClose(t, "prediction", pred, flat(c.get("prediction")))
						dOut := make([]float64, len(pred))
						loss = MSE(pred, flat(c.get("target")), dOut)
						n.Backward(dOut)
						checkClose(t, "grad head_weight", n.Param("head.weight").G, flat(c.get("grads", "head_weight")))
						checkClose(t, "grad head_bias", n.Param("head.bias").G, flat(c.get("grads", "head_bias")))
					}
					if want := c.get("loss").(float64); math.Abs(loss-want) > parityTol {
						t.Errorf("loss = %.17g; want %.17g", loss, want)
					}
					for name, v := range c.get("grads").(map[string]any) {
						switch name {
						case "x":
							checkClose(t, "grad x", n.InputGrad(), batchToTime(flat(v), B, T, I))
						case "h0", "c0":
							s0 := n.NewState(B)
							n.InitialStateGrad(s0)
							got := s0.H
							if name == "c0" {
								got = s0.C
							}
							checkClose(t, "grad "+name, got, flat(v))
						case "head_weight", "head_bias":
						default:
							p := n.Param(name)
							if p == nil {
								t.Fatalf("no parameter %q", name)
							}
							checkClose(t, "grad "+name, p.G, flat(v))
						}
					}
				})
			}
		})
	}
}

// TestTorchParityTBPTT checks chunked truncated BPTT (state carried across
// chunks, detached) and full BPTT against PyTorch.
func TestTorchParityTBPTT(t *testing.T) {
	g := loadGolden(t, "lstm_tbptt.json")
	n, x, s, T, B := setupGolden(t, g, LSTM, 1, false)
	c := golden(g.get("cases").([]any)[0].(map[string]any))
	I := n.cfg.Input
	chunk := g.num("config", "chunk")
	wantLosses := flat(c.get("chunk_losses"))

	sumSq := func() (float64, []float64) {
		dH := append([]float64(nil), n.Outputs()...)
		loss := 0.0
		for _, v := range dH {
			loss += 0.5 * v * v
		}
		return loss, dH
	}
	// Truncated: chunk by chunk, carrying the state forward.
	n.ZeroGrad()
	for k := 0; k*chunk < T; k++ {
		n.Forward(x[k*chunk*B*I:(k+1)*chunk*B*I], chunk, B)
		loss, dH := sumSq()
		if math.Abs(loss-wantLosses[k]) > parityTol {
			t.Errorf("chunk %d loss = %.17g; want %.17g", k, loss, wantLosses[k])
		}
		n.BackwardHidden(dH)
		n.FinalState(s) // carried forward as a value: detached
	}
	for name, v := range c.get("grads_truncated").(map[string]any) {
		checkClose(t, "truncated grad "+name, n.Param(name).G, flat(v))
	}
	// Full BPTT over all steps.
	copy(s.H, flat(g.get("inputs", "h0")))
	copy(s.C, flat(g.get("inputs", "c0")))
	n.ZeroGrad()
	n.Forward(x, T, B)
	checkClose(t, "outputs", n.Outputs(), batchToTime(flat(c.get("outputs")), B, T, n.cfg.Hidden))
	_, dH := sumSq()
	n.BackwardHidden(dH)
	for name, v := range c.get("grads_full_bptt").(map[string]any) {
		checkClose(t, "full grad "+name, n.Param(name).G, flat(v))
	}
}
