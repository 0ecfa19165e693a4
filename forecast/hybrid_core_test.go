package forecast

import (
	"context"
	"testing"
)

// TrainedHorizon: a neural model's horizon, a hybrid's, a conformal
// wrapper's; 12 for a model that does not say.
func TestTrainedHorizon(t *testing.T) {
	n, _ := New("lstm", Options{Horizon: 7})
	hy := quickHybrid(t, HybridConfig{Horizon: 5})
	if err := hy.FitGlobal(context.Background(), manySines(6, 1)); err != nil {
		t.Fatal(err)
	}
	c := NewConformal(func() Forecaster { return NewNaive() }, ConformalConfig{Horizon: 9})
	for _, tc := range []struct {
		m    Forecaster
		want int
	}{{n, 7}, {hy, 5}, {c, 9}, {NewNaive(), 12}} {
		if got := TrainedHorizon(tc.m); got != tc.want {
			t.Errorf("TrainedHorizon(%s) = %d; want %d", tc.m.Name(), got, tc.want)
		}
	}
}
