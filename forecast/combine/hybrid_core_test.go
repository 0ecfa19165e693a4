package combine

import (
	"context"
	"testing"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// TrainedHorizon: a neural model's horizon, a hybrid's, a conformal
// wrapper's; 12 for a model that does not say.
func TestTrainedHorizon(t *testing.T) {
	n, _ := forecast.New("lstm", forecast.Options{Horizon: 7})
	hy := quickHybrid(t, HybridConfig{Horizon: 5})
	if err := hy.FitGlobal(context.Background(), fctest.ManySines(6, 1)); err != nil {
		t.Fatal(err)
	}
	c := forecast.NewConformal(func() forecast.Forecaster { return forecast.NewNaive() }, forecast.ConformalConfig{Horizon: 9})
	for _, tc := range []struct {
		m    forecast.Forecaster
		want int
	}{{n, 7}, {hy, 5}, {c, 9}, {forecast.NewNaive(), 12}} {
		if got := forecast.TrainedHorizon(tc.m); got != tc.want {
			t.Errorf("TrainedHorizon(%s) = %d; want %d", tc.m.Name(), got, tc.want)
		}
	}
}
