package combine_test

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/combine"
)

// Auto, with inverse2 weights, scores its candidates on the series' last
// Horizon points and combines their forecasts with weights ∝ 1/MAE²; a
// candidate that cannot fit (here the LSTM, on 28 points before the
// holdout) is left out and says why.
func ExampleAuto() {
	s := &dataset.Series{Name: "sales", Freq: dataset.Freq{Kind: dataset.Monthly}, Layout: "2006-01"}
	for i := range 40 {
		s.Time = append(s.Time, time.Date(2020, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC))
		s.Values = append(s.Values, 50+float64(i)+8*math.Sin(2*math.Pi*float64(i)/12))
	}
	a, err := combine.NewAuto(combine.AutoConfig{Candidates: []string{"lstm", "snaive", "drift"}, Horizon: 12, Weights: "inverse2"})
	if err != nil {
		panic(err)
	}
	if err := a.Fit(context.Background(), s); err != nil {
		panic(err)
	}
	for _, m := range a.Members() {
		if m.Skipped != "" {
			fmt.Printf("%-6s left out\n", m.Name)
			continue
		}
		fmt.Printf("%-6s holdout MAE %5.2f, weight %.2f\n", m.Name, m.MAE, m.Weight)
	}
	f, _ := a.Predict(12)
	fmt.Printf("%s %.1f\n", s.Format(f.Time[0]), f.Values[0])
	// Output:
	// lstm   left out
	// snaive holdout MAE 12.00, weight 0.41
	// drift  holdout MAE  9.93, weight 0.59
	// 2023-05 92.8
}
