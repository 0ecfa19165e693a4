package ets

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
	"github.com/tsf-go/tsf/forecast/internal/stat"
	"github.com/tsf-go/tsf/forecast/theta"
)

// scaledSeries returns a copy of s with every value multiplied by c.
func scaledSeries(s *dataset.Series, c float64) *dataset.Series {
	t := *s
	t.Values = make([]float64, len(s.Values))
	for i, v := range s.Values {
		t.Values[i] = c * v
	}
	return &t
}

// TestScaleEquivariance: theta and ets forecast c·y as c times their
// forecast of y, intervals included, for c = 1e300 (where squared errors
// overflow) and 1e-300 (where they underflow); every interval is present,
// finite and wider than zero.
func TestScaleEquivariance(t *testing.T) {
	series := map[string]*dataset.Series{
		"seasonal": fctest.SeasonalSeries(72, 0.3, 0.2, 0.02, 1),
		"trend":    fctest.MonthlySeries(60, 3),
	}
	models := map[string]func() forecast.Forecaster{
		"theta":   func() forecast.Forecaster { return theta.NewTheta(theta.ThetaConfig{}) },
		"ets":     func() forecast.Forecaster { return NewETS(ETSConfig{}) },
		"ets-mul": func() forecast.Forecaster { return NewETS(ETSConfig{Trend: "add", Season: "mul"}) },
	}
	for sname, s := range series {
		for mname, newModel := range models {
			base := newModel()
			if err := base.Fit(context.Background(), s); err != nil {
				t.Fatalf("%s on %s: %v", mname, sname, err)
			}
			want, err := base.Predict(12)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []float64{1e300, 1e-300} {
				m := newModel()
				if err := m.Fit(context.Background(), scaledSeries(s, c)); err != nil {
					t.Errorf("%s on %s × %g: Fit: %v", mname, sname, c, err)
					continue
				}
				got, err := m.Predict(12)
				if err != nil {
					t.Errorf("%s on %s × %g: Predict: %v", mname, sname, c, err)
					continue
				}
				if got.Model != want.Model {
					t.Errorf("%s on %s × %g: model %s; want %s", mname, sname, c, got.Model, want.Model)
					continue
				}
				close := func(a, b float64) bool { return math.Abs(a/c-b) <= 1e-6*100 }
				for k, v := range got.Values {
					if !close(v, want.Values[k]) {
						t.Errorf("%s on %s × %g: step %d forecast %g; want %g", mname, sname, c, k, v/c, want.Values[k])
						break
					}
				}
				if len(got.Intervals) != len(want.Intervals) || len(got.Notes) > 0 {
					t.Errorf("%s on %s × %g: %d intervals (notes %q); want %d", mname, sname, c, len(got.Intervals), got.Notes, len(want.Intervals))
					continue
				}
				for i, iv := range got.Intervals {
					wv := want.Intervals[i]
					for k := range iv.Lo {
						if !close(iv.Lo[k], wv.Lo[k]) || !close(iv.Hi[k], wv.Hi[k]) || !(iv.Hi[k] > iv.Lo[k]) {
							t.Errorf("%s on %s × %g: step %d %g%% interval [%g, %g]/c; want [%g, %g]",
								mname, sname, c, k, 100*iv.Level, iv.Lo[k]/c, iv.Hi[k]/c, wv.Lo[k], wv.Hi[k])
							break
						}
					}
				}
			}
		}
	}
}

// TestScaleUnit: a series of ordinary magnitude is fitted as it is (unit
// 1, so its forecasts are bit for bit those of the plain arithmetic); an
// extreme one is divided by the power of two that brings its largest
// magnitude into [0.5, 1).
func TestScaleUnit(t *testing.T) {
	for _, tt := range []struct {
		y    []float64
		want float64
	}{
		{[]float64{1, 2, 3}, 1},
		{[]float64{0, 0}, 1},
		{[]float64{-1e70, 3}, 1},
		{[]float64{1e-70, 3e-70}, 1},
		{[]float64{1e300, -2e300}, math.Ldexp(1, 998)},
		{[]float64{1e-300, 0}, math.Ldexp(1, -996)},
	} {
		u := stat.UnitOf(tt.y)
		if u != tt.want {
			t.Errorf("unitOf(%v) = %g; want %g", tt.y, u, tt.want)
		}
		top := 0.0
		for _, v := range tt.y {
			top = max(top, math.Abs(v))
		}
		if u != 1 && !(top/u >= 0.5 && top/u < 1) {
			t.Errorf("unitOf(%v) = %g: max |y|/unit = %g; want it in [0.5, 1)", tt.y, u, top/u)
		}
	}
}

