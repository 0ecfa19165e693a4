package forecast

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// sharedSeries reads a two-column CSV of ../shared/data with encoding/csv
// (the test does not depend on dataset's loader), skipping the test when
// ../shared is absent.
func sharedSeries(t testing.TB, file, layout string, freq dataset.Freq) *dataset.Series {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "data", file)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("skipping: %s is absent (the shared data sets live in ../shared/data)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	s := &dataset.Series{Name: rows[0][1], Freq: freq, Layout: layout}
	for i, r := range rows[1:] {
		tm, err := time.Parse(layout, r[0])
		if err != nil {
			t.Fatalf("%s row %d: %v", path, i+2, err)
		}
		v, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatalf("%s row %d: %v", path, i+2, err)
		}
		s.Time = append(s.Time, tm)
		s.Values = append(s.Values, v)
	}
	return s
}

func airline(t testing.TB) *dataset.Series {
	return sharedSeries(t, "airline_passengers.csv", "2006-01", dataset.Freq{Kind: dataset.Monthly})
}

// TestAirlineHoltWintersBeatsSeasonalNaive runs the protocol:
// horizon 12, the last two years as two rolling-origin folds, MASE scaled by
// each fold's in-sample seasonal-naive MAE (m = 12). statsmodels' ETS scores
// 1.31 and seasonal naive 1.61 on these folds.
func TestAirlineHoltWintersBeatsSeasonalNaive(t *testing.T) {
	s := airline(t)
	cfg := BacktestConfig{Horizon: 12, Folds: 2, Season: 12}
	rs, err := Compare(context.Background(), s, []Factory{
		func() Forecaster { return NewSeasonalNaive(12) },
		func() Forecaster { return NewETS(ETSConfig{}) },
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
