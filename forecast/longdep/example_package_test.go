package longdep_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/forecast/longdep"
)

// The study in one small run: the adding problem with its two marked
// numbers up to 20 steps back, a vanilla RNN and an LSTM with the same
// budget, each compared with the 1/6 of predicting the mean.
func Example() {
	res, err := longdep.Run(context.Background(), longdep.Config{
		Task:     longdep.Adding,
		Lengths:  []int{20},
		Models:   []string{"rnn", "lstm"},
		Seeds:    1,
		Steps:    800,
		Batch:    32,
		Hidden:   16,
		LR:       1e-2,
		TestSize: 256,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res {
		fmt.Printf("%s T=%d %-4s below half the baseline: %v\n", r.Task, r.Length, r.Model, r.MSEMean < r.Baseline/2)
	}
	// Output:
	// adding T=20 rnn  below half the baseline: false
	// adding T=20 lstm below half the baseline: true
}
