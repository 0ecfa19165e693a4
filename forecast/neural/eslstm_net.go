package neural

import "github.com/tsf-go/tsf/models"

// esNet is what ESRNN needs of a network: models.Network has it, and
// esNet32 gives it to a float32 one.
type esNet interface {
	Forward(x []float64, T, B int) []float64
	Backward(dOut []float64)
	InputGrad() []float64
	ZeroGrad()
	Params() []*models.Param
	Outputs() []float64
	ResetAt(t, b int)
	ClearResets()
}

// esNet32 is a float32 network behind float64 master weights
// (models.Master32) with the input gradient and resets of the network.
type esNet32 struct {
	*models.Master32
	net   *models.NetworkOf[float32]
	dx, h []float64
}

// Outputs returns the float32 network's top hidden states as float64, in
// a buffer owned by n.
func (n *esNet32) Outputs() []float64 {
	n.h = widen(n.h, n.net.Outputs())
	return n.h
}

// InputGrad returns the float32 network's dL/dx as float64, in a buffer
// owned by n.
func (n *esNet32) InputGrad() []float64 {
	n.dx = widen(n.dx, n.net.InputGrad())
	return n.dx
}

// widen copies src into buf, grown as needed, as float64.
func widen(buf []float64, src []float32) []float64 {
	buf = growF(buf, len(src))
	for i, v := range src {
		buf[i] = float64(v)
	}
	return buf
}

// ResetAt is the network's ResetAt.
func (n *esNet32) ResetAt(t, b int) { n.net.ResetAt(t, b) }

// ClearResets is the network's ClearResets.
func (n *esNet32) ClearResets() { n.net.ClearResets() }

// build returns a new network of the configuration, seeded; the interval
// heads' biases start at −2.5 so that the quantiles start close together
// (softplus(−2.5) ≈ 0.08 in log units).
func (c ESConfig) build(seed uint64) (esNet, error) {
	cell, err := models.ParseCell(c.Cell)
	if err != nil {
		return nil, err
	}
	mc := models.Config{Cell: cell, Input: c.inputs(), Hidden: c.Hidden, Layers: c.Layers, Output: c.Horizon * esQ,
		PerStep: true, Seed: seed, MaxSeq: c.Chunk, MaxBatch: c.Batch}
	var net esNet
	if c.Dilations != "" {
		d, err := newESDilated(c, cell, seed)
		if err != nil {
			return nil, err
		}
		net = d
	} else if c.DType == "float32" {
		mc.DType = models.Float32
		n32, err := models.NewOf[float32](mc)
		if err != nil {
			return nil, err
		}
		net = &esNet32{Master32: models.NewMaster32(n32), net: n32}
	} else {
		n64, err := models.New(mc)
		if err != nil {
			return nil, err
		}
		net = n64
	}
	for _, p := range net.Params() {
		if p.Name != "head.bias" {
			continue
		}
		for j := range c.Horizon {
			for q := range esQ {
				if q != 2 {
					p.W[j*esQ+q] = -2.5
				}
			}
		}
	}
	return net, nil
}
