// Command readme is the README's library example, word for word (a test
// keeps them equal). Run it from the root of a clone: go run ./examples/readme
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/ets"
	"github.com/tsf-go/tsf/forecast/neural"
)

func main() {
	fr, err := dataset.ReadCSV("examples/data/airline_passengers.csv", dataset.Options{Missing: dataset.MissingInterpolate})
	if err != nil {
		log.Fatal(err) // names the file, row and column
	}
	s := fr.Series[0] // monthly: the season, 12, comes from the time column

	lstm, err := neural.NewNeural(neural.NeuralConfig{Model: "lstm", Horizon: 12, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	if err := lstm.Fit(context.Background(), s); err != nil {
		log.Fatal(err)
	}
	f, err := lstm.Predict(24) // past the trained horizon: blocks are chained
	if err != nil {
		log.Fatal(err)
	}
	iv, _ := f.Interval(0.95)
	fmt.Printf("%s: %.0f thousand passengers, 95%% interval %.0f to %.0f\n",
		f.Time[0].Format("2006-01"), f.Values[0], iv.Lo[0], iv.Hi[0])

	// Every model, neural or classical, is a forecast.Forecaster, so a
	// backtest treats them alike.
	res, err := forecast.Compare(context.Background(), s, []forecast.Factory{
		func() forecast.Forecaster {
			m, _ := forecast.New("lstm", forecast.Options{Horizon: 12, Seed: 1})
			return m
		},
		func() forecast.Forecaster { return forecast.NewSeasonalNaive(0) },
		func() forecast.Forecaster { return ets.NewETS(ets.ETSConfig{}) },
	}, forecast.BacktestConfig{Horizon: 12, Folds: 3})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res {
		fmt.Printf("%-12s MASE %.3f\n", r.Model, r.Mean.MASE)
	}
	if err := forecast.Save("airline.tsf", lstm); err != nil {
		log.Fatal(err)
	}
}
