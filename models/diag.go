package models

import (
	"fmt"
	"math"
)

// Layers returns the number of recurrent layers.
func (n *NetworkOf[F]) Layers() int { return len(n.layers) }

// HiddenGradNorms writes into dst (length T of the last Forward) the norm
// of ∂L/∂h_t of the given layer (0 = bottom, Layers()-1 = top) at every
// step t, averaged over the batch rows: dst[t] = (1/B)·Σ_b ‖∂L/∂h_t[b]‖₂.
// ∂L/∂h_t is the total gradient (direct plus through later steps) from the
// last Backward; it is the vanishing-gradient picture. It panics if layer
// is out of range, len(dst) != T or no Backward has run.
func (n *NetworkOf[F]) HiddenGradNorms(dst []float64, layer int) {
	if !n.backed {
		panic("models: HiddenGradNorms before Backward")
	}
	if layer < 0 || layer >= len(n.layers) {
		panic(fmt.Sprintf("models: HiddenGradNorms layer %d with %d layers", layer, len(n.layers)))
	}
	if len(dst) != n.steps {
		panic(fmt.Sprintf("models: HiddenGradNorms dst has length %d; want T = %d", len(dst), n.steps))
	}
	l, B, H := n.layers[layer], n.rows, n.cfg.Hidden
	for t := range dst {
		s := 0.0
		for b := 0; b < B; b++ {
			q := 0.0
			for _, v := range l.dh[(t*B+b)*H : (t*B+b+1)*H] {
				q += float64(v) * float64(v)
			}
			s += math.Sqrt(q)
		}
		dst[t] = s / float64(B)
	}
}

// GateNames returns the gate names of a cell in the fused order:
// ["i" "f" "g" "o"] for LSTM, ["r" "z" "n"] for GRU, ["h"] for RNN.
func (c Cell) GateNames() []string {
	switch c {
	case LSTM:
		return []string{"i", "f", "g", "o"}
	case GRU:
		return []string{"r", "z", "n"}
	}
	return []string{"h"}
}

// GateMeans writes into dst (length T of the last Forward) the mean
// activation of one gate of one layer at every step, over batch rows and
// units: e.g. gate 1 of an LSTM is the forget gate, and a mean near 1 means
// it is open (the cell remembers). For RNN gate 0 is h_t itself. It panics
// if layer or gate is out of range, len(dst) != T or no Forward has run.
func (n *NetworkOf[F]) GateMeans(dst []float64, layer, gate int) {
	if !n.hasData {
		panic("models: GateMeans before Forward")
	}
	if layer < 0 || layer >= len(n.layers) {
		panic(fmt.Sprintf("models: GateMeans layer %d with %d layers", layer, len(n.layers)))
	}
	l := n.layers[layer]
	if gate < 0 || gate >= l.g {
		panic(fmt.Sprintf("models: GateMeans gate %d; %v has %d gates", gate, l.cell, l.g))
	}
	if len(dst) != n.steps {
		panic(fmt.Sprintf("models: GateMeans dst has length %d; want T = %d", len(dst), n.steps))
	}
	B, H := n.rows, l.h
	G := l.g * H
	for t := range dst {
		s := 0.0
		for b := 0; b < B; b++ {
			o := (t*B+b)*G + gate*H
			for _, v := range l.gates[o : o+H] {
				s += float64(v)
			}
		}
		dst[t] = s / float64(B*H)
	}
}
