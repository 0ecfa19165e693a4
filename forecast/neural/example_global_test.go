package neural_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/neural"
)

// One LSTM trained across series of very different scales forecasts a
// series it never saw, from its history alone.
func ExampleNeural_FitGlobal() {
	rng := rand.New(rand.NewPCG(1, 1))
	var series []*dataset.Series
	for i := range 20 {
		level := float64(10 * (i + 1) * (i + 1))
		series = append(series, dataset.Sines(dataset.SinesConfig{N: 96, Periods: []float64{12}, Amplitudes: []float64{level / 5},
			Level: level, Noise: level / 100}, rng))
	}
	f, err := forecast.New("lstm", forecast.Options{Global: true, Horizon: 6, Season: 12, Seed: 1,
		Params: map[string]string{"hidden": "16", "epochs": "5"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	n := f.(*neural.Neural)
	if err := n.FitGlobal(context.Background(), series); err != nil {
		fmt.Println(err)
		return
	}
	unseen := dataset.Sines(dataset.SinesConfig{N: 30, Periods: []float64{12}, Amplitudes: []float64{2000}, Level: 10000, Noise: 100}, rng)
	fc, err := n.PredictFrom(unseen, 6)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := n.Config()
	fmt.Printf("window %d, normalisation %s, transform %s, %d training windows\n", c.Window, c.Normalize, c.Transform, n.History().TrainWindows)
	fmt.Printf("%d steps with %d intervals\n", fc.Len(), len(fc.Intervals))
	// Output:
	// window 24, normalisation mean, transform log, 1320 training windows
	// 6 steps with 2 intervals
}
