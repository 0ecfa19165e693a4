package ets

import (
	"context"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// TestAirlineHoltWintersBeatsSeasonalNaive runs the protocol:
// horizon 12, the last two years as two rolling-origin folds, MASE scaled by
// each fold's in-sample seasonal-naive MAE (m = 12). statsmodels' ETS scores
// 1.31 and seasonal naive 1.61 on these folds.
func TestAirlineHoltWintersBeatsSeasonalNaive(t *testing.T) {
	s := fctest.Airline(t)
	cfg := forecast.BacktestConfig{Horizon: 12, Folds: 2, Season: 12}
	rs, err := forecast.Compare(context.Background(), s, []forecast.Factory{
		func() forecast.Forecaster { return forecast.NewSeasonalNaive(12) },
		func() forecast.Forecaster { return NewETS(ETSConfig{}) },
	}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sn, hw := rs[0].Mean.MASE, rs[1].Mean.MASE
	for _, f := range rs[1].Folds {
		t.Logf("fold %d: %s MASE %.3f (snaive %.3f)", f.Index, f.Forecast.Model, f.Scores.MASE, rs[0].Folds[f.Index].Scores.MASE)
	}
	t.Logf("airline 2 folds: ets MASE %.3f, snaive MASE %.3f (statsmodels ETS 1.31, snaive 1.61)", hw, sn)
	if diff := sn - 1.61; diff > 0.01 || diff < -0.01 {
		t.Errorf("seasonal naive MASE = %.3f; want 1.61 (statsmodels' value on the same folds)", sn)
	}
	if hw > 1.31+0.005 {
		t.Errorf("Holt-Winters MASE = %.3f; want at most statsmodels' 1.31", hw)
	}
}

// TestETSAgainstStatsmodels measures the issue-8 protocol: 3 folds, the
// last 3·H points, H = 12 monthly (m = 12) and H = 14 daily (m = 7, training
// capped at the last 3000 points), AIC-chosen ETS against statsmodels' AIC-
// chosen ETS. It takes several seconds, so -short skips it.
func TestETSAgainstStatsmodels(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the statsmodels comparison in -short mode")
	}
	cases := []struct {
		file, layout string
		freq         dataset.Freq
		cfg          forecast.BacktestConfig
		ets, snaive  float64 // statsmodels' MASE
	}{
		{"airline_passengers.csv", "2006-01", dataset.Freq{Kind: dataset.Monthly}, forecast.BacktestConfig{Horizon: 12, Folds: 3, Season: 12}, 1.041, 1.213},
		{"sunspots_monthly.csv", "2006-01", dataset.Freq{Kind: dataset.Monthly}, forecast.BacktestConfig{Horizon: 12, Folds: 3, Season: 12}, 1.571, 1.595},
		{"daily_min_temperatures.csv", "2006-01-02", dataset.Freq{Kind: dataset.Daily}, forecast.BacktestConfig{Horizon: 14, Folds: 3, Season: 7, MaxTrain: 3000}, 0.730, 0.871},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			s := fctest.SharedSeries(t, c.file, c.layout, c.freq)
			rs, err := forecast.Compare(context.Background(), s, []forecast.Factory{
				func() forecast.Forecaster { return forecast.NewSeasonalNaive(c.cfg.Season) },
				func() forecast.Forecaster { return NewETS(ETSConfig{Period: c.cfg.Season}) },
			}, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			sn, hw := rs[0].Mean.MASE, rs[1].Mean.MASE
			var models []string
			for _, f := range rs[1].Folds {
				models = append(models, f.Forecast.Model)
			}
			t.Logf("%s: ets MASE %.3f %v (statsmodels %.3f, %+.1f%%); snaive %.3f (statsmodels %.3f)",
				c.file, hw, models, c.ets, 100*(hw-c.ets)/c.ets, sn, c.snaive)
			if d := sn - c.snaive; d > 0.0015 || d < -0.0015 {
				t.Errorf("seasonal naive MASE = %.4f; want %.3f", sn, c.snaive)
			}
			if hw > 1.05*c.ets {
				t.Errorf("ETS MASE = %.3f; want within 5%% of statsmodels' %.3f or better", hw, c.ets)
			}
		})
	}
}
