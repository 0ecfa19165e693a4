package models

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tsf-go/tsf/internal/linalg"
)

// Activation is the hidden nonlinearity of an MLP.
type Activation int

const (
	// ReLU is max(0, x); the default.
	ReLU Activation = iota
	// Tanh is tanh(x).
	Tanh
)

// MLPConfig describes a windowed feed-forward network. The zero value of a
// field means its documented default.
type MLPConfig struct {
	Window     int        // time steps per input window, ≥ 1 (required)
	Input      int        // features per step, ≥ 1 (required)
	Hidden     []int      // hidden layer widths; default [64]
	Output     int        // outputs (the horizon); default 1
	Activation Activation // hidden nonlinearity; default ReLU
	Seed       uint64     // initialisation seed
}

// MLPOf is a feed-forward reference model in element type F: the (Window, Input) window is
// flattened step-major (x_0 features, then x_1, ...) into one vector,
// passed through hidden layers with the chosen activation and a linear
// output layer. It takes the same time-major (T, B, Input) input as
// Network, so callers can treat both alike. Not safe for concurrent use.
type MLPOf[F Float] struct {
	cfg    MLPConfig
	ws, bs []*ParamOf[F] // per layer: (out, in), (out)
	params []*ParamOf[F]
	b      int   // rows of the last Forward
	acts   [][]F // acts[0] = flattened input (B, Window*Input); acts[i] (B, width_i)
	dacts  [][]F
}

// NewMLP builds a float64 MLP with PyTorch's default nn.Linear
// initialisation U(-1/√fan_in, 1/√fan_in), seeded. It returns an error for
// a bad config.
func NewMLP(cfg MLPConfig) (*MLP, error) { return NewMLPOf[float64](cfg) }

// NewMLPOf is NewMLP for element type F: the same draws, rounded to F.
func NewMLPOf[F Float](cfg MLPConfig) (*MLPOf[F], error) {
	if cfg.Window < 1 || cfg.Input < 1 {
		return nil, fmt.Errorf("models: MLP config Window = %d, Input = %d; want both ≥ 1", cfg.Window, cfg.Input)
	}
	if cfg.Output < 0 {
		return nil, errors.New("models: MLP config Output must not be negative")
	}
	if cfg.Output == 0 {
		cfg.Output = 1
	}
	if cfg.Hidden == nil {
		cfg.Hidden = []int{64}
	}
	for _, h := range cfg.Hidden {
		if h < 1 {
			return nil, fmt.Errorf("models: MLP hidden width %d; want ≥ 1", h)
		}
	}
	if cfg.Activation != ReLU && cfg.Activation != Tanh {
		return nil, fmt.Errorf("models: MLP activation %d; want ReLU or Tanh", int(cfg.Activation))
	}
	m := &MLPOf[F]{cfg: cfg}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed))
	widths := append([]int{cfg.Window * cfg.Input}, cfg.Hidden...)
	widths = append(widths, cfg.Output)
	for i := 1; i < len(widths); i++ {
		in, out := widths[i-1], widths[i]
		name := fmt.Sprintf("layers.%d", i-1)
		w := &ParamOf[F]{Name: name + ".weight", Shape: []int{out, in}, W: make([]F, out*in), G: make([]F, out*in)}
		b := &ParamOf[F]{Name: name + ".bias", Shape: []int{out}, W: make([]F, out), G: make([]F, out)}
		k := 1 / math.Sqrt(float64(in))
		for _, p := range []*ParamOf[F]{w, b} {
			for j := range p.W {
				p.W[j] = F((2*rng.Float64() - 1) * k)
			}
		}
		m.ws, m.bs = append(m.ws, w), append(m.bs, b)
		m.params = append(m.params, w, b)
	}
	m.acts = make([][]F, len(widths))
	m.dacts = make([][]F, len(widths))
	return m, nil
}

// Params returns "layers.0.weight", "layers.0.bias", ... in order.
func (m *MLPOf[F]) Params() []*ParamOf[F] { return m.params }

// ZeroGrad sets every gradient to zero.
func (m *MLPOf[F]) ZeroGrad() {
	for _, p := range m.params {
		zero(p.G)
	}
}

// Forward maps the time-major window x (T, B, Input) with T = Window to
// the output (B, Output), in a buffer owned by m. It panics on a shape
// mismatch.
func (m *MLPOf[F]) Forward(x []F, T, B int) []F {
	I := m.cfg.Input
	if T != m.cfg.Window || B < 1 || len(x) != T*B*I {
		panic(fmt.Sprintf("models: MLP Forward with T = %d, B = %d, len(x) = %d; want T = Window = %d and len(x) = T*B*%d", T, B, len(x), m.cfg.Window, I))
	}
	m.b = B
	D := T * I
	a := grow(m.acts[0], B*D)
	m.acts[0] = a
	for t := 0; t < T; t++ {
		for b := 0; b < B; b++ {
			copy(a[b*D+t*I:b*D+(t+1)*I], x[(t*B+b)*I:(t*B+b+1)*I])
		}
	}
	for i, w := range m.ws {
		out, in := w.Shape[0], w.Shape[1]
		z := grow(m.acts[i+1], B*out)
		m.acts[i+1] = z
		for b := 0; b < B; b++ {
			copy(z[b*out:(b+1)*out], m.bs[i].W)
		}
		linalg.Gemm(false, true, B, out, in, 1, m.acts[i], in, w.W, in, 1, z, out)
		if i < len(m.ws)-1 {
			for k, v := range z {
				if m.cfg.Activation == Tanh {
					z[k] = F(math.Tanh(float64(v)))
				} else if v < 0 {
					z[k] = 0
				}
			}
		}
	}
	return m.acts[len(m.acts)-1]
}

// Backward accumulates parameter gradients from dOut (B, Output), the
// gradient of the loss with respect to the last Forward's output.
func (m *MLPOf[F]) Backward(dOut []F) {
	B := m.b
	if len(dOut) != B*m.cfg.Output {
		panic(fmt.Sprintf("models: MLP Backward gradient has length %d; want %d", len(dOut), B*m.cfg.Output))
	}
	d := dOut
	for i := len(m.ws) - 1; i >= 0; i-- {
		w := m.ws[i]
		out, in := w.Shape[0], w.Shape[1]
		linalg.Gemm(true, false, out, in, B, 1, d, out, m.acts[i], in, 1, w.G, in)
		for b := 0; b < B; b++ {
			for k, v := range d[b*out : (b+1)*out] {
				m.bs[i].G[k] += v
			}
		}
		if i == 0 {
			break
		}
		da := grow(m.dacts[i], B*in)
		m.dacts[i] = da
		linalg.Gemm(false, false, B, in, out, 1, d, out, w.W, in, 0, da, in)
		for k, a := range m.acts[i] { // backprop through the activation
			if m.cfg.Activation == Tanh {
				da[k] *= 1 - a*a
			} else if a <= 0 {
				da[k] = 0
			}
		}
		d = da
	}
}
