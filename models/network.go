package models

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/tsf-go/tsf/internal/linalg"
)

// Cell selects the recurrent cell of a Network.
type Cell int

const (
	// LSTM is PyTorch's nn.LSTM cell, gate order [i, f, g, o]. It is the
	// zero value, hence the default.
	LSTM Cell = iota
	// GRU is PyTorch's nn.GRU cell, gate order [r, z, n].
	GRU
	// RNN is the vanilla Elman cell h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh).
	RNN
)

// String returns "lstm", "gru" or "rnn".
func (c Cell) String() string {
	switch c {
	case LSTM:
		return "lstm"
	case GRU:
		return "gru"
	case RNN:
		return "rnn"
	}
	return fmt.Sprintf("Cell(%d)", int(c))
}

// Gates returns the number of fused gate blocks of the cell: 4, 3 or 1.
func (c Cell) Gates() int {
	switch c {
	case LSTM:
		return 4
	case GRU:
		return 3
	case RNN:
		return 1
	}
	panic(fmt.Sprintf("models: unknown cell %d", int(c)))
}

// ParseCell turns "lstm", "gru" or "rnn" (any case) into a Cell.
func ParseCell(s string) (Cell, error) {
	switch strings.ToLower(s) {
	case "lstm":
		return LSTM, nil
	case "gru":
		return GRU, nil
	case "rnn":
		return RNN, nil
	}
	return 0, fmt.Errorf("models: unknown cell %q (want lstm, gru or rnn)", s)
}

// Config describes a Network. The zero value of every field except Input
// and Hidden means the documented default.
type Config struct {
	Cell   Cell // recurrent cell; default LSTM
	Input  int  // features per time step, ≥ 1 (required)
	Hidden int  // hidden units per layer, ≥ 1 (required)
	Layers int  // stacked recurrent layers; default 1
	Output int  // outputs of the linear head (the horizon); default 1

	// PerStep applies the head at every time step: Forward returns
	// (T, B, Output) instead of (B, Output) from the last hidden state.
	PerStep bool

	// Truncate, if > 0, cuts backpropagation through time after that many
	// steps counted back from the end of each Forward's sequence: the
	// state entering step T-Truncate is treated as a constant, so the
	// gradient reaching further back (into earlier inputs, earlier hidden
	// states or the initial state) is exactly zero. With PerStep, outputs
	// before T-Truncate still train the head but send no gradient into
	// the recurrent layers. Default 0: full BPTT.
	Truncate int

	// ForgetBias is the LSTM forget-gate bias at initialisation, placed in
	// bias_ih (the forget block of bias_hh is set to 0, so the sum is
	// ForgetBias). Default 1.0. Use NoForgetBias for an explicit 0.
	ForgetBias float64
	// NoForgetBias sets the LSTM forget-gate biases to exactly 0.
	NoForgetBias bool
	// Chrono, if > 1, replaces the LSTM's input- and forget-gate biases by
	// the chrono initialisation (Tallec and Ollivier, 2018): forget bias
	// log(u) and input bias −log(u) in bias_ih, u ~ U(1, Chrono−1) per
	// unit (the bias_hh blocks of both gates are 0), so the cells start
	// with memory time scales spread up to Chrono steps. For dependencies
	// longer than the forget bias of 1 allows (about 3 steps); set it near
	// the longest dependency. Other cells ignore it.
	Chrono int
	// Orthogonal initialises each gate's H×H block of weight_hh as a random
	// orthogonal matrix instead of PyTorch's uniform draw.
	Orthogonal bool
	// TorchInit uses PyTorch's default initialisation for every parameter,
	// U(-1/√H, 1/√H), ignoring ForgetBias, NoForgetBias and Orthogonal.
	TorchInit bool

	// Seed seeds the initialisation (PCG(Seed, Seed)). Same seed, same weights.
	Seed uint64

	// MaxSeq and MaxBatch, if set, size the buffers at construction so that
	// even the first Forward of up to that size allocates nothing. Buffers
	// grow on demand anyway.
	MaxSeq, MaxBatch int

	// DType is the element type, "float64" or "float32". It must match the
	// type NewOf is instantiated with (empty means that type): New builds
	// float64 networks, NewOf[float32] float32 ones. The initial
	// weights of a float32 network are those of the float64 network of the
	// same Config, rounded to float32.
	DType DType
}

// ParamOf is one named parameter tensor with its gradient, both row-major
// and contiguous, in element type F. Names follow PyTorch: "weight_ih_l0",
// "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", ..., "head.weight",
// "head.bias".
type ParamOf[F Float] struct {
	Name  string
	Shape []int // e.g. [G*H, In] for weight_ih_l0
	W     []F   // values, len = product of Shape
	G     []F   // gradient, same length; accumulated by Backward
}

