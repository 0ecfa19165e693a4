package forecast_test

import (
	"context"
	"fmt"
	"log"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// The seasonal naive forecast of a quarterly series is the value one
// season back, so its one-step forecast depends on lag 4 alone; the mean
// forecast depends on every past value equally.
func ExampleLagSensitivity() {
	y := []float64{12, 15, 11, 9, 13, 16, 12, 10, 14, 17, 13, 11, 15, 18, 14, 12}
	s := &dataset.Series{Name: "sales", Values: y}
	for _, m := range []forecast.HistoryPredictor{forecast.NewSeasonalNaive(4), forecast.NewMean()} {
		sens, err := forecast.LagSensitivity(context.Background(), m, s, forecast.SensitivityConfig{MaxLag: 6, Origins: 1})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-7s", m.(forecast.Forecaster).Name())
		for _, v := range sens {
			fmt.Printf(" %.3f", v)
		}
		fmt.Println()
	}
	// Output:
	// snaive  0.000 0.000 0.000 1.000 0.000 0.000
	// mean    0.062 0.062 0.062 0.062 0.062 0.062
}
