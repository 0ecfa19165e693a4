package plots_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/tsf-go/tsf/plots"
)

// A 12-month forecast of a monthly series with 80 % and 95 % intervals,
// saved as a PNG.
func ExampleForecast() {
	start := time.Date(2019, time.January, 1, 0, 0, 0, 0, time.UTC)
	var histT, futT []time.Time
	var hist, fc, lo80, hi80, lo95, hi95 []float64
	for i := range 36 {
		histT = append(histT, start.AddDate(0, i, 0))
		hist = append(hist, 100+10*math.Sin(2*math.Pi*float64(i)/12))
	}
	for i := range 12 {
		futT = append(futT, start.AddDate(0, 36+i, 0))
		f := 100 + 10*math.Sin(2*math.Pi*float64(36+i)/12)
		w := 2 * math.Sqrt(float64(i+1))
		fc = append(fc, f)
		lo80, hi80 = append(lo80, f-1.28*w), append(hi80, f+1.28*w)
		lo95, hi95 = append(lo95, f-1.96*w), append(hi95, f+1.96*w)
	}
	p, err := plots.Forecast(plots.ForecastInput{
		Model:       "lstm",
		Unit:        "sales (units)",
		HistoryTime: histT,
		History:     hist,
		Time:        futT,
		Forecast:    fc,
		Intervals: []plots.Interval{
			{Level: 0.8, Lower: lo80, Upper: hi80},
			{Level: 0.95, Lower: lo95, Upper: hi95},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "tsf-plots")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := plots.Save(p, filepath.Join(dir, "forecast.png"), 0, 0); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("saved forecast.png")
	// Output: saved forecast.png
}

// Gradient norms that underflow to exact zeros are drawn at a floor, not
// dropped, and the legend says so.
func ExampleGradientFlow() {
	var rnn, lstm []float64
	for k := range 100 {
		r := math.Exp(-0.8 * float64(k))
		if r < 1e-30 {
			r = 0 // underflow
		}
		rnn = append(rnn, r)
		lstm = append(lstm, math.Exp(-0.02*float64(k)))
	}
	p, err := plots.GradientFlow(plots.GradientInput{
		Curves: []plots.GradientCurve{{Model: "rnn", Trained: rnn}, {Model: "lstm", Trained: lstm}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Y.Label.Text)
	// Output: |∂L/∂h(T−k)| (log scale)
}

// Bad data is an error naming the field and index.
func ExampleComparison_badData() {
	_, err := plots.Comparison(plots.ComparisonInput{
		Actual:    []float64{1, 2, 3},
		Forecasts: []plots.ModelForecast{{Model: "naive", Values: []float64{1, math.NaN(), 1}}},
	})
	fmt.Println(err)
	// Output: plots: comparison: naive forecast[1] is NaN
}

// Every plot draws a model in the same colour.
func ExampleModelColor() {
	for _, m := range []string{"lstm", "gru", "rnn"} {
		c := plots.ModelColor(m)
		fmt.Printf("%s #%02X%02X%02X\n", m, c.R, c.G, c.B)
	}
	// Output:
	// lstm #0072B2
	// gru #D55E00
	// rnn #009E73
}

// Save picks the format from the extension and rejects the ones it cannot write.
func ExampleSave() {
	p, err := plots.Backtest(plots.BacktestInput{
		Metric: "MAE (units)",
		Models: []plots.ModelErrors{{Model: "naive", Errors: []float64{3, 4, 5}}, {Model: "lstm", Errors: []float64{2, 2.5, 4}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = plots.Save(p, "backtest.gif", 0, 0)
	fmt.Println(err)
	// Output: plots: save backtest.gif: unknown image format ".gif" (want .png, .svg or .pdf)
}
