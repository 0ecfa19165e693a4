package forecast

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// TestConformalCoverage checks that split-conformal intervals of seasonal
// naive on a long AR(1) + season series cover within ±5 points of nominal.
func TestConformalCoverage(t *testing.T) {
	const h, m = 6, 12
	s := fctest.Synth(4000, m, 11)
	levels := []float64{0.8, 0.95}
	hits := make([]int, len(levels))
	total := 0
	for origin := 1000; origin+h <= s.Len(); origin += 25 {
		c := NewConformal(func() Forecaster { return NewSeasonalNaive(m) },
			ConformalConfig{Horizon: h, Levels: levels, Windows: 100, Workers: 1})
		if err := c.Fit(context.Background(), s.Slice(0, origin)); err != nil {
			t.Fatal(err)
		}
		fc, err := c.Predict(h)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range levels {
			iv, ok := fc.Interval(l)
			if !ok {
				t.Fatalf("no %g interval", l)
			}
			for k := range h {
				if y := s.Values[origin+k]; iv.Lo[k] <= y && y <= iv.Hi[k] {
					hits[i]++
				}
			}
		}
		total += h
	}
	for i, l := range levels {
		cov := float64(hits[i]) / float64(total)
		t.Logf("level %.2f: coverage %.3f over %d forecasts", l, cov, total)
		if math.Abs(cov-l) > 0.05 {
			t.Errorf("coverage at level %g = %.3f; want within 0.05", l, cov)
		}
	}
}

// Backtest reports the observed coverage of a Conformal model's intervals.
func TestBacktestCoverage(t *testing.T) {
	s := fctest.Synth(1500, 12, 21)
	res, err := Backtest(context.Background(), s, func() Forecaster {
		return NewConformal(func() Forecaster { return NewSeasonalNaive(12) }, ConformalConfig{Horizon: 6, Windows: 200, Levels: []float64{0.9}})
	}, BacktestConfig{Horizon: 6, Folds: 60, Step: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Coverage) != 1 || res.Coverage[0].Level != 0.9 || math.Abs(res.Coverage[0].Observed-0.9) > 0.06 {
		t.Errorf("backtest coverage %+v; want about 0.9 at level 0.9", res.Coverage)
	}
	if len(res.Folds[0].Coverage) != 1 {
		t.Errorf("fold coverage %+v; want one level", res.Folds[0].Coverage)
	}
}

func TestConformalQuantile(t *testing.T) {
	r := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	tests := []struct {
		level float64
		want  float64
	}{
		{0.5, 5},            // ⌈10·0.5⌉ = 5th
		{0.8, 8},            // ⌈10·0.8⌉ = 8th
		{0.9, 9},            // 9th
		{0.95, math.Inf(1)}, // ⌈9.5⌉ = 10 > 9
	}
	for _, tt := range tests {
		if got := conformalQuantile(r, tt.level); got != tt.want {
			t.Errorf("conformalQuantile(1..9, %g) = %g; want %g", tt.level, got, tt.want)
		}
	}
}

func TestConformalErrors(t *testing.T) {
	c := NewConformal(func() Forecaster { return NewNaive() }, ConformalConfig{Horizon: 3})
	if err := c.Fit(context.Background(), fctest.IndexSeries(20)); !errors.Is(err, ErrTooShort) {
		t.Errorf("Fit(20 points) = %v; want ErrTooShort", err)
	}
	if err := c.Fit(context.Background(), fctest.IndexSeries(200)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Predict(4); !errors.Is(err, ErrHorizon) {
		t.Errorf("Predict(4) with horizon 3 = %v; want ErrHorizon", err)
	}
	fc, err := PredictFrom(c, fctest.IndexSeries(50), 2)
	if err != nil || len(fc.Intervals) != 2 || fc.Values[0] != 49 {
		t.Errorf("PredictFrom = %+v, %v; want naive 49 with 2 intervals", fc, err)
	}
}

func TestConformalModelFile(t *testing.T) {
	s := fctest.Synth(200, 12, 5)
	c, err := New("conformal", Options{Horizon: 4, Params: map[string]string{"model": "snaive"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "c.tsf")
	if err := Save(path, c.(Persistent)); err != nil {
		t.Fatal(err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := c.Predict(4)
	got, err := g.Predict(4)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("loaded conformal forecast %+v, %v; want %+v", got, err, want)
	}
	if got.Model != "snaive(12)" || len(got.Intervals) != 2 {
		t.Errorf("loaded model %q with %d intervals; want snaive(12) with 2", got.Model, len(got.Intervals))
	}
	if err := (&Conformal{}).Fit(context.Background(), s); err == nil {
		t.Error("an empty Conformal fitted without a model to wrap")
	}
}

func TestConformalAccessorsAfterLoad(t *testing.T) {
	s := dataset.Sines(dataset.SinesConfig{N: 200, Periods: []float64{24}, Noise: 0.1}, rand.New(rand.NewPCG(1, 1)))
	c := NewConformal(func() Forecaster { return NewSeasonalNaive(24) }, ConformalConfig{Horizon: 6})
	if err := c.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if len(c.Residuals(0)) == 0 {
		t.Fatal("no calibration residuals after Fit")
	}
	path := filepath.Join(t.TempDir(), "c.tsf")
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	var back Conformal
	if err := LoadInto(path, &back); err != nil {
		t.Fatal(err)
	}
	if back.Horizon() != 6 || !slices.Equal(back.Levels(), []float64{0.8, 0.95}) {
		t.Errorf("loaded Horizon() = %d, Levels() = %v; want 6, [0.8 0.95]", back.Horizon(), back.Levels())
	}
	if r := back.Residuals(0); r != nil {
		t.Errorf("loaded Residuals(0) = %v; want nil (files keep only widths)", r)
	}
}
