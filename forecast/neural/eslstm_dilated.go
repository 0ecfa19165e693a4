package neural

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/models"
)

// esDilated is ESRNN's network with dilated recurrent layers grouped in
// blocks, residual connections between blocks and a linear head, built
// from single-layer networks of the engine (float64 only). A layer with
// dilation d over (T, B) is an ordinary layer over (T'/d, B·d), T'
// the T rounded up to a multiple of d by padding at the front: batch row
// b·d+r at step τ is the original row b at step τ·d+r−(T'−T), so its state
// comes from d steps back. A block's output plus its input (from the
// second block on) is the next block's input.
type esDilated struct {
	dil      [][]int
	layers   []*models.Network
	flat     []int // dilation of each layer
	hidden   int
	in, out  int
	headW    *models.Param // (out, hidden)
	headB    *models.Param // (out)
	params   []*models.Param
	resets   [][2]int
	T, B     int
	x        []float64   // the caller's input of the last Forward
	xs, hs   [][]float64 // per layer: its reshaped input and its output (T, B, hidden)
	res      [][]float64 // per layer: the residual added to its output (nil if none), (T, B, hidden)
	top      []float64   // (T, B, hidden): the head's input
	outBuf   []float64
	dTop     []float64
	dx       []float64
	dxStale  bool
	dh, dtmp []float64
	rg       []float64 // the gradient a residual connection carries down
}

// parseDilations parses "1-2/4-8": blocks separated by "/", the layers'
// dilations within a block by "-".
func parseDilations(s string) ([][]int, error) {
	var out [][]int
	for _, blk := range strings.Split(s, "/") {
		var b []int
		for _, f := range strings.Split(blk, "-") {
			d, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || d < 1 {
				return nil, fmt.Errorf("dilations %q: %q is not a positive whole number (want e.g. 1-2/4-8)", s, f)
			}
			b = append(b, d)
		}
		out = append(out, b)
	}
	return out, nil
}

// formatDilations is the inverse of parseDilations.
func formatDilations(d [][]int) string {
	var blks []string
	for _, b := range d {
		var ls []string
		for _, v := range b {
			ls = append(ls, strconv.Itoa(v))
		}
		blks = append(blks, strings.Join(ls, "-"))
	}
	return strings.Join(blks, "/")
}

func newESDilated(c ESConfig, cell models.Cell, seed uint64) (*esDilated, error) {
	dil, err := parseDilations(c.Dilations)
	if err != nil {
		return nil, err
	}
	n := &esDilated{dil: dil, hidden: c.Hidden, in: c.inputs(), out: c.Horizon * esQ}
	k := 0
	for _, blk := range dil {
		for _, d := range blk {
			in := c.Hidden
			if k == 0 {
				in = c.inputs()
			}
			net, err := models.New(models.Config{Cell: cell, Input: in, Hidden: c.Hidden, Output: 1, PerStep: true, Seed: seed + uint64(k)*7919})
			if err != nil {
				return nil, err
			}
			for _, p := range net.Params() {
				if strings.HasPrefix(p.Name, "head.") {
					continue // unused: the layers' own heads
				}
				q := *p
				q.Name = "l" + strconv.Itoa(k) + "." + p.Name
				n.params = append(n.params, &q)
			}
			n.layers = append(n.layers, net)
			n.flat = append(n.flat, d)
			k++
		}
	}
	// The head, initialised as the engine's: U(−1/√H, 1/√H) from its own
	// draw (the first layer's head, resized, would do as well).
	head, err := models.New(models.Config{Cell: cell, Input: 1, Hidden: c.Hidden, Output: n.out, Seed: seed + 104729})
	if err != nil {
		return nil, err
	}
	n.headW, n.headB = head.Param("head.weight"), head.Param("head.bias")
	n.params = append(n.params, n.headW, n.headB)
	L := len(n.layers)
	n.xs, n.hs, n.res = make([][]float64, L), make([][]float64, L), make([][]float64, L)
	return n, nil
}

// Params returns the layers' parameters (named l<k>.weight_ih_l0, ...) and
// the head's (head.weight, head.bias).
func (n *esDilated) Params() []*models.Param { return n.params }

// ZeroGrad clears every gradient.
func (n *esDilated) ZeroGrad() {
	for _, p := range n.params {
		clear(p.G)
	}
}

// ResetAt makes row b start from the zero state at step t.
func (n *esDilated) ResetAt(t, b int) { n.resets = append(n.resets, [2]int{t, b}) }

// ClearResets removes every reset.
func (n *esDilated) ClearResets() { n.resets = n.resets[:0] }

// pad returns the padding at the front for dilation d over T steps.
func pad(T, d int) int { return (T+d-1)/d*d - T }

