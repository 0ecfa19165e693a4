package neural

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// TestNeuralFloat32: a float32 network trains, forecasts close to the
// float64 one from the same seed (not bit for bit: its products are
// float32), and its model file round-trips bit for bit with its dtype.
func TestNeuralFloat32(t *testing.T) {
	s := fctest.MonthlySeries(120, 11)
	fit := func(dtype string) *Neural {
		n, err := NewNeural(NeuralConfig{Model: "lstm", Horizon: 12, Epochs: 5, Hidden: 16, Seed: 1, DType: dtype})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Fit(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		return n
	}
	n64, n32 := fit("float64"), fit("float32")
	f64, _ := n64.Predict(12)
	f32, err := n32.Predict(12)
	if err != nil {
		t.Fatal(err)
	}
	same := true
	for k := range f64.Values {
		if d := math.Abs(f32.Values[k]-f64.Values[k]) / math.Abs(f64.Values[k]); d > 0.02 || math.IsNaN(d) {
			t.Errorf("step %d: float32 %g, float64 %g: relative difference %.2g", k, f32.Values[k], f64.Values[k], d)
		}
		same = same && f32.Values[k] == f64.Values[k]
	}
	if same {
		t.Errorf("float32 forecasts equal the float64 ones bit for bit: the float32 path did not run")
	}
	path := filepath.Join(t.TempDir(), "f32.tsf")
	if err := forecast.Save(path, n32); err != nil {
		t.Fatal(err)
	}
	m, err := forecast.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.(*Neural).Config().DType; got != "float32" {
		t.Errorf("loaded dtype %q; want float32", got)
	}
	g, _ := m.Predict(12)
	for k := range g.Values {
		if g.Values[k] != f32.Values[k] {
			t.Fatalf("step %d after the round trip: %v; want %v", k, g.Values[k], f32.Values[k])
		}
	}
	if _, err := NewNeural(NeuralConfig{DType: "float16"}); err == nil || !strings.Contains(err.Error(), "float16") {
		t.Errorf("dtype float16: %v; want an error naming it", err)
	}
}
