// Command backtest evaluates several models by rolling-origin backtesting
// on the same folds and prints their errors.
//
//	go run ./examples/backtest                  # a built-in hourly series
//	go run ./examples/backtest -csv examples/data/sunspots_monthly.csv -h 12 -folds 3
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/all"
)

func main() {
	path := flag.String("csv", "", "CSV file (default: a generated hourly series)")
	target := flag.String("target", "", "target column of the CSV")
	h := flag.Int("h", 24, "forecast horizon of each fold")
	folds := flag.Int("folds", 4, "number of folds")
	flag.Parse()
	log.SetFlags(0)

	var s *dataset.Series
	if *path == "" {
		rng := rand.New(rand.NewPCG(2, 2))
		s = dataset.Sines(dataset.SinesConfig{N: 720, Periods: []float64{24, 168}, Amplitudes: []float64{5, 2}, Level: 20, Noise: 0.8}, rng)
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

	names := []string{"naive", "snaive", "drift", "mean", "ets", "mlp"}
	factories := make([]forecast.Factory, len(names))
	for i, n := range names {
		opts := forecast.Options{Horizon: *h, Seed: 1}
		if n == "mlp" {
			opts.Params = map[string]string{"epochs": "20", "hidden": "16"}
		}
		if _, err := forecast.New(n, opts); err != nil {
			log.Fatal(err)
		}
		factories[i] = func() forecast.Forecaster { f, _ := forecast.New(n, opts); return f }
	}
	results, err := forecast.Compare(context.Background(), s, factories, forecast.BacktestConfig{Horizon: *h, Folds: *folds})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d points, %d folds of %d steps, MASE lag %d\n", s.Name, s.Len(), *folds, *h, results[0].Season)
	fmt.Printf("%-8s %8s %8s %8s %6s\n", "model", "MAE", "RMSE", "sMAPE%", "MASE")
	for i, r := range results {
		fmt.Printf("%-8s %8.3f %8.3f %8.2f %6.3f\n", names[i], r.Mean.MAE, r.Mean.RMSE, r.Mean.SMAPE, r.Mean.MASE)
	}
}