// Size returns the number of elements of p.
func (p *ParamOf[F]) Size() int { return len(p.W) }

// layer is one recurrent layer with its caches. Shapes are written beside
// each field; T and B are those of the last Forward.
type layer[F Float] struct {
	cell      Cell
	in, h, g  int         // input size, hidden size, number of gates
	wih, whh  *ParamOf[F] // (G*H, In), (G*H, H)
	bih, bhh  *ParamOf[F] // (G*H), (G*H)
	bias      []F
	hs        []F // (T+1, B, H): hs[0] is h0, hs[t+1] is h_t
	cs        []F // (T+1, B, H): LSTM cell states, cs[0] is c0
	tc        []F // (T, B, H): LSTM tanh(c_t)
	gates     []F // (T, B, G*H): gate activations after the nonlinearity
	hn        []F // (T, B, H): GRU W_hn h_{t-1} + b_hn
	ghh       []F // (B, G*H): GRU recurrent projection scratch
	da        []F // (T, B, G*H): dL/d(pre-activation), input side
	dahh      []F // (T, B, G*H): GRU dL/d(recurrent projection)
	dh        []F // (T, B, H): dL/dh_t; after Backward, the total gradient
	dhr, dcr  []F // (B, H): recurrent gradient carried to step t-1
	reset     []rowReset
	resetKeep []F // (B, H) scratch for resets
	bsum      []F // (G*H): bias-gradient scratch
	disp      *rowDispatch
	dispX     []F // the input of the pass being dispatched

	// Weights packed for the products, once per Forward or Backward.
	pwih  linalg.PackedB[F] // W_ihᵀ (In, G*H), when the input is not inline
	pwhh  linalg.PackedB[F] // W_hhᵀ (H, G*H): forward recurrent product
	pwhhB linalg.PackedB[F] // W_hh (G*H, H): backward recurrent product
	// inline: the element-wise pass adds W_ih x_t itself (small In, no
	// GRU), from wihT, W_ihᵀ (In, G*H), instead of one input GEMM.
	inline bool
	wihT   []F
	gacc   []F // (B, G*(In+1)): per-row bias and W_ihᵀ gradient sums

	// infer: Predict's mode, with one step's gate, tanh(c) and GRU hn
	// scratch, (B, G*H), (B, H), (B, H), instead of the per-step caches.
	infer            bool
	sgates, stc, shn []F
}

// inlineMaxIn is the largest input size whose projection the element-wise
// pass computes itself: for a few features a GEMM over all steps costs
// more in memory traffic and kernel calls than it saves.
const inlineMaxIn = 4

type rowReset struct{ t, b int }

// NetworkOf is a stack of recurrent layers followed by a linear head, with
// weights, gradients, caches, inputs and outputs in element type F. It owns
// every buffer it returns; see the package documentation for layouts.
// A NetworkOf is not safe for concurrent use.
type NetworkOf[F Float] struct {
	cfg    Config
	layers []*layer[F]
	headW  *ParamOf[F] // (Output, H)
	headB  *ParamOf[F] // (Output)
	params []*ParamOf[F]

	steps, rows int // T and B of the last Forward
	x           []F // the caller's input of the last Forward (not copied)
	out         []F // head output
	dx          []F // (T, B, In): dL/dx after Backward
	init        *StateOf[F]
	resets      []rowReset
	dxStale     bool // dx is not yet computed for the last Backward
	dxLo        int  // first step the last Backward reached
	backed      bool
	hasData     bool

	// Predict's chunking buffers.
	px, pout []F
	pstate   *StateOf[F]
}

// New builds a float64 Network from cfg with seeded initial weights. It
// returns an error for an invalid configuration, including a DType other
// than float64 (use NewOf[float32]).
func New(cfg Config) (*Network, error) { return NewOf[float64](cfg) }

