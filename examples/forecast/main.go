// Command forecast fits an LSTM to a series and prints a 24-step forecast
// with its 80% and 95% prediction intervals.
//
//	go run ./examples/forecast                          # a built-in hourly series
//	go run ./examples/forecast -csv examples/data/airline_passengers.csv -target passengers -h 12
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/neural"
)

func main() {
	path := flag.String("csv", "", "CSV file to forecast (default: a generated hourly series)")
	target := flag.String("target", "", "target column of the CSV")
	h := flag.Int("h", 24, "forecast horizon")
	flag.Parse()
	log.SetFlags(0)

	var s *dataset.Series
	if *path == "" {
		// 20 days of hourly data: a daily cycle, a slow trend and noise.
		rng := rand.New(rand.NewPCG(1, 1))
		s = dataset.Sines(dataset.SinesConfig{N: 480, Periods: []float64{24}, Amplitudes: []float64{10}, Level: 50, Trend: 0.02, Noise: 1}, rng)
	} else {
		opts := dataset.Options{}
		if *target != "" {
			opts.Targets = []string{*target}
		}
		fr, err := dataset.ReadCSV(*path, opts)
		if err != nil {
			log.Fatal(err)
		}
		s = fr.Series[0]
	}

	m, err := neural.NewNeural(neural.NeuralConfig{Model: "lstm", Horizon: *h, Hidden: 32, Epochs: 30, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Fit(context.Background(), s); err != nil {
		log.Fatal(err)
	}
	hist := m.History()
	fmt.Printf("%s: %d points (%s), window %d, %d epochs, best %d, validation loss %.4f\n",
		s.Name, s.Len(), s.Freq, m.Config().Window, len(hist.Train), hist.BestEpoch, hist.Val[hist.BestEpoch-1])

	f, err := m.Predict(*h)
	if err != nil {
		log.Fatal(err)
	}
	iv80, _ := f.Interval(0.8)
	iv95, _ := f.Interval(0.95)
	fmt.Println("time                 forecast   80% interval         95% interval")
	for k, v := range f.Values {
		t := fmt.Sprint(f.Index[k])
		if f.Time != nil {
			t = s.Format(f.Time[k])
		}
		fmt.Printf("%-20s %8.2f  [%8.2f, %8.2f]  [%8.2f, %8.2f]\n", t, v, at(iv80.Lo, k), at(iv80.Hi, k), at(iv95.Lo, k), at(iv95.Hi, k))
	}
}

func at(x []float64, k int) float64 {
	if k < len(x) {
		return x[k]
	}
	return 0
}
