package neural

import (
	"context"
	"math"
	"testing"

	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// TestNeuralWindowShorterThanHorizon: a window shorter than the horizon
// forecasts (it panicked sliding the window over a block longer than it),
// also when blocks are chained past the trained horizon.
func TestNeuralWindowShorterThanHorizon(t *testing.T) {
	s := fctest.MonthlySeries(120, 9)
	n, err := NewNeural(NeuralConfig{Model: "lstm", Window: 8, Horizon: 12, Epochs: 2, Hidden: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	for _, h := range []int{12, 30} {
		f, err := n.Predict(h)
		if err != nil || f.Len() != h {
			t.Fatalf("Predict(%d) = %v, %v", h, f, err)
		}
		for k, v := range f.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("Predict(%d) step %d = %v", h, k, v)
			}
		}
	}
}
