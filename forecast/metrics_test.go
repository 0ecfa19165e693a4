package forecast

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func TestMetrics(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name                   string
		actual, pred           []float64
		mae, rmse, mape, smape float64
	}{
		// errors 1, -2, 3: MAE 2, RMSE sqrt(14/3),
		// MAPE 100/3·(1/2 + 2/4 + 3/10) = 43.333..,
		// sMAPE 100/3·(2/3 + 4/10 + 6/17).
		{"hand", []float64{2, 4, 10}, []float64{1, 6, 7}, 2, math.Sqrt(14.0 / 3), 100.0 / 3 * 1.3, 100.0 / 3 * (2.0/3 + 0.4 + 6.0/17)},
		{"perfect", []float64{1, 2}, []float64{1, 2}, 0, 0, 0, 0},
		// NaN pairs are skipped: only (2, 1) counts.
		{"nan skipped", []float64{2, nan, 5}, []float64{1, 3, nan}, 1, 1, 50, 100 * 2.0 / 3},
		{"all nan", []float64{nan}, []float64{1}, nan, nan, nan, nan},
		{"empty", nil, nil, nan, nan, nan, nan},
		// A zero actual makes MAPE undefined (NaN); sMAPE counts 0/0 as 0.
		{"zeros", []float64{0, 0}, []float64{0, 2}, 1, math.Sqrt(2), nan, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				name string
				f    func(a, p []float64) float64
				want float64
			}{{"MAE", MAE, tt.mae}, {"RMSE", RMSE, tt.rmse}, {"MAPE", MAPE, tt.mape}, {"SMAPE", SMAPE, tt.smape}} {
				if got := c.f(tt.actual, tt.pred); !near(got, c.want) {
					t.Errorf("%s(%v, %v) = %g; want %g", c.name, tt.actual, tt.pred, got, c.want)
				}
			}
		})
	}
}

func TestMASE(t *testing.T) {
	tests := []struct {
		name                string
		actual, pred, train []float64
		m                   int
		want                float64
	}{
		// lag-1 scale of 1,3,2,6: (2+1+4)/3; MAE 1.
		{"lag 1", []float64{5}, []float64{4}, []float64{1, 3, 2, 6}, 1, 3.0 / 7},
		// lag-2 scale of 1,3,2,6,4: (1+3+2)/3 = 2; MAE (1+3)/2 = 2.
		{"lag 2", []float64{5, 5}, []float64{4, 8}, []float64{1, 3, 2, 6, 4}, 2, 1},
		{"zero scale, error", []float64{1}, []float64{2}, []float64{3, 3, 3}, 1, math.Inf(1)},
		{"zero scale, exact", []float64{1}, []float64{1}, []float64{3, 3, 3}, 1, math.NaN()},
		{"train too short", []float64{1}, []float64{2}, []float64{3}, 1, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MASE(tt.actual, tt.pred, tt.train, tt.m); !near(got, tt.want) {
				t.Errorf("MASE(%v, %v, %v, %d) = %g; want %g", tt.actual, tt.pred, tt.train, tt.m, got, tt.want)
			}
		})
	}
}

func TestMetricPanicsOnLengthMismatch(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "forecast: MAE with 2 actual and 1 predicted values") {
			t.Errorf("MAE with mismatched lengths: recovered %v; want a forecast: panic", r)
		}
	}()
	MAE([]float64{1, 2}, []float64{1})
}
