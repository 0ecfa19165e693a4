package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func TestFitMany(t *testing.T) {
	series := []*dataset.Series{fctest.Synth(60, 12, 1), fctest.IndexSeries(5), fctest.Synth(80, 12, 2)}
	models, err := FitMany(context.Background(), series, func() Forecaster { return NewSeasonalNaive(12) }, 2)
	if !errors.Is(err, ErrTooShort) || models[1] != nil || models[0] == nil || models[2] == nil {
		t.Fatalf("FitMany = %v, %v; want series 1 too short, the others fitted", models, err)
	}
	if want := `series 1 ("idx"): snaive: train series has 5 points; season 12 needs at least 12`; err.Error() != want {
		t.Errorf("error %q; want %q", err, want)
	}
	fcs, err := PredictMany(models, 12, 0)
	if err != nil || fcs[1] != nil {
		t.Fatalf("PredictMany = %v, %v", fcs, err)
	}
	for _, i := range []int{0, 2} {
		want := series[i].Values[series[i].Len()-12:]
		if !reflect.DeepEqual(fcs[i].Values, want) {
			t.Errorf("series %d forecast %v; want the last season %v", i, fcs[i].Values, want)
		}
	}
}

// sameForecasts compares results without their wall times.
func sameForecasts(t *testing.T, a, b []SeriesForecast) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d and %d results", len(a), len(b))
	}
	for i := range a {
		if a[i].Series != b[i].Series || !reflect.DeepEqual(a[i].Forecast, b[i].Forecast) || fmt.Sprint(a[i].Err) != fmt.Sprint(b[i].Err) {
			t.Errorf("series %d differs:\n%+v %v\n%+v %v", i, a[i].Forecast, a[i].Err, b[i].Forecast, b[i].Err)
		}
	}
}

