package models_test

import (
	"fmt"
	"math"

	"github.com/tsf-go/tsf/models"
)

// Train an LSTM to output the mean of a short sequence, with time-major
// input (T, B, In), MSE on the head, gradient clipping and Adam.
func Example() {
	const T, B = 8, 16
	net, err := models.New(models.Config{Cell: models.LSTM, Input: 1, Hidden: 8, Output: 1, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float64, T*B)
	y := make([]float64, B)
	for b := 0; b < B; b++ {
		for t := 0; t < T; t++ {
			v := math.Sin(float64(b*T+t) * 0.7)
			x[t*B+b] = v
			y[b] += v / T
		}
	}
	opt := &models.Adam{LR: 0.01}
	grad := make([]float64, B)
	var first, last float64
	for step := 0; step < 300; step++ {
		net.ZeroGrad()
		loss := models.MSE(net.Forward(x, T, B), y, grad)
		net.Backward(grad)
		models.ClipGlobalNorm(net.Params(), 1)
		opt.Step(net.Params())
		if step == 0 {
			first = loss
		}
		last = loss
	}
	fmt.Println("loss fell by more than 10x:", last < first/10)
	// Output: loss fell by more than 10x: true
}

// Carry the state across chunks of a long stream (truncated BPTT) and
// start row 1 afresh at a series boundary.
func ExampleNetwork_SetState() {
	net, _ := models.New(models.Config{Cell: models.GRU, Input: 1, Hidden: 4})
	const T, B = 5, 2
	state := net.NewState(B)
	net.SetState(state)
	x := make([]float64, T*B)
	for chunk := 0; chunk < 3; chunk++ {
		net.Forward(x, T, B)
		net.FinalState(state) // carried forward, detached
		if chunk == 1 {
			state.ResetRow(1)
		}
	}
	fmt.Println(len(state.H), state.Layers, state.B)
	// Output: 8 1 2
}

// Parameters carry PyTorch's names and shapes.
func ExampleNetwork_Params() {
	net, _ := models.New(models.Config{Cell: models.LSTM, Input: 3, Hidden: 4, Layers: 2, Output: 2})
	for _, p := range net.Params() {
		fmt.Println(p.Name, p.Shape)
	}
	// Output:
	// weight_ih_l0 [16 3]
	// weight_hh_l0 [16 4]
	// bias_ih_l0 [16]
	// bias_hh_l0 [16]
	// weight_ih_l1 [16 4]
	// weight_hh_l1 [16 4]
	// bias_ih_l1 [16]
	// bias_hh_l1 [16]
	// head.weight [2 4]
	// head.bias [2]
}

// The pinball loss of the 0.9 quantile punishes under-prediction nine
// times more than over-prediction.
func ExamplePinball() {
	under := models.Pinball([]float64{0}, []float64{1}, nil, 0.9)
	over := models.Pinball([]float64{1}, []float64{0}, nil, 0.9)
	fmt.Printf("%.1f %.1f\n", under, over)
	// Output: 0.9 0.1
}

// The vanishing-gradient picture: how much of ∂L/∂h_t survives going back
// 60 steps in a vanilla RNN and in an LSTM (forget bias 1, the default).
func ExampleNetwork_HiddenGradNorms() {
	const T, B = 60, 8
	x := make([]float64, T*B)
	for i := range x {
		x[i] = math.Sin(float64(i) * 0.37)
	}
	for _, cell := range []models.Cell{models.RNN, models.LSTM} {
		net, _ := models.New(models.Config{Cell: cell, Input: 1, Hidden: 16, Seed: 1})
		grad := make([]float64, B)
		net.ZeroGrad()
		models.MSE(net.Forward(x, T, B), make([]float64, B), grad)
		net.Backward(grad)
		norms := make([]float64, T)
		net.HiddenGradNorms(norms, 0)
		fmt.Printf("%-4v ‖∂L/∂h_0‖ / ‖∂L/∂h_T‖ = %.0e\n", cell, norms[0]/norms[T-1])
	}
	// Output:
	// rnn  ‖∂L/∂h_0‖ / ‖∂L/∂h_T‖ = 2e-18
	// lstm ‖∂L/∂h_0‖ / ‖∂L/∂h_T‖ = 4e-06
}

// Stateful TBPTT(k1 = 4, k2 = 8) over a long stream, chunk by chunk.
func ExampleTBPTT() {
	const B, K1, K2 = 2, 4, 8
	net, _ := models.New(models.Config{Cell: models.LSTM, Input: 1, Hidden: 8, PerStep: true, Seed: 1})
	tb, _ := models.NewTBPTT(net, K1, K2, B)
	opt := &models.Adam{LR: 0.01}
	x, y, grad := make([]float64, K1*B), make([]float64, K1*B), make([]float64, K1*B)
	var first, last float64
	for chunk := 0; chunk < 200; chunk++ {
		for t := 0; t < K1; t++ { // next steps of two sine streams; predict the next value
			for b := 0; b < B; b++ {
				s := float64(chunk*K1+t) * 0.3
				x[t*B+b] = math.Sin(s + float64(b))
				y[t*B+b] = math.Sin(s + 0.3 + float64(b))
			}
		}
		net.ZeroGrad()
		loss := models.MSE(tb.Step(x), y, grad)
		tb.Backward(grad)
		opt.Step(net.Params())
		if chunk == 0 {
			first = loss
		}
		last = loss
	}
	fmt.Println("loss fell by more than 10x:", last < first/10)
	// Output: loss fell by more than 10x: true
}
