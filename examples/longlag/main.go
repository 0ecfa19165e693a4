// Command longlag trains a vanilla RNN and an LSTM with the same budget on a
// spike-echo series, where every spike recurs exactly -lag steps later, and
// compares their one-step test errors with the oracle that knows every echo
// and with predicting 0 (remembering nothing).
//
//	go run ./examples/longlag
//	go run ./examples/longlag -lag 20 -epochs 40
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

func main() {
	lag := flag.Int("lag", 10, "echo lag in steps")
	epochs := flag.Int("epochs", 20, "training epochs")
	n := flag.Int("n", 3000, "series length")
	flag.Parse()
	log.SetFlags(0)

	s, stats := dataset.SpikeEcho(dataset.SpikeEchoConfig{N: *n, Lag: *lag, Rate: 0.05}, rand.New(rand.NewPCG(1, 1)))
	test := *n / 5
	cfg := forecast.BacktestConfig{Horizon: 1, Folds: test, RefitEvery: test} // fit once, then forecast every test point
	fmt.Printf("spike echo, lag %d: trained on %d points, tested on the next %d one step ahead\n", *lag, *n-test, test)
	var zero float64
	for _, v := range s.Values[*n-test:] {
		zero += v * v
	}
	fmt.Printf("test MSE of predicting 0 (remembers nothing): %.4f; expected: oracle %.4f, lag-free %.4f\n",
		zero/float64(test), stats.OracleMSE, stats.LagFreeMSE)
	for _, model := range []string{"rnn", "lstm"} {
		nc := forecast.NeuralConfig{Model: model, Window: 2*(*lag) + 4, Hidden: 32, Epochs: *epochs, LR: 5e-3,
			Schedule: "cosine", Normalize: forecast.NormNone, Patience: *epochs, Seed: 1}
		start := time.Now()
		r, err := forecast.Backtest(context.Background(), s, func() forecast.Forecaster {
			m, err := forecast.NewNeural(nc)
			if err != nil {
				log.Fatal(err)
			}
			return m
		}, cfg)
		if err != nil {
			log.Fatal(err)
		}
		var sum float64
		for _, f := range r.Folds {
			d := f.Actual[0] - f.Forecast.Values[0]
			sum += d * d
		}
		fmt.Printf("%-5s test MSE %.4f  (%s)\n", model, sum/float64(len(r.Folds)), time.Since(start).Round(100*time.Millisecond))
	}
}
