package ets

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
	"github.com/tsf-go/tsf/forecast/theta"
)

// weeklyTemperatures returns the Melbourne daily minimum temperatures
// (../shared/data) as 521 weekly means: a weekly series with a yearly
// season of about 52 weeks.
func weeklyTemperatures(t testing.TB) *dataset.Series {
	d := fctest.SharedSeries(t, "daily_min_temperatures.csv", "2006-01-02", dataset.Freq{Kind: dataset.Daily})
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
// the seasonal naive forecast with lag 52, each fold trained on the last
// 110 weeks (two years and a little), 156 (three years) or all points
// before its origin. Smoothing 51 seasonal states (what ETS did before it
// took long seasons out by a classical decomposition) scored MASE 1.91,
// 1.76 and 0.70: on two or three years the criterion dropped the season and
// lost to the seasonal naive forecast by a factor of two. With the
// decomposition it scores 0.99, 0.94 and 0.69 (seasonal naive 0.98, 1.00,
// 0.96): level with seasonal naive on two years, where the seasonal
// indices are the mean of two values each, and ahead of it from three.
func TestETSLongSeason(t *testing.T) {
	s := weeklyTemperatures(t)
	for _, tt := range []struct {
		maxTrain int
		ratio    float64 // ets MASE / seasonal naive MASE, at most
	}{{110, 1.05}, {156, 0.97}, {0, 0.8}} {
		cfg := forecast.BacktestConfig{Horizon: 13, Folds: 8, Step: 13, Season: 52, MaxTrain: tt.maxTrain}
		rs, err := forecast.Compare(context.Background(), s, []forecast.Factory{
			func() forecast.Forecaster { return NewETS(ETSConfig{}) },
			func() forecast.Forecaster { return theta.NewTheta(theta.ThetaConfig{}) },
			func() forecast.Forecaster { return forecast.NewSeasonalNaive(52) },
		}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			names := map[string]int{}
			for _, f := range r.Folds {
				names[f.Forecast.Model]++
			}
			t.Logf("train %3d: %-6s MASE %.3f  sMAPE %5.2f  coverage %v  %v", tt.maxTrain, r.Model, r.Mean.MASE, r.Mean.SMAPE, r.Coverage, names)
		}
		if ets, sn := rs[0].Mean.MASE, rs[2].Mean.MASE; ets > tt.ratio*sn {
			t.Errorf("train %d: ets MASE %.3f; want at most %.2f × seasonal naive's %.3f", tt.maxTrain, ets, tt.ratio, sn)
		}
	}
}

// TestETSLongSeasonModelFile: a long-season model survives its model file,
// and forecasts from new history (extending the training series, or
// starting elsewhere, which decomposes the history itself).
func TestETSLongSeasonModelFile(t *testing.T) {
	s := weeklyTemperatures(t)
	train := s.Slice(0, 400)
	e := NewETS(ETSConfig{})
	if err := e.Fit(context.Background(), train); err != nil {
		t.Fatal(err)
	}
	if _, se := e.Variant(); se != "mul" || !strings.HasSuffix(e.Name(), "+decomp(M,52)") {
		t.Fatalf("%s, season %q; want a multiplicative long season", e.Name(), se)
	}
	path := filepath.Join(t.TempDir(), "weekly.tsf")
	if err := forecast.Save(path, e); err != nil {
		t.Fatal(err)
	}
	g, err := forecast.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := e.Predict(26)
	b, _ := g.Predict(26)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("loaded model forecasts %v; want %v", b.Values, a.Values)
	}
	c, err := g.(forecast.HistoryPredictor).PredictFrom(train, 26)
	if err != nil || !reflect.DeepEqual(a.Values, c.Values) {
		t.Errorf("PredictFrom(train) = %v, %v; want Predict's %v", c, err, a.Values)
	}
	// From the last 300 weeks before week 480: the next 26 weeks, better
	// than seasonal naive.
	hist := s.Slice(180, 480)
	fc, err := e.PredictFrom(hist, 26)
	if err != nil {
		t.Fatal(err)
	}
	sn, _ := forecast.NewSeasonalNaive(52).PredictFrom(hist, 26)
	if a, b := forecast.MAE(s.Values[480:506], fc.Values), forecast.MAE(s.Values[480:506], sn.Values); a >= b {
		t.Errorf("PredictFrom MAE %.3f; want below seasonal naive's %.3f", a, b)
	}
	if _, err := e.PredictFrom(s.Slice(300, 380), 4); err == nil {
		t.Error("PredictFrom accepted 80 weeks of history for a 52-week season")
	}
}
