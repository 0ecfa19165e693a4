package combine_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/combine"
)

// The collection default: one global ES-LSTM combined with ETS and Theta,
// weighted and calibrated on every series' last 6 points, then forecasting
// a series from its history.
func ExampleHybrid() {
	cfg := dataset.ManySinesConfig{Series: 30, N: 72, Seed: 1}
	var series []*dataset.Series
	for i := range cfg.Series {
		series = append(series, dataset.ManySines(cfg, i))
	}
	hy, err := combine.NewHybrid(combine.HybridConfig{Horizon: 6, Seed: 1,
		Params: map[string]string{"hidden": "16", "epochs": "5"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := hy.FitGlobal(context.Background(), series); err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range hy.Members() {
		fmt.Printf("%s: %d validation windows, weight %.3f\n", m.Name, m.Series, m.Weight)
	}
	fc, err := hy.PredictFrom(series[0], 6)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d steps from %s, %d intervals\n", fc.Len(), fc.Time[0].Format("2006-01"), len(fc.Intervals))
	// Output:
	// eslstm (global): 30 validation windows, weight 0.333
	// ets: 30 validation windows, weight 0.333
	// theta: 30 validation windows, weight 0.333
	// 6 steps from 2006-01, 2 intervals
}