// NewOf builds a network of element type F from cfg with seeded initial
// weights. It returns an error for an invalid configuration or when
// cfg.DType names another type than F.
func NewOf[F Float](cfg Config) (*NetworkOf[F], error) {
	want := DTypeOf[F]()
	dt, err := ParseDType(string(cfg.DType))
	if err != nil {
		return nil, fmt.Errorf("models: config DType: %w", err)
	}
	if cfg.DType == "" {
		dt = want
	}
	if dt != want {
		return nil, fmt.Errorf("models: config DType = %s, but the network is built in %s (use NewOf[%s])", dt, want, dt)
	}
	cfg.DType = dt
	if cfg.Input < 1 {
		return nil, fmt.Errorf("models: config Input = %d; want ≥ 1", cfg.Input)
	}
	if cfg.Hidden < 1 {
		return nil, fmt.Errorf("models: config Hidden = %d; want ≥ 1", cfg.Hidden)
	}
	if cfg.Cell < LSTM || cfg.Cell > RNN {
		return nil, fmt.Errorf("models: config Cell = %d; want LSTM, GRU or RNN", int(cfg.Cell))
	}
	if cfg.Layers < 0 || cfg.Output < 0 || cfg.Truncate < 0 || cfg.MaxSeq < 0 || cfg.MaxBatch < 0 || cfg.Chrono < 0 {
		return nil, errors.New("models: config Layers, Output, Truncate, MaxSeq, MaxBatch and Chrono must not be negative")
	}
	if math.IsNaN(cfg.ForgetBias) || math.IsInf(cfg.ForgetBias, 0) {
		return nil, fmt.Errorf("models: config ForgetBias = %g; want a finite number", cfg.ForgetBias)
	}
	if cfg.Layers == 0 {
		cfg.Layers = 1
	}
	if cfg.Output == 0 {
		cfg.Output = 1
	}
	if cfg.ForgetBias == 0 {
		cfg.ForgetBias = 1
	}
	n := &NetworkOf[F]{cfg: cfg}
	H, G := cfg.Hidden, cfg.Cell.Gates()*cfg.Hidden
	// One slab for all values and one for all gradients.
	total := 0
	for l := 0; l < cfg.Layers; l++ {
		in := cfg.Input
		if l > 0 {
			in = H
		}
		total += G*in + G*H + 2*G
	}
	total += cfg.Output*H + cfg.Output
	ws, gs := make([]F, total), make([]F, total)
	off := 0
	mk := func(name string, shape ...int) *ParamOf[F] {
		sz := 1
		for _, s := range shape {
			sz *= s
		}
		p := &ParamOf[F]{Name: name, Shape: shape, W: ws[off : off+sz : off+sz], G: gs[off : off+sz : off+sz]}
		off += sz
		n.params = append(n.params, p)
		return p
	}
	for l := 0; l < cfg.Layers; l++ {
		in := cfg.Input
		if l > 0 {
			in = H
		}
		ly := &layer[F]{cell: cfg.Cell, in: in, h: H, g: cfg.Cell.Gates()}
		ly.wih = mk(fmt.Sprintf("weight_ih_l%d", l), G, in)
		ly.whh = mk(fmt.Sprintf("weight_hh_l%d", l), G, H)
		ly.bih = mk(fmt.Sprintf("bias_ih_l%d", l), G)
		ly.bhh = mk(fmt.Sprintf("bias_hh_l%d", l), G)
		ly.bias = make([]F, G)
		ly.bsum = make([]F, G)
		ly.disp = &rowDispatch{done: make(chan struct{}, maxWorkers)}
		ly.inline = in <= inlineMaxIn && cfg.Cell != GRU
		if ly.inline {
			ly.wihT = make([]F, in*G)
		}
		n.layers = append(n.layers, ly)
	}
	n.headW = mk("head.weight", cfg.Output, H)
	n.headB = mk("head.bias", cfg.Output)
	n.initWeights()
	if cfg.MaxSeq > 0 && cfg.MaxBatch > 0 {
		n.ensure(cfg.MaxSeq, cfg.MaxBatch)
	}
	return n, nil
}

// initWeights draws every parameter from U(-1/√H, 1/√H) in Params order,
// then applies the Orthogonal, forget-bias and Chrono options. Every value
// is drawn in float64 and rounded to F.
func (n *NetworkOf[F]) initWeights() {
	rng := rand.New(rand.NewPCG(n.cfg.Seed, n.cfg.Seed))
	k := 1 / math.Sqrt(float64(n.cfg.Hidden))
	for _, p := range n.params {
		for i := range p.W {
			p.W[i] = F((2*rng.Float64() - 1) * k)
		}
	}
	if n.cfg.TorchInit {
		return
	}
	H := n.cfg.Hidden
	var block []float64
	if n.cfg.Orthogonal {
		block = make([]float64, H*H)
	}
	for _, l := range n.layers {
		if n.cfg.Orthogonal {
			for g := 0; g < l.g; g++ {
				orthogonal(block, H, rng)
				for i, v := range block {
					l.whh.W[g*H*H+i] = F(v)
				}
			}
		}
		if l.cell == LSTM {
			fb := n.cfg.ForgetBias
			if n.cfg.NoForgetBias {
				fb = 0
			}
			for j := H; j < 2*H; j++ {
				l.bih.W[j] = F(fb)
				l.bhh.W[j] = 0
			}
		}
	}
	if n.cfg.Chrono > 1 && n.cfg.Cell == LSTM {
		crng := rand.New(rand.NewPCG(n.cfg.Seed, saltChrono))
		for _, l := range n.layers {
			for j := 0; j < H; j++ {
				b := math.Log(1 + crng.Float64()*float64(n.cfg.Chrono-2))
				l.bih.W[j], l.bhh.W[j] = F(-b), 0    // input gate, block 0
				l.bih.W[H+j], l.bhh.W[H+j] = F(b), 0 // forget gate, block 1
			}
		}
	}
}

