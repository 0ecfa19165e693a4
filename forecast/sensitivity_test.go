package forecast

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// TestLagSensitivity checks the measured derivatives against models whose
// forecasts are known linear functions of the history: the naive forecast
// is y_t (1 at lag 1), the seasonal naive's first step is y_{t+1−m} (1 at
// lag m), the mean's is the mean of the t values (1/t at every lag), and
// the drift's is y_t + (y_t − y_1)/(t−1).
func TestLagSensitivity(t *testing.T) {
	y := make([]float64, 60)
	for i := range y {
		y[i] = 10 + math.Sin(float64(i)) + 0.1*float64(i)
	}
	s := &dataset.Series{Name: "s", Values: y}
	ctx := context.Background()
	cfg := SensitivityConfig{MaxLag: 8, Origins: 3, Every: 2}
	const tol = 1e-6
	for _, tc := range []struct {
		name string
		m    HistoryPredictor
		want func(k int, t int) float64 // at lag k from origin t
	}{
		{"naive", NewNaive(), func(k, _ int) float64 { return b2f(k == 1) }},
		{"snaive", NewSeasonalNaive(4), func(k, _ int) float64 { return b2f(k == 4) }},
		{"mean", NewMean(), func(_ int, t int) float64 { return 1 / float64(t) }},
		{"drift", NewDrift(), func(k, t int) float64 {
			if k == 1 {
				return 1 + 1/float64(t-1)
			}
			return 0
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LagSensitivity(ctx, tc.m, s, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != cfg.MaxLag {
				t.Fatalf("%d lags; want %d", len(got), cfg.MaxLag)
			}
			for k := 1; k <= cfg.MaxLag; k++ {
				var want float64
				for o := range cfg.Origins {
					want += tc.want(k, len(y)-(cfg.Origins-1-o)*cfg.Every)
				}
				want /= float64(cfg.Origins)
				if math.Abs(got[k-1]-want) > tol {
					t.Errorf("lag %d: %.9g; want %.9g", k, got[k-1], want)
				}
			}
		})
	}
	if got := y[len(y)-1]; got != 10+math.Sin(59)+5.9 {
		t.Errorf("the series was modified: last value %g", got)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestLagSensitivityErrors checks the refusals: a series too short for
// the lags and origins (a ShortError naming the series), a constant one,
// a bad setting, and a model that fails on the perturbed history.
func TestLagSensitivityErrors(t *testing.T) {
	ctx := context.Background()
	short := &dataset.Series{ID: "shop 7", Values: []float64{1, 2, 3, 4, 5}}
	_, err := LagSensitivity(ctx, NewNaive(), short, SensitivityConfig{MaxLag: 4, Origins: 2})
	var se *ShortError
	if !errors.Is(err, ErrSensitivity) || !errors.As(err, &se) || !strings.Contains(err.Error(), "shop 7") {
		t.Errorf("short series: %v; want ErrSensitivity with a ShortError naming shop 7", err)
	}
	flat := &dataset.Series{Name: "flat", Values: make([]float64, 30)}
	if _, err := LagSensitivity(ctx, NewNaive(), flat, SensitivityConfig{MaxLag: 4}); !errors.Is(err, ErrSensitivity) || !strings.Contains(err.Error(), "constant") {
		t.Errorf("constant series: %v; want ErrSensitivity saying constant", err)
	}
	s := &dataset.Series{Name: "s", Values: []float64{1, 3, 2, 5, 4, 6, 8, 7, 9, 10}}
	if _, err := LagSensitivity(ctx, NewNaive(), s, SensitivityConfig{MaxLag: -1}); !errors.Is(err, ErrSensitivity) {
		t.Errorf("negative lag: %v; want ErrSensitivity", err)
	}
	if _, err := LagSensitivity(ctx, NewSeasonalNaive(12), s, SensitivityConfig{MaxLag: 2, Origins: 1}); !errors.Is(err, ErrSensitivity) {
		t.Errorf("a model that cannot forecast: %v; want ErrSensitivity", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := LagSensitivity(cancelled, NewNaive(), s, SensitivityConfig{MaxLag: 2, Origins: 1}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v; want context.Canceled", err)
	}
}