// Forward runs the blocks and the head over x (T, B, Window) and returns
// (T, B, out) in a buffer owned by n.
func (n *esDilated) Forward(x []float64, T, B int) []float64 {
	n.T, n.B, n.x, n.dxStale = T, B, x, false
	Hd := n.hidden
	in, inW := x, n.in
	k := 0
	for bi, blk := range n.dil {
		blockIn := in
		for li := range blk {
			d := n.flat[k]
			P := pad(T, d)
			Td := (T + P) / d
			n.xs[k] = growF(n.xs[k], Td*B*d*inW)
			xs := n.xs[k]
			clear(xs)
			for t := range T {
				tt := t + P
				for b := range B {
					row := b*d + tt%d
					copy(xs[((tt/d)*B*d+row)*inW:((tt/d)*B*d+row+1)*inW], in[(t*B+b)*inW:(t*B+b+1)*inW])
				}
			}
			net := n.layers[k]
			net.ClearResets()
			for _, rs := range n.resets {
				t0, b := rs[0]+P, rs[1]
				for r := range d {
					tau := (t0 - r + d - 1) / d
					if t0-r < 0 {
						tau = 0
					}
					if tau > 0 && tau < Td {
						net.ResetAt(tau, b*d+r)
					}
				}
			}
			if P > 0 {
				// Rows whose whole start is padding: reset where the real
				// steps begin (the padding's state is not the zero state).
				for b := range B {
					if hasReset(n.resets, b) {
						continue
					}
					for r := range d {
						tau := (P - r + d - 1) / d
						if tau > 0 && tau < Td {
							net.ResetAt(tau, b*d+r)
						}
					}
				}
			}
			net.Forward(xs, Td, B*d)
			hsd := net.Outputs()
			n.hs[k] = growF(n.hs[k], T*B*Hd)
			h := n.hs[k]
			for t := range T {
				tt := t + P
				for b := range B {
					row := b*d + tt%d
					copy(h[(t*B+b)*Hd:(t*B+b+1)*Hd], hsd[((tt/d)*B*d+row)*Hd:((tt/d)*B*d+row+1)*Hd])
				}
			}
			n.res[k] = nil
			if li == len(blk)-1 && bi > 0 {
				n.res[k] = blockIn
				for i, v := range blockIn {
					h[i] += v
				}
			}
			in, inW = h, Hd
			k++
		}
	}
	n.top = in
	n.outBuf = growF(n.outBuf, T*B*n.out)
	out := n.outBuf
	W, bias := n.headW.W, n.headB.W
	for r := range T * B {
		hr := in[r*Hd : (r+1)*Hd]
		o := out[r*n.out : (r+1)*n.out]
		for j := range n.out {
			s := bias[j]
			for i, v := range W[j*Hd : (j+1)*Hd] {
				s += v * hr[i]
			}
			o[j] = s
		}
	}
	return out
}

// hasReset reports whether row b has a reset.
func hasReset(rs [][2]int, b int) bool {
	for _, r := range rs {
		if r[1] == b {
			return true
		}
	}
	return false
}

// Outputs returns the head's input of the last Forward, (T, B, hidden).
func (n *esDilated) Outputs() []float64 { return n.top }

// Backward backpropagates dOut (T, B, out) through the head, the blocks
// and their residual connections, accumulating into every Param.G.
func (n *esDilated) Backward(dOut []float64) {
	T, B, Hd := n.T, n.B, n.hidden
	n.dTop = growF(n.dTop, T*B*Hd)
	dh := n.dTop
	clear(dh)
	W := n.headW.W
	for r := range T * B {
		d := dOut[r*n.out : (r+1)*n.out]
		hr := n.top[r*Hd : (r+1)*Hd]
		dhr := dh[r*Hd : (r+1)*Hd]
		for j, g := range d {
			if g == 0 {
				continue
			}
			n.headB.G[j] += g
			gw := n.headW.G[j*Hd : (j+1)*Hd]
			for i := range Hd {
				gw[i] += g * hr[i]
				dhr[i] += g * W[j*Hd+i]
			}
		}
	}
	// dh is dL/d(output of layer k), k from the top down.
	resGrad := n.rg[:0] // gradient waiting for a block's input
	for k := len(n.layers) - 1; k >= 0; k-- {
		d := n.flat[k]
		P := pad(T, d)
		Td := (T + P) / d
		if n.res[k] != nil {
			// output = layer's h + block input: the block input gets dh too.
			resGrad = append(resGrad[:0], dh...)
			n.rg = resGrad
		}
		n.dh = growF(n.dh, Td*B*d*Hd)
		dhs := n.dh
		clear(dhs)
		for t := range T {
			tt := t + P
			for b := range B {
				row := b*d + tt%d
				copy(dhs[((tt/d)*B*d+row)*Hd:((tt/d)*B*d+row+1)*Hd], dh[(t*B+b)*Hd:(t*B+b+1)*Hd])
			}
		}
		net := n.layers[k]
		net.BackwardHidden(dhs)
		// The layer's own parameters' gradients: copy from the engine's
		// accumulators (the Params here are views of the same slices).
		dxs := net.InputGrad()
		inW := Hd
		if k == 0 {
			inW = n.in
		}
		n.dtmp = growF(n.dtmp, T*B*inW)
		dx := n.dtmp
		for t := range T {
			tt := t + P
			for b := range B {
				row := b*d + tt%d
				copy(dx[(t*B+b)*inW:(t*B+b+1)*inW], dxs[((tt/d)*B*d+row)*inW:((tt/d)*B*d+row+1)*inW])
			}
		}
		if k == 0 {
			n.dx = growF(n.dx, T*B*inW)
			copy(n.dx, dx)
			break
		}
		dh = growF(dh, T*B*Hd)
		copy(dh, dx)
		if n.isBlockStart(k) && resGrad != nil {
			for i, v := range resGrad {
				dh[i] += v
			}
			resGrad = resGrad[:0]
		}
	}
}

// isBlockStart reports whether layer k is the first of a block after the
// first: its input is the previous block's output, which a residual
// connection also adds to the block's output.
func (n *esDilated) isBlockStart(k int) bool {
	i := 0
	for bi, blk := range n.dil {
		if i == k {
			return bi > 0
		}
		i += len(blk)
	}
	return false
}

// InputGrad returns dL/dx (T, B, Window) of the last Backward.
func (n *esDilated) InputGrad() []float64 { return n.dx[:n.T*n.B*n.in] }