// saltChrono seeds the chrono initialisation's own stream, so that turning
// it on leaves every other weight as it was.
const saltChrono = 0xc4e0000

// orthogonal fills the n×n row-major block m with a random orthogonal
// matrix: Gram-Schmidt on a standard normal draw.
func orthogonal(m []float64, n int, rng *rand.Rand) {
	for {
		for i := range m {
			m[i] = rng.NormFloat64()
		}
		ok := true
		for i := 0; i < n && ok; i++ {
			ri := m[i*n : (i+1)*n]
			for pass := 0; pass < 2; pass++ { // re-orthogonalise for accuracy
				for j := 0; j < i; j++ {
					rj := m[j*n : (j+1)*n]
					d := 0.0
					for k := range ri {
						d += ri[k] * rj[k]
					}
					for k := range ri {
						ri[k] -= d * rj[k]
					}
				}
			}
			s := 0.0
			for _, v := range ri {
				s += v * v
			}
			if s < 1e-20 {
				ok = false
				break
			}
			s = 1 / math.Sqrt(s)
			for k := range ri {
				ri[k] *= s
			}
		}
		if ok {
			return
		}
	}
}

// Config returns the configuration with defaults filled in.
func (n *NetworkOf[F]) Config() Config { return n.cfg }

// Params returns the parameters in a fixed order: for each layer l,
// weight_ih_l, weight_hh_l, bias_ih_l, bias_hh_l; then head.weight and
// head.bias. The slice and the Params are owned by n; loading weights is
// copying into Param.W.
func (n *NetworkOf[F]) Params() []*ParamOf[F] { return n.params }

