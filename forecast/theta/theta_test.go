package theta

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/ets"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func TestThetaSeasonalityTest(t *testing.T) {
	seas := fctest.SeasonalSeries(72, 0.3, 0.2, 0.02, 1)
	noise := fctest.SeasonalSeries(72, 0, 0, 0.05, 2)
	for _, tt := range []struct {
		s    *dataset.Series
		want bool
	}{{seas, true}, {noise, false}} {
		th := NewTheta(ThetaConfig{})
		if err := th.Fit(context.Background(), tt.s); err != nil {
			t.Fatal(err)
		}
		if got, m := th.Seasonal(); got != tt.want || m != 12 {
			t.Errorf("Seasonal() on season amplitude %.1f = %v, %d; want %v, 12", tt.s.Values[3]/tt.s.Values[0], got, m, tt.want)
		}
	}
	// On the seasonal series the reseasonalised forecast follows the
	// season: its error is well below the non-seasonal forecast's.
	full := fctest.SeasonalSeries(84, 0.3, 0.2, 0.02, 1)
	train, test := full.Slice(0, 72), full.Values[72:]
	th, flat := NewTheta(ThetaConfig{}), NewTheta(ThetaConfig{Period: 1})
	for _, m := range []*Theta{th, flat} {
		if err := m.Fit(context.Background(), train); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := th.Predict(12)
	b, _ := flat.Predict(12)
	if ea, eb := forecast.MAE(test, a.Values), forecast.MAE(test, b.Values); ea > eb/3 {
		t.Errorf("seasonal theta MAE %.2f; want below a third of the non-seasonal %.2f", ea, eb)
	}
}

// TestThetaSESInitialLevel checks the closed-form initial level: no other
// level gives a smaller sum of squares.
func TestThetaSESInitialLevel(t *testing.T) {
	x := fctest.SeasonalSeries(40, 0, 1, 0.05, 3).Values
	for _, alpha := range []float64{0.05, 0.3, 0.9} {
		f := sesAt(x, alpha)
		for _, d := range []float64{-1, -0.01, 0.01, 1} {
			l := f.level0 + d
			sse := 0.0
			for _, v := range x {
				sse += (v - l) * (v - l)
				l += alpha * (v - l)
			}
			if sse < f.sse {
				t.Errorf("alpha %.2f: initial level %.4f gives SSE %.6g below the closed form's %.6g at %.4f", alpha, f.level0+d, sse, f.sse, f.level0)
			}
		}
	}
}

func TestThetaIntervals(t *testing.T) {
	s := fctest.SeasonalSeries(60, 0, 0.5, 0.03, 4)
	th := NewTheta(ThetaConfig{Period: 1})
	if err := th.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	th.widen = nil // the model's variance, without the in-sample widening
	fc, err := th.Predict(6)
	if err != nil {
		t.Fatal(err)
	}
	i80, ok80 := fc.Interval(0.8)
	i95, ok95 := fc.Interval(0.95)
	if !ok80 || !ok95 {
		t.Fatalf("intervals %v; want 0.8 and 0.95", fc.Intervals)
	}
	carry := (1 - math.Pow(1-th.alpha, 60)) / th.alpha
	for k := range 6 {
		// The SES state-space variance σ²(1 + (k-1)α²), and the drift's.
		dk := (float64(k) + carry) / 2
		se := math.Sqrt(th.sigma2*(1+float64(k)*th.alpha*th.alpha) + dk*dk*th.slopeV)
		if got := (i95.Hi[k] - i95.Lo[k]) / 2; math.Abs(got-1.959964*se) > 1e-6*se {
			t.Errorf("step %d: 95%% half-width %.6g; want 1.96·%.6g", k+1, got, se)
		}
		if !(i95.Lo[k] < i80.Lo[k] && i80.Lo[k] < fc.Values[k] && fc.Values[k] < i80.Hi[k] && i80.Hi[k] < i95.Hi[k]) {
			t.Errorf("step %d: intervals not nested around the forecast %.3f: 80%% [%.3f, %.3f], 95%% [%.3f, %.3f]", k+1, fc.Values[k], i80.Lo[k], i80.Hi[k], i95.Lo[k], i95.Hi[k])
		}
	}
}

func TestThetaModelFileRoundTrip(t *testing.T) {
	s := fctest.SeasonalSeries(60, 0.3, 0.2, 0.02, 5)
	th := NewTheta(ThetaConfig{})
	if err := th.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "theta.tsf")
	if err := forecast.Save(path, th); err != nil {
		t.Fatal(err)
	}
	g, err := forecast.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := th.Predict(14)
	b, _ := g.Predict(14)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("loaded theta forecasts %v; want %v", b, a)
	}
	c, err := forecast.PredictFrom(g, s, 14)
	if err != nil || !reflect.DeepEqual(a.Values, c.Values) {
		t.Errorf("PredictFrom(train) = %v, %v; want Predict's %v", c, err, a.Values)
	}
}

func TestThetaErrors(t *testing.T) {
	short := &dataset.Series{Name: "s", Values: []float64{1, 2}}
	if err := NewTheta(ThetaConfig{}).Fit(context.Background(), short); !errors.Is(err, forecast.ErrTooShort) {
		t.Errorf("Fit on 2 points: %v; want ErrTooShort", err)
	}
	bad := &dataset.Series{Name: "s", Values: []float64{1, 2, math.NaN(), 4}}
	if err := NewTheta(ThetaConfig{}).Fit(context.Background(), bad); !errors.Is(err, forecast.ErrBadData) {
		t.Errorf("Fit with NaN: %v; want ErrBadData", err)
	}
	if _, err := NewTheta(ThetaConfig{}).Predict(3); !errors.Is(err, forecast.ErrNotFitted) {
		t.Errorf("Predict before Fit: %v; want ErrNotFitted", err)
	}
	if _, err := forecast.New("theta", forecast.Options{Params: map[string]string{"x": "1"}}); err == nil {
		t.Error(`New("theta") accepted an unknown parameter`)
	}
}

func TestHasIntervals(t *testing.T) {
	for _, tt := range []struct {
		f    forecast.Forecaster
		want bool
	}{
		{ets.NewETS(ets.ETSConfig{}), true},
		{NewTheta(ThetaConfig{}), true},
		{NewTheta(ThetaConfig{Levels: []float64{0.9}}), false},
		{forecast.NewSeasonalNaive(12), false},
		{forecast.NewConformal(func() forecast.Forecaster { return forecast.NewNaive() }, forecast.ConformalConfig{Horizon: 3}), true},
	} {
		if got := forecast.HasIntervals(tt.f); got != tt.want {
			t.Errorf("HasIntervals(%s) = %v; want %v", tt.f.Name(), got, tt.want)
		}
	}
	if !forecast.HasIntervals(NewTheta(ThetaConfig{Levels: []float64{0.9}}), 0.9) {
		t.Error("HasIntervals(theta with level 0.9, 0.9) = false")
	}
}
