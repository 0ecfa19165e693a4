package ets

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// simulateETS draws n points from an ETS(A,A,season) model with the given
// parameters and unit-variance Gaussian errors.
func simulateETS(n, m int, season string, p ETSParams, seed uint64) *dataset.Series {
	r := rand.New(rand.NewPCG(seed, seed))
	s := &dataset.Series{Name: "ets-sim", Freq: dataset.Freq{Kind: dataset.Monthly}}
	level, slope := p.Level0, p.Trend0
	seas := append([]float64(nil), p.Season0...)
	for t := range n {
		lb := level + p.Phi*slope
		si := t % m
		e := r.NormFloat64()
		if season == "mul" {
			s.Values = append(s.Values, lb*seas[si]+e)
			level = lb + p.Alpha*e/seas[si]
			slope = p.Phi*slope + p.Beta*e/seas[si]
			seas[si] += p.Gamma * e / lb
		} else {
			s.Values = append(s.Values, lb+seas[si]+e)
			level = lb + p.Alpha*e
			slope = p.Phi*slope + p.Beta*e
			seas[si] += p.Gamma * e
		}
	}
	return s
}

func TestETSFitsSimulatedModels(t *testing.T) {
	const m = 12
	add := make([]float64, m)
	mul := make([]float64, m)
	for i := range m {
		add[i] = 8 * math.Sin(2*math.Pi*float64(i)/m)
		mul[i] = 1 + 0.3*math.Sin(2*math.Pi*float64(i)/m)
	}
	tests := []struct {
		season string
		p      ETSParams
	}{
		{"add", ETSParams{Alpha: 0.3, Beta: 0.02, Gamma: 0.1, Phi: 1, Level0: 50, Trend0: 0.2, Season0: add}},
		{"mul", ETSParams{Alpha: 0.3, Beta: 0.02, Gamma: 0.1, Phi: 1, Level0: 50, Trend0: 0.5, Season0: mul}},
	}
	for _, tt := range tests {
		t.Run(tt.season, func(t *testing.T) {
			s := simulateETS(400, m, tt.season, tt.p, 9)
			train, test := s.Slice(0, 388), s.Values[388:]
			e := NewETS(ETSConfig{Period: m})
			if err := e.Fit(context.Background(), train); err != nil {
				t.Fatal(err)
			}
			// The fit must reach at least the likelihood of the true
			// parameters, without absurd overfitting.
			truth := tt.p
			truth.Season0 = append([]float64(nil), tt.p.Season0...)
			trueSSE, _, _ := etsFilter(train.Values, "add", tt.season, &truth, make([]float64, m))
			if e.sse > trueSSE*1.001 || e.sse < 0.7*trueSSE {
				t.Errorf("%s: in-sample SSE %.1f; want at most the true parameters' %.1f (and above 70%% of it)", e.Name(), e.sse, trueSSE)
			}
			if _, se := e.Variant(); se != tt.season {
				t.Errorf("AIC chose %s; want season %q", e.Name(), tt.season)
			}
			if got := e.Params().Alpha; math.Abs(got-tt.p.Alpha) > 0.15 {
				t.Errorf("alpha = %.3f; want about %.2f", got, tt.p.Alpha)
			}
			fc, _ := e.Predict(12)
			sn := forecast.NewSeasonalNaive(m)
			sn.Fit(context.Background(), train)
			sfc, _ := sn.Predict(12)
			if a, b := forecast.MAE(test, fc.Values), forecast.MAE(test, sfc.Values); a >= b {
				t.Errorf("%s MAE %.3f >= seasonal naive %.3f", e.Name(), a, b)
			}
		})
	}
}

func TestETSPredictFromFollowsHistory(t *testing.T) {
	s := fctest.Synth(400, 12, 2)
	e := NewETS(ETSConfig{Trend: "none", Season: "add"})
	if err := e.Fit(context.Background(), s.Slice(0, 200)); err != nil {
		t.Fatal(err)
	}
	// On the training series itself PredictFrom is Predict.
	a, _ := e.Predict(12)
	b, _ := e.PredictFrom(s.Slice(0, 200), 12)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("PredictFrom(train) = %v; want Predict's %v", b.Values, a.Values)
	}
	// From a longer history (extending the training series, or starting
	// later, which re-estimates the initial states) it forecasts the
	// points after that history, better than seasonal naive does, over
	// 10 origins.
	for _, start := range []int{0, 60} {
		var mae, snMAE float64
		for origin := 250; origin < 370; origin += 12 {
			hist := s.Slice(start, origin)
			fc, err := e.PredictFrom(hist, 12)
			if err != nil {
				t.Fatal(err)
			}
			if fc.Index[0] != origin-start || !fc.Time[0].Equal(s.Time[origin]) {
				t.Fatalf("PredictFrom labels step 1 as %d %v; want %d %v", fc.Index[0], fc.Time[0], origin-start, s.Time[origin])
			}
			sn, _ := forecast.NewSeasonalNaive(12).PredictFrom(hist, 12)
			mae += forecast.MAE(s.Values[origin:origin+12], fc.Values)
			snMAE += forecast.MAE(s.Values[origin:origin+12], sn.Values)
		}
		t.Logf("history from %d: PredictFrom MAE %.3f, seasonal naive %.3f", start, mae/10, snMAE/10)
		if mae >= 0.9*snMAE {
			t.Errorf("history from %d: PredictFrom MAE %.3f; want well below seasonal naive's %.3f", start, mae/10, snMAE/10)
		}
	}
	if _, err := e.PredictFrom(s.Slice(0, 10), 3); err == nil {
		t.Error("PredictFrom accepted 10 points of history for a seasonal model")
	}
}
