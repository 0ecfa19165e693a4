package forecast_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/ets"
	"github.com/tsf-go/tsf/forecast/neural"
)

// monthly returns a seeded monthly series with trend, season and noise.
func monthly(n int) *dataset.Series {
	r := rand.New(rand.NewPCG(1, 1))
	s := &dataset.Series{Name: "sales", Freq: dataset.Freq{Kind: dataset.Monthly}, Layout: "2006-01"}
	t0 := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for t := range n {
		s.Time = append(s.Time, s.Freq.Add(t0, t))
		s.Values = append(s.Values, 100+0.5*float64(t)+10*math.Sin(2*math.Pi*float64(t)/12)+r.NormFloat64())
	}
	return s
}

// Backtest three baselines with the same three rolling-origin folds: the
// test windows are the last 3·12 points, and each fold trains on everything
// before its origin.
func ExampleCompare() {
	s := monthly(120)
	models := []forecast.Factory{
		func() forecast.Forecaster { return forecast.NewNaive() },
		func() forecast.Forecaster { return forecast.NewSeasonalNaive(0) }, // period 12 from the monthly frequency
		func() forecast.Forecaster { return ets.NewETS(ets.ETSConfig{}) },
	}
	results, err := forecast.Compare(context.Background(), s, models, forecast.BacktestConfig{Horizon: 12, Folds: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Printf("%-6s MASE %.2f  sMAPE %.2f%%\n", r.Model, r.Mean.MASE, r.Mean.SMAPE)
	}
	// Output:
	// naive  MASE 1.43  sMAPE 5.79%
	// snaive MASE 1.00  sMAPE 4.08%
	// ets    MASE 0.13  sMAPE 0.52%
}

// The evaluation protocol "K = 3 rolling-origin folds whose test windows are
// the last 3·H points, each fold trained on at most the last N points
// before its origin, MASE scaled by the in-sample seasonal-naive MAE (lag m)
// of that fold's training part" is one BacktestConfig.
func ExampleBacktest() {
	s := monthly(150)
	res, err := forecast.Backtest(context.Background(), s,
		func() forecast.Forecaster { return ets.NewETS(ets.ETSConfig{}) },
		forecast.BacktestConfig{Horizon: 12, Folds: 3, MaxTrain: 100, Season: 12})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Folds {
		fmt.Printf("fold %d: train [%d, %d) test [%d, %d) %s MASE %.2f\n",
			f.Index, f.TrainStart, f.Origin, f.Origin, f.Origin+12, f.Forecast.Model, f.Scores.MASE)
	}
	fmt.Printf("mean MASE %.2f, step-12 MAE %.2f\n", res.Mean.MASE, res.PerStep[11].MAE)
	// Output:
	// fold 0: train [14, 114) test [114, 126) ets(A,A,A) MASE 0.13
	// fold 1: train [26, 126) test [126, 138) ets(A,A,A) MASE 0.11
	// fold 2: train [38, 138) test [138, 150) ets(A,A,A) MASE 0.11
	// mean MASE 0.12, step-12 MAE 0.08
}

// Save a fitted model and load it back: the loaded model forecasts
// bit-identically.
func ExampleSave() {
	s := monthly(60)
	m := ets.NewETS(ets.ETSConfig{Trend: "add", Season: "add"})
	if err := m.Fit(context.Background(), s); err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "tsf")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sales.tsf")
	if err := forecast.Save(path, m); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := forecast.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := m.Predict(3)
	b, _ := loaded.Predict(3)
	fmt.Println(loaded.Name(), a.Values[2] == b.Values[2], b.Time[0].Format("2006-01"))
	// Output:
	// ets(A,A,A) true 2015-01
}

func ExampleMASE() {
	train := []float64{10, 12, 11, 13, 12, 14}
	actual := []float64{13, 15}
	pred := []float64{12, 13}
	fmt.Printf("MAE %.2f RMSE %.3f MAPE %.2f%% sMAPE %.2f%%\n",
		forecast.MAE(actual, pred), forecast.RMSE(actual, pred), forecast.MAPE(actual, pred), forecast.SMAPE(actual, pred))
	// Scale: the in-sample naive MAE (lag 1) of train is 1.6.
	fmt.Printf("MASE %.4f\n", forecast.MASE(actual, pred, train, 1))
	// MAPE is undefined when an actual value is zero.
	fmt.Println(forecast.MAPE([]float64{0, 1}, []float64{1, 1}))
	// Output:
	// MAE 1.50 RMSE 1.581 MAPE 10.51% sMAPE 11.14%
	// MASE 0.9375
	// NaN
}

// Conformal wraps any model with prediction intervals calibrated on the end
// of the training series.
func ExampleConformal() {
	s := monthly(120)
	c := forecast.NewConformal(func() forecast.Forecaster { return forecast.NewSeasonalNaive(0) },
		forecast.ConformalConfig{Horizon: 6, Levels: []float64{0.8}})
	if err := c.Fit(context.Background(), s); err != nil {
		fmt.Println(err)
		return
	}
	fc, _ := c.Predict(6)
	iv, _ := fc.Interval(0.8)
	fmt.Printf("%s %.1f in [%.1f, %.1f]\n", fc.Time[0].Format("2006-01"), fc.Values[0], iv.Lo[0], iv.Hi[0])
	// Output:
	// 2020-01 155.1 in [147.9, 162.3]
}

// The default neural forecaster trains a model relative to a reference
// forecast and a globally scaled one; the globally scaled one models the log
// of a positive series that the log makes less skewed, here a series of
// multiplicative bursts, and not of the symmetric sales series.
func ExampleNeuralConfig_transform() {
	bursts := monthly(120)
	for i, v := range bursts.Values {
		bursts.Values[i] = math.Exp(v / 20)
	}
	for _, s := range []*dataset.Series{monthly(120), bursts} {
		n, err := neural.NewNeural(neural.NeuralConfig{Horizon: 12, Hidden: 4, Epochs: 1})
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := n.Fit(context.Background(), s); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("transform of the globally scaled model:", n.History().Transform)
	}
	// Output:
	// transform of the globally scaled model: none
	// transform of the globally scaled model: log
}
