package forecast_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/ets"
)

// Every model is a Forecaster: fit it on a series, forecast any number of
// steps after its end, with prediction intervals; and score it on the same
// rolling-origin folds as any other model.
func Example() {
	s := monthly(120) // ten years of monthly sales with trend, season and noise
	ctx := context.Background()

	// The seasonal-naive baseline with split-conformal 80 % intervals,
	// calibrated on the end of the series.
	m := forecast.NewConformal(func() forecast.Forecaster { return forecast.NewSeasonalNaive(0) },
		forecast.ConformalConfig{Horizon: 12, Levels: []float64{0.8}})
	if err := m.Fit(ctx, s); err != nil {
		fmt.Println(err)
		return
	}
	f, err := m.Predict(12)
	if err != nil {
		fmt.Println(err)
		return
	}
	iv, _ := f.Interval(0.8)
	fmt.Printf("%s: %.0f, 80%% interval %.0f to %.0f\n", f.Time[0].Format("2006-01"), f.Values[0], iv.Lo[0], iv.Hi[0])

	// Holt-Winters (chosen by AIC) backtested on three rolling-origin
	// folds: a MASE below 1 beats the seasonal-naive forecast.
	res, err := forecast.Backtest(ctx, s, func() forecast.Forecaster { return ets.NewETS(ets.ETSConfig{}) },
		forecast.BacktestConfig{Horizon: 12, Folds: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s MASE over %d folds: %.2f\n", res.Model, len(res.Folds), res.Mean.MASE)
	// Output:
	// 2020-01: 155, 80% interval 148 to 162
	// ets MASE over 3 folds: 0.13
}
