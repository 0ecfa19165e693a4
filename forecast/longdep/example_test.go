package longdep_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/forecast/longdep"
)

// A tiny grid: the adding problem of length 10, an LSTM, one seed, 600 steps.
func ExampleRun() {
	res, err := longdep.Run(context.Background(), longdep.Config{
		Task:     longdep.Adding,
		Lengths:  []int{10},
		Models:   []string{"lstm"},
		Seeds:    1,
		Steps:    600,
		Batch:    32,
		Hidden:   16,
		LR:       1e-2,
		TestSize: 128,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res[0]
	fmt.Printf("%s T=%d %s: baseline %.4f, learnt something: %v\n", r.Task, r.Length, r.Model, r.Baseline, r.MSEMean < r.Baseline/2)
	// Output:
	// adding T=10 lstm: baseline 0.1667, learnt something: true
}

// The gradient back through time at initialisation: a vanilla RNN's falls by
// orders of magnitude; an LSTM's (chrono initialisation, the default) does
// not.
func ExampleGradientFlow() {
	flows, err := longdep.GradientFlow(context.Background(), longdep.FlowConfig{
		Config: longdep.Config{Models: []string{"rnn", "lstm"}, Steps: -1}, // at initialisation only
		Length: 40,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range flows {
		fmt.Printf("%s: %d norms, falls more than 1000-fold: %v\n", f.Model, len(f.Init), longdep.Decay(f.Init) > 1e3)
	}
	rnn, lstm := longdep.Decay(flows[0].Init), longdep.Decay(flows[1].Init)
	fmt.Println("RNN falls further:", rnn > 100*lstm)
	// Output:
	// rnn: 40 norms, falls more than 1000-fold: true
	// lstm: 40 norms, falls more than 1000-fold: false
	// RNN falls further: true
}
