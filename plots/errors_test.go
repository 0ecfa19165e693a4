package plots

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
)

// TestBadData checks that bad data gives an error naming the problem, never
// a panic or a plot.
func TestBadData(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		make func() (*plot.Plot, error)
		want string // substring of the error
	}{
		{"forecast empty", func() (*plot.Plot, error) {
			return Forecast(ForecastInput{History: []float64{1, 2}})
		}, "forecast: no data"},
		{"forecast NaN", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.Forecast[3] = nan
			return Forecast(in)
		}, "forecast[3] is NaN"},
		{"history Inf", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.History[5] = math.Inf(1)
			return Forecast(in)
		}, "history[5] is +Inf"},
		{"actual length", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.Actual = in.Actual[:5]
			return Forecast(in)
		}, "actual has 5 values; forecast has 12"},
		{"interval length", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.Intervals[0].Upper = in.Intervals[0].Upper[:2]
			return Forecast(in)
		}, "interval 80 % upper has 2 values; forecast has 12"},
		{"interval crossed", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.Intervals[1].Lower[4] = in.Intervals[1].Upper[4] + 1
			return Forecast(in)
		}, "interval 95 %: lower[4]"},
		{"interval level", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.Intervals[0].Level = 80
			return Forecast(in)
		}, "level 80 is not in (0, 1)"},
		{"history timestamps count", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.HistoryTime = in.HistoryTime[1:]
			in.Context = -1
			return Forecast(in)
		}, "history has 84 values but 83 timestamps"},
		{"forecast timestamps missing", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.Time = nil
			return Forecast(in)
		}, "forecast has 12 steps but 0 timestamps"},
		{"times out of order", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.Time[2] = in.Time[1]
			return Forecast(in)
		}, "forecast time[2]"},
		{"forecast before history", func() (*plot.Plot, error) {
			in := forecastFixture()
			in.Time[0] = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			return Forecast(in)
		}, "is not after last history time"},
		{"comparison no models", func() (*plot.Plot, error) {
			in := comparisonFixture()
			in.Forecasts = nil
			return Comparison(in)
		}, "forecasts: no data"},
		{"comparison length", func() (*plot.Plot, error) {
			in := comparisonFixture()
			in.Forecasts[2].Values = in.Forecasts[2].Values[:3]
			return Comparison(in)
		}, "ets forecast has 3 values; actual has 12"},
		{"comparison unnamed", func() (*plot.Plot, error) {
			in := comparisonFixture()
			in.Forecasts[1].Model = ""
			return Comparison(in)
		}, "forecasts[1]: empty model name"},
		{"loss NaN", func() (*plot.Plot, error) {
			in := lossFixture()
			in.Curves[1].Valid[7] = nan
			return Loss(in)
		}, "gru valid[7] is NaN"},
		{"loss empty", func() (*plot.Plot, error) { return Loss(LossInput{}) }, "curves: no data"},
		{"gradient negative", func() (*plot.Plot, error) {
			in := gradientFixture()
			in.Curves[0].Trained[3] = -1
			return GradientFlow(in)
		}, "rnn trained[3] = -1 is negative"},
		{"gradient NaN", func() (*plot.Plot, error) {
			in := gradientFixture()
			in.Curves[2].Init[0] = nan
			return GradientFlow(in)
		}, "lstm init[0] is NaN"},
		{"longdep mismatched", func() (*plot.Plot, error) {
			in := longDepFixture()
			in.Results[0].Errors = in.Results[0].Errors[:2]
			return LongDependency(in)
		}, "rnn has 6 lags but 2 error lists"},
		{"longdep no seeds", func() (*plot.Plot, error) {
			in := longDepFixture()
			in.Results[1].Errors[3] = nil
			return LongDependency(in)
		}, "gru at lag 50: no data"},
		{"longdep unsorted lags", func() (*plot.Plot, error) {
			in := longDepFixture()
			in.Results[2].Lags = []float64{5, 10, 10, 50, 100, 200}
			return LongDependency(in)
		}, "lstm lags[2] = 10 is not above"},
		{"longdep baseline NaN", func() (*plot.Plot, error) {
			in := longDepFixture()
			in.Baseline = nan
			return LongDependency(in)
		}, "baseline NaN"},
		{"backtest mismatched", func() (*plot.Plot, error) {
			in := backtestFoldFixture()
			in.Models[3].Errors = in.Models[3].Errors[:4]
			return Backtest(in)
		}, "lstm errors has 4 values; naive errors has 5"},
		{"backtest NaN", func() (*plot.Plot, error) {
			in := backtestHorizonFixture()
			in.Models[0].Errors[0] = nan
			return Backtest(in)
		}, "naive errors[0] is NaN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.make()
			if err == nil {
				t.Fatalf("got no error; want one containing %q", tc.want)
			}
			if p != nil {
				t.Errorf("got a plot with error %v; want nil", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "plots: ") {
				t.Errorf("error %q; want it to start with %q and contain %q", err, "plots: ", tc.want)
			}
		})
	}
}

