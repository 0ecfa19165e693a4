package forecast

import (
	"context"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// weeklyTemperatures returns the Melbourne daily minimum temperatures
// (../shared/data) as 521 weekly means: a weekly series with a yearly
// season of about 52 weeks.
func weeklyTemperatures(t testing.TB) *dataset.Series {
	d := sharedSeries(t, "daily_min_temperatures.csv", "2006-01-02", dataset.Freq{Kind: dataset.Daily})
	w := &dataset.Series{Name: "weekly_min_temp", Freq: dataset.Freq{Kind: dataset.Weekly, Step: 7 * 24 * time.Hour}, Layout: d.Layout}
	for i := 0; i+7 <= d.Len(); i += 7 {
		sum := 0.0
		for _, v := range d.Values[i : i+7] {
			sum += v
		}
		w.Time = append(w.Time, d.Time[i])
		w.Values = append(w.Values, sum/7)
	}
	return w
}

// TestETSLongSeason measures ETS on a weekly series with a yearly season
// (m = 52): eight rolling origins 13 weeks apart, horizon 13, MASE scaled by
// the seasonal naive forecast with lag 52.
func TestETSLongSeason(t *testing.T) {
	s := weeklyTemperatures(t)
	cfg := BacktestConfig{Horizon: 13, Folds: 8, Step: 13, Season: 52}
	if testing.Short() {
		cfg.Folds = 2
	}
	models := []Factory{
		func() Forecaster { return NewETS(ETSConfig{}) },
		func() Forecaster { return NewETS(ETSConfig{Season: "none"}) },
		func() Forecaster { return NewTheta(ThetaConfig{}) },
		func() Forecaster { return NewSeasonalNaive(52) },
	}
	rs, err := Compare(context.Background(), s, models, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		names := map[string]int{}
		for _, f := range r.Folds {
			names[f.Forecast.Model]++
		}
		t.Logf("%-8s MASE %.3f  sMAPE %.2f  coverage %v  %v", r.Model, r.Mean.MASE, r.Mean.SMAPE, r.Coverage, names)
	}
}