// TestScaleOverflow: a forecast beyond the float64 range is an
// ErrNotFinite error, not an infinite value; an interval whose bounds
// overflow is left out with a note.
func TestScaleOverflow(t *testing.T) {
	s := &dataset.Series{Name: "big", Freq: dataset.Freq{Kind: dataset.Monthly}}
	for i := range 40 {
		s.Values = append(s.Values, 1e307*(1+0.4*float64(i)+0.01*math.Sin(float64(i))))
	}
	for _, m := range []forecast.Forecaster{theta.NewTheta(theta.ThetaConfig{}), NewETS(ETSConfig{Trend: "add", Season: "none"})} {
		if err := m.Fit(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", m.Name(), err)
		}
		if _, err := m.Predict(48); !errors.Is(err, forecast.ErrNotFinite) {
			t.Errorf("%s: Predict(48) of a series rising to 1.66e308 gives error %v; want ErrNotFinite", m.Name(), err)
		}
	}
	f := &forecast.Forecast{Values: []float64{1, 2}, Intervals: []forecast.Interval{
		{Level: 0.8, Lo: []float64{0, 1}, Hi: []float64{2, 3}},
		{Level: 0.95, Lo: []float64{0, math.Inf(-1)}, Hi: []float64{2, 3}},
	}}
	if err := f.Settle(); err != nil || len(f.Intervals) != 1 || f.Intervals[0].Level != 0.8 ||
		len(f.Notes) != 1 || f.Notes[0] != "no 95% interval: its bound at step 2 overflows (-Inf)" {
		t.Errorf("settle: %v, intervals %v, notes %q; want the 80%% interval and a note on the 95%% one", err, f.Intervals, f.Notes)
	}
}

// TestScaleETSModelFile: an ETS model of a 1e300 series saved and loaded
// forecasts what it did before saving (the unit it was fitted in comes
// from the first values the file keeps).
func TestScaleETSModelFile(t *testing.T) {
	s := scaledSeries(fctest.SeasonalSeries(72, 0.3, 0.2, 0.02, 1), 1e300)
	e := NewETS(ETSConfig{})
	if err := e.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	mf, err := e.MarshalModel()
	if err != nil {
		t.Fatal(err)
	}
	var l ETS
	if err := l.UnmarshalModel(mf); err != nil {
		t.Fatal(err)
	}
	want, _ := e.Predict(12)
	for _, predict := range []func() (*forecast.Forecast, error){
		func() (*forecast.Forecast, error) { return l.Predict(12) },
		func() (*forecast.Forecast, error) { return l.PredictFrom(s, 12) },
	} {
		got, err := predict()
		if err != nil {
			t.Fatal(err)
		}
		if got.Values[11] != want.Values[11] || len(got.Intervals) != 2 || got.Intervals[1].Hi[11] != want.Intervals[1].Hi[11] {
			t.Errorf("loaded: step 12 %g, %d intervals; want %g and 2", got.Values[11], len(got.Intervals), want.Values[11])
		}
	}
	if p := l.Params(); math.Abs(p.Level0/e.Params().Level0-1) > 1e-12 || !(p.Level0 > 1e299) {
		t.Errorf("loaded Params().Level0 = %g; want %g", p.Level0, e.Params().Level0)
	}
}

// A theta model of a 1e300 series keeps its unit in the model file: the
// loaded model's Predict is the fitted one's (it was off by the unit).
func TestScaleThetaModelFile(t *testing.T) {
	s := scaledSeries(fctest.SeasonalSeries(72, 0.3, 0.2, 0.02, 1), 1e300)
	th := theta.NewTheta(theta.ThetaConfig{})
	if err := th.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	mf, err := th.MarshalModel()
	if err != nil {
		t.Fatal(err)
	}
	var l theta.Theta
	if err := l.UnmarshalModel(mf); err != nil {
		t.Fatal(err)
	}
	want, _ := th.Predict(12)
	got, err := l.Predict(12)
	if err != nil {
		t.Fatal(err)
	}
	if got.Values[11] != want.Values[11] || len(got.Intervals) != len(want.Intervals) || got.Intervals[1].Hi[11] != want.Intervals[1].Hi[11] {
		t.Errorf("loaded: step 12 %g; want %g", got.Values[11], want.Values[11])
	}
}
