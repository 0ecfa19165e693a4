package models

import "fmt"

// Learner is what a training loop uses of a network of element type F:
// NetworkOf[F] and MLPOf[F] have it.
type Learner[F Float] interface {
	Forward(x []F, T, B int) []F
	Backward(dOut []F)
	ZeroGrad()
	Params() []*ParamOf[F]
}

var (
	_ Learner[float32] = (*NetworkOf[float32])(nil)
	_ Learner[float32] = (*MLPOf[float32])(nil)
	_ Learner[float64] = (*Master32)(nil)
)

// Master32 runs a float32 network behind a float64 face: it is a
// Learner[float64], so a training loop, an optimiser (Adam), gradient
// clipping, early stopping's weight copies and model files written for
// float64 networks work on it unchanged, while the forward and backward
// passes (every product, activation and element-wise operation) run in
// float32. The float64 Params are the master weights: each Forward rounds
// them into the float32 network, and each Backward adds the float32
// gradients into the float64 ones. Optimiser updates smaller than a
// float32 ulp of a weight are therefore kept, not lost (mixed precision
// with float64 master weights). Inputs and outputs are converted at each
// call, into buffers Master32 owns: after the first call of a size it
// allocates nothing.
type Master32 struct {
	net    Learner[float32]
	params []*Param // master weights and gradients, in net's Params order
	x      []float32
	d      []float32
	out    []float64
}

// NewMaster32 wraps net, taking its current weights (exactly, as float64)
// as the master weights.
func NewMaster32(net Learner[float32]) *Master32 {
	m := &Master32{net: net}
	for _, p := range net.Params() {
		q := &Param{Name: p.Name, Shape: p.Shape, W: make([]float64, len(p.W)), G: make([]float64, len(p.G))}
		for i, v := range p.W {
			q.W[i] = float64(v)
		}
		m.params = append(m.params, q)
	}
	return m
}

// Net returns the float32 network. Its weights are overwritten from the
// master weights at every Forward.
func (m *Master32) Net() Learner[float32] { return m.net }

// Params returns the float64 master weights and gradients, in the order of
// the float32 network's Params. Loading weights is copying into Param.W.
func (m *Master32) Params() []*Param { return m.params }

// ZeroGrad sets every gradient, master and float32, to zero.
func (m *Master32) ZeroGrad() {
	for _, p := range m.params {
		zero(p.G)
	}
	m.net.ZeroGrad()
}

// Forward rounds the master weights into the float32 network, converts x
// to float32 and returns the network's output converted to float64, in a
// buffer owned by m (overwritten by the next Forward). As for a Network, x
// must not change until Backward.
func (m *Master32) Forward(x []float64, T, B int) []float64 {
	for k, p := range m.net.Params() {
		for i, v := range m.params[k].W {
			p.W[i] = float32(v)
		}
	}
	m.x = grow(m.x, len(x))
	for i, v := range x {
		m.x[i] = float32(v)
	}
	out := m.net.Forward(m.x, T, B)
	m.out = grow(m.out, len(out))
	for i, v := range out {
		m.out[i] = float64(v)
	}
	return m.out
}

// Backward backpropagates dOut (converted to float32) through the float32
// network and adds the resulting gradients to the master gradients (+=, as
// Network.Backward accumulates). It panics like the network's Backward.
func (m *Master32) Backward(dOut []float64) {
	if len(dOut) != len(m.out) {
		panic(fmt.Sprintf("models: Master32.Backward gradient has length %d; want %d", len(dOut), len(m.out)))
	}
	m.d = grow(m.d, len(dOut))
	for i, v := range dOut {
		m.d[i] = float32(v)
	}
	m.net.ZeroGrad()
	m.net.Backward(m.d)
	for k, p := range m.net.Params() {
		g := m.params[k].G
		for i, v := range p.G {
			g[i] += float64(v)
		}
	}
}