func TestForecastEachDeterministic(t *testing.T) {
	series := fctest.ManySynth(7)
	nm, err := IntervalFactory("snaive", Options{Horizon: 6}, ConformalConfig{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var calls []int
	one := ForecastEach(context.Background(), series, nm, 6, 1, func(i int) { calls = append(calls, i) })
	if len(calls) != len(series) {
		t.Errorf("done called %d times; want %d", len(calls), len(series))
	}
	for _, w := range []int{2, 5, 0} {
		sameForecasts(t, one, ForecastEach(context.Background(), series, nm, 6, w, nil))
	}
	for i, r := range one {
		if i == 2 {
			want := `series "s2": snaive: train series has 8 points; season 12 needs at least 12`
			if r.Err == nil || r.Err.Error() != want || !errors.Is(r.Err, ErrTooShort) || r.Forecast != nil {
				t.Errorf("series 2: %v; want %q", r.Err, want)
			}
			continue
		}
		if r.Err != nil || r.Forecast.Len() != 6 || r.Series != series[i] {
			t.Fatalf("series %d: %v", i, r.Err)
		}
		// The same forecast as one model fitted on the series alone.
		m := nm()
		if err := m.Fit(context.Background(), series[i]); err != nil {
			t.Fatal(err)
		}
		fc, _ := m.Predict(6)
		if !reflect.DeepEqual(fc, r.Forecast) {
			t.Errorf("series %d: ForecastEach %v; alone %v", i, r.Forecast.Values, fc.Values)
		}
		if len(r.Forecast.Intervals) != 2 {
			t.Errorf("series %d: %d intervals; want the conformal 80 and 95 %%", i, len(r.Forecast.Intervals))
		}
	}
}

// panicky panics on Fit for one series.
type panicky struct{ Forecaster }

func (p panicky) Fit(ctx context.Context, s *dataset.Series) error {
	if s.ID == "s1" {
		panic("boom")
	}
	return p.Forecaster.Fit(ctx, s)
}

func TestForecastEachFailuresAndCancel(t *testing.T) {
	series := fctest.ManySynth(4)
	res := ForecastEach(context.Background(), series, func() Forecaster { return panicky{NewNaive()} }, 3, 2, nil)
	if res[1].Err == nil || res[1].Err.Error() != `series "s1": panic: boom` {
		t.Errorf("series 1: %v; want the panic as its error", res[1].Err)
	}
	for _, i := range []int{0, 2, 3} {
		if res[i].Err != nil || res[i].Forecast == nil {
			t.Errorf("series %d: %v; want a forecast", i, res[i].Err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, r := range ForecastEach(ctx, series, func() Forecaster { return NewNaive() }, 3, 2, nil) {
		if r.Forecast == nil && !errors.Is(r.Err, context.Canceled) {
			t.Errorf("cancelled: %v", r.Err)
		}
	}
}

func TestBacktestEach(t *testing.T) {
	series := fctest.ManySynth(4)
	models := []Factory{
		func() Forecaster { return NewNaive() },
		func() Forecaster { return NewSeasonalNaive(12) },
	}
	cfg := BacktestConfig{Horizon: 3, Folds: 2}
	var n int
	one := BacktestEach(context.Background(), series, models, cfg, 1, func(int) { n++ })
	two := BacktestEach(context.Background(), series, models, cfg, 3, nil)
	if n != len(series) {
		t.Errorf("done called %d times", n)
	}
	for i := range one {
		if !sameBacktests(one[i].Results, two[i].Results) || fmt.Sprint(one[i].Errs) != fmt.Sprint(two[i].Errs) {
			t.Errorf("series %d differs with 1 and 3 workers", i)
		}
	}
	// Series 2 (8 points) is long enough for naive's folds but not for
	// snaive(12): only that model fails on it.
	if b := one[2]; b.Errs[0] != nil || b.Results[0] == nil || !errors.Is(b.Errs[1], ErrTooShort) || b.Results[1] != nil ||
		!strings.HasPrefix(b.Errs[1].Error(), `series "s2": backtest snaive fold 0`) || b.Err() != b.Errs[1] {
		t.Errorf("series 2: %v", b.Errs)
	}
	for _, i := range []int{0, 1, 3} {
		b := one[i]
		if b.Err() != nil {
			t.Fatalf("series %d: %v", i, b.Err())
		}
		want, _ := Backtest(context.Background(), series[i], models[1], cfg)
		if !sameBacktests([]*BacktestResult{b.Results[1]}, []*BacktestResult{want}) {
			t.Errorf("series %d: BacktestEach differs from Backtest alone", i)
		}
		if !math.IsNaN(b.Results[0].MSIS(0.95)) {
			t.Errorf("series %d: MSIS of a model without intervals = %g; want NaN", i, b.Results[0].MSIS(0.95))
		}
	}
}

func TestBacktestResultMSIS(t *testing.T) {
	fc := &Forecast{Values: []float64{1, 1}, Intervals: []Interval{{Level: 0.95, Lo: []float64{0, 0}, Hi: []float64{2, 2}}}}
	r := &BacktestResult{Folds: []Fold{
		// Width 2 inside; width 2 + 40·1 below: mean 22, scale 2 → 11.
		{Forecast: fc, Actual: []float64{1, -1}, Scale: 2},
		// Both inside: 2 / scale 0.5 → 4.
		{Forecast: fc, Actual: []float64{0.5, 1.5}, Scale: 0.5},
	}}
	if got := r.MSIS(0.95); !near(got, 7.5) {
		t.Errorf("MSIS = %g; want (11+4)/2 = 7.5", got)
	}
	if got := r.MSIS(0.8); !math.IsNaN(got) {
		t.Errorf("MSIS at a level the forecasts lack = %g; want NaN", got)
	}
}

// sameBacktests compares backtest results, NaN scores equal to NaN.
func sameBacktests(a, b []*BacktestResult) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) {
			return false
		}
		if a[i] == nil {
			continue
		}
		if a[i].Model != b[i].Model || fmt.Sprint(a[i].Mean, a[i].PerStep, a[i].Coverage) != fmt.Sprint(b[i].Mean, b[i].PerStep, b[i].Coverage) || len(a[i].Folds) != len(b[i].Folds) {
			return false
		}
		for k, f := range a[i].Folds {
			g := b[i].Folds[k]
			if !reflect.DeepEqual(f.Forecast, g.Forecast) || fmt.Sprint(f.Scores, f.Scale, f.Actual, f.Origin, f.Coverage) != fmt.Sprint(g.Scores, g.Scale, g.Actual, g.Origin, g.Coverage) {
				return false
			}
		}
	}
	return true
}
