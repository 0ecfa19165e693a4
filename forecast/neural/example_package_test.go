package neural_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/neural" // registers the neural models
)

// Importing the package registers "lstm", "gru", "rnn", "mlp", "eslstm"
// and "esrnn"; the neural settings go in Options.Params. A network's
// forecast carries conformal intervals from its validation windows.
func Example() {
	s := dataset.Sines(dataset.SinesConfig{N: 240, Periods: []float64{24}, Amplitudes: []float64{2}, Level: 10, Noise: 0.1},
		rand.New(rand.NewPCG(1, 1)))
	m, err := forecast.New("mlp", forecast.Options{Window: 48, Horizon: 12, Seed: 1,
		Params: map[string]string{"epochs": "3", "hidden": "8"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.Fit(context.Background(), s); err != nil {
		fmt.Println(err)
		return
	}
	fc, _ := m.Predict(12)
	fmt.Printf("%s: %d steps, strategy %s\n", m.Name(), fc.Len(), fc.Strategy)
	for _, iv := range fc.Intervals {
		fmt.Printf("%.0f%% interval\n", 100*iv.Level)
	}
	// Output:
	// mlp: 12 steps, strategy direct
	// 80% interval
	// 95% interval
}