// Param returns the parameter with the given name, or nil.
func (n *NetworkOf[F]) Param(name string) *ParamOf[F] {
	for _, p := range n.params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// ZeroGrad sets every gradient to zero.
func (n *NetworkOf[F]) ZeroGrad() {
	for _, p := range n.params {
		zero(p.G)
	}
}

// ensure sizes every buffer for T steps and B rows.
func (n *NetworkOf[F]) ensure(T, B int) {
	H := n.cfg.Hidden
	for _, l := range n.layers {
		G := l.g * H
		l.hs = grow(l.hs, (T+1)*B*H)
		l.gates = grow(l.gates, T*B*G)
		l.da = grow(l.da, T*B*G)
		l.dh = grow(l.dh, T*B*H)
		l.dhr = grow(l.dhr, B*H)
		l.dcr = grow(l.dcr, B*H)
		l.resetKeep = grow(l.resetKeep, B*H)
		l.sgates = grow(l.sgates, B*G)
		l.stc = grow(l.stc, B*H)
		l.shn = grow(l.shn, B*H)
		if l.inline {
			l.gacc = grow(l.gacc, B*G*(l.in+1))
		}
		switch l.cell {
		case LSTM:
			l.cs = grow(l.cs, (T+1)*B*H)
			l.tc = grow(l.tc, T*B*H)
		case GRU:
			l.hn = grow(l.hn, T*B*H)
			l.ghh = grow(l.ghh, B*G)
			l.dahh = grow(l.dahh, T*B*G)
		}
	}
	rows := B
	if n.cfg.PerStep {
		rows = T * B
	}
	n.out = grow(n.out, rows*n.cfg.Output)
	n.dx = grow(n.dx, T*B*n.cfg.Input)
}

// Forward runs the network over the time-major input x of shape
// (T, B, Input), x[(t*B+b)*Input+i], starting from the state set with
// SetState (zero if none), and returns the head output: (B, Output) from
// the last hidden state, or (T, B, Output) when Config.PerStep is set.
// The result is a buffer owned by n, overwritten by the next Forward.
// x is kept by reference until Backward and must not change in between.
// Forward panics if len(x) != T*B*Input or T, B < 1.
func (n *NetworkOf[F]) Forward(x []F, T, B int) []F {
	n.forwardRecurrent(x, T, B)
	top := n.layers[len(n.layers)-1]
	H, O := n.cfg.Hidden, n.cfg.Output
	hrows, rows := top.hs[T*B*H:(T+1)*B*H], B
	if n.cfg.PerStep {
		hrows, rows = top.hs[B*H:(T+1)*B*H], T*B
	}
	out := n.out[:rows*O]
	for r := 0; r < rows; r++ {
		copy(out[r*O:(r+1)*O], n.headB.W)
	}
	linalg.Gemm(false, true, rows, O, H, 1, hrows, H, n.headW.W, H, 1, out, O)
	return out
}

func (n *NetworkOf[F]) forwardRecurrent(x []F, T, B int) {
	if T < 1 || B < 1 {
		panic(fmt.Sprintf("models: Forward with T = %d, B = %d; want ≥ 1", T, B))
	}
	if len(x) != T*B*n.cfg.Input {
		panic(fmt.Sprintf("models: Forward input has length %d; want T*B*Input = %d*%d*%d = %d", len(x), T, B, n.cfg.Input, T*B*n.cfg.Input))
	}
	if n.init != nil && n.init.B != B {
		panic(fmt.Sprintf("models: Forward with B = %d but the state set by SetState has B = %d", B, n.init.B))
	}
	for _, r := range n.resets {
		if r.t >= T || r.b >= B {
			panic(fmt.Sprintf("models: reset at step %d row %d outside T = %d, B = %d", r.t, r.b, T, B))
		}
	}
	n.ensure(T, B)
	n.steps, n.rows, n.x, n.backed, n.hasData, n.dxStale = T, B, x, false, true, false
	H := n.cfg.Hidden
	in := x
	for li, l := range n.layers {
		h0 := l.hs[:B*H]
		if n.init == nil {
			zero(h0)
			if l.cell == LSTM {
				zero(l.cs[:B*H])
			}
		} else {
			copy(h0, n.init.H[li*B*H:(li+1)*B*H])
			if l.cell == LSTM {
				copy(l.cs[:B*H], n.init.C[li*B*H:(li+1)*B*H])
			}
		}
		l.reset = n.resets
		l.forward(in, T, B)
		in = l.hs[B*H : (T+1)*B*H]
	}
}

// forward runs one layer over x (T, B, in), filling the caches.
func (l *layer[F]) forward(x []F, T, B int) {
	H := l.h
	G := l.g * H
	TB := T * B
	copy(l.bias, l.bih.W)
	if l.cell != GRU { // for GRU, b_hh stays with the recurrent term
		for j, v := range l.bhh.W {
			l.bias[j] += v
		}
	}
	l.pwhh.Pack(true, H, G, l.whh.W, H)
	if l.inline {
		for j := 0; j < G; j++ {
			for i := 0; i < l.in; i++ {
				l.wihT[i*G+j] = l.wih.W[j*l.in+i]
			}
		}
	} else {
		// Input projection for all steps at once: (T*B, In)·(In, G*H). The
		// biases are added in the element-wise pass.
		l.pwih.Pack(true, l.in, G, l.wih.W, l.in)
		if !l.infer {
			linalg.GemmPacked(false, TB, 1, x, l.in, &l.pwih, 0, l.gates[:TB*G], G)
		}
	}
	l.pass(false, x, T, B, 0)
}

// applyResets returns the recurrent input of step t for rows [b0, b1)
// (hprev holds those rows) with the rows reset at step t zeroed (in
// scratch, so the cached outputs stay intact); the LSTM cell state rows
// in cprev are zeroed in place.
func (l *layer[F]) applyResets(t, B, b0, b1 int, hprev, cprev []F) []F {
	if len(l.reset) == 0 {
		return hprev
	}
	H := l.h
	hit := false
	for _, r := range l.reset {
		hit = hit || (r.t == t && r.b >= b0 && r.b < b1)
	}
	if !hit {
		return hprev
	}
	// hs[t] rows are outputs of step t-1, so a zeroed copy feeds step t.
	// The LSTM cell state is not an output: its rows are zeroed in place,
	// and this step's backward then sees c_{t-1} = 0 as it should.
	hk := l.resetKeep[b0*H : b1*H]
	copy(hk, hprev)
	for _, r := range l.reset {
		if r.t == t && r.b >= b0 && r.b < b1 {
			zero(hk[(r.b-b0)*H : (r.b-b0+1)*H])
			if cprev != nil {
				zero(cprev[(r.b-b0)*H : (r.b-b0+1)*H])
			}
		}
	}
	return hk
}