func TestErrNoData(t *testing.T) {
	_, err := Backtest(BacktestInput{})
	if !errors.Is(err, ErrNoData) {
		t.Errorf("Backtest(empty) error %v; want one wrapping ErrNoData", err)
	}
}

// TestLogAxesNeverPanic draws log plots from the data that breaks
// gonum/plot's LogScale: all zeros, a single value, tiny and huge values.
func TestLogAxesNeverPanic(t *testing.T) {
	cases := map[string][]float64{
		"all zero":  {0, 0, 0},
		"one value": {3},
		"one zero":  {0},
		"span":      {1e2, 1e-300, 0, 5e-324},
	}
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			ps := map[string]func() (*plot.Plot, error){
				"gradient": func() (*plot.Plot, error) {
					return GradientFlow(GradientInput{Curves: []GradientCurve{{Model: "rnn", Trained: v, Init: v}}})
				},
				"loss": func() (*plot.Plot, error) {
					return Loss(LossInput{Curves: []LossCurve{{Model: "lstm", Train: v, Valid: v}}})
				},
				"longdep": func() (*plot.Plot, error) {
					errs := make([][]float64, len(v))
					lags := make([]float64, len(v))
					for i := range v {
						errs[i] = []float64{v[i], v[i] * 2}
						lags[i] = float64(i + 1)
					}
					return LongDependency(LongDepInput{Results: []LagErrors{{Model: "gru", Lags: lags, Errors: errs}}, LogY: true, LogX: true})
				},
			}
			for kind, make := range ps {
				p, err := make()
				if err != nil {
					t.Fatalf("%s(%v): %v", kind, v, err)
				}
				if _, err := renderTo(p, DefaultWidth, DefaultHeight, "png"); err != nil {
					t.Errorf("%s(%v): render: %v", kind, v, err)
				}
			}
		})
	}
}

func TestLogFloor(t *testing.T) {
	cases := []struct {
		floor float64
		v     []float64
		want  float64
	}{
		{0, []float64{0, 3e-12, 2}, 1e-13},
		{0, []float64{0, 0}, 1e-30},
		{1e-8, []float64{0, 3e-12}, 1e-8},
		{0, []float64{0.5, 7}, 0.01},
	}
	for _, c := range cases {
		if got := logFloor(c.floor, c.v); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("logFloor(%g, %v) = %g; want %g", c.floor, c.v, got, c.want)
		}
	}
	got, n := clampFloor([]float64{0, 1e-40, 1, 1e-20}, 1e-30)
	if n != 2 || got[0] != 1e-30 || got[1] != 1e-30 || got[2] != 1 || got[3] != 1e-20 {
		t.Errorf("clampFloor = %v, %d; want [1e-30 1e-30 1 1e-20], 2", got, n)
	}
}

// TestNoAliasing checks that a plot keeps no reference to its input: changing
// the input after the call leaves the picture as it was.
func TestNoAliasing(t *testing.T) {
	render := func(p *plot.Plot) []byte {
		w, err := renderTo(p, DefaultWidth/2, DefaultHeight/2, "png")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w.WriteTo(&buf)
		return buf.Bytes()
	}
	in := forecastFixture()
	p, err := Forecast(in)
	if err != nil {
		t.Fatal(err)
	}
	before := render(p)
	for _, v := range [][]float64{in.History, in.Forecast, in.Actual, in.Intervals[0].Lower, in.Intervals[1].Upper} {
		for i := range v {
			v[i] *= 3
		}
	}
	if !bytes.Equal(before, render(p)) {
		t.Errorf("Forecast's picture changed when its input slices were changed after the call")
	}

	ld := longDepFixture()
	q, err := LongDependency(ld)
	if err != nil {
		t.Fatal(err)
	}
	before = render(q)
	ld.Results[0].Lags[0] = 1
	ld.Results[0].Errors[0][0] = 7
	if !bytes.Equal(before, render(q)) {
		t.Errorf("LongDependency's picture changed when its input slices were changed after the call")
	}
}
