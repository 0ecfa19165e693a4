package theta

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

func quarterly(v []float64) *dataset.Series {
	s := &dataset.Series{Name: "q", Values: v, Freq: dataset.Freq{Kind: dataset.Quarterly}, Layout: "2006-01"}
	for i := range v {
		s.Time = append(s.Time, time.Date(2000, time.Month(1+3*i), 1, 0, 0, 0, 0, time.UTC))
	}
	return s
}

func TestNaive2(t *testing.T) {
	season := []float64{0.8, 1.3, 1.1, 0.8}
	var periodic, trend, short []float64
	for i := range 24 {
		periodic = append(periodic, 100*season[i%4])
		trend = append(trend, 50+3*float64(i))
	}
	short = periodic[:11] // under 3m = 12 points: no seasonal adjustment
	tests := []struct {
		name     string
		y        []float64
		seasonal bool
		want     func(k int) float64
	}{
		// An exactly periodic series has a flat centred moving average, so
		// the indices are the pattern and the forecast repeats it.
		{"periodic", periodic, true, func(k int) float64 { return periodic[20+k%4] }},
		{"trend", trend, false, func(int) float64 { return trend[23] }},
		{"short", short, false, func(int) float64 { return short[10] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := forecast.New("naive2", forecast.Options{})
			if err != nil {
				t.Fatal(err)
			}
			n := f.(*Naive2)
			if err := n.Fit(context.Background(), quarterly(tt.y)); err != nil {
				t.Fatal(err)
			}
			if got, m := n.Seasonal(); got != tt.seasonal || m != 4 {
				t.Errorf("Seasonal() = %v, %d; want %v, 4", got, m, tt.seasonal)
			}
			fc, err := n.Predict(6)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range fc.Values {
				if want := tt.want(k); math.Abs(v-want) > 1e-9*want {
					t.Errorf("step %d = %g; want %g", k+1, v, want)
				}
			}
			if len(fc.Intervals) != 0 {
				t.Errorf("naive2 gave %d intervals; want none", len(fc.Intervals))
			}
			from, err := n.PredictFrom(quarterly(tt.y), 6)
			if err != nil || from.Values[5] != fc.Values[5] {
				t.Errorf("PredictFrom = %v, %v; want %v", from, err, fc.Values)
			}
		})
	}
	// Negative values: no multiplicative season, the naive forecast.
	neg := append([]float64{-1}, periodic[1:]...)
	n := NewNaive2(4)
	if err := n.Fit(context.Background(), quarterly(neg)); err != nil {
		t.Fatal(err)
	}
	if s, _ := n.Seasonal(); s {
		t.Error("naive2 adjusted a series with a negative value multiplicatively")
	}
	if _, err := NewNaive2(0).Predict(3); err == nil {
		t.Error("Predict before Fit: no error")
	}
	if _, err := forecast.New("naive2", forecast.Options{Season: -1}); err == nil {
		t.Error(`New("naive2", Season -1): no error`)
	}
}
