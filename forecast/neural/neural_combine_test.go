package neural

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func TestNeuralCombine(t *testing.T) {
	// The combinations reuse the candidates CombineBest trains (same seeds,
	// same data), so the best model's forecast is one of the parts' and a
	// combination's is the weighted sum of the parts'.
	s := fctest.SineSeries(300, 5)
	fit := func(combine string) *Neural {
		n := quickNeural(t, NeuralConfig{Window: 24, Horizon: 6, Season: 24, Epochs: 2, Seed: 4, Combine: combine, Ensemble: 2})
		if err := n.Fit(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		return n
	}
	best := fit(CombineBest)
	bf, err := best.Predict(6)
	if err != nil {
		t.Fatal(err)
	}
	for _, combine := range []string{CombineMean, CombineInverse, CombineInverse2} {
		t.Run(combine, func(t *testing.T) {
			n := fit(combine)
			if len(n.parts) != 2 || len(n.nets) != 0 {
				t.Fatalf("combined model has %d parts and %d networks of its own; want 2 and 0", len(n.parts), len(n.nets))
			}
			c, h := n.Config(), n.History()
			if c.Normalize != NormAuto || c.Combine != combine {
				t.Errorf("Config says normalisation %q, combine %q", c.Normalize, c.Combine)
			}
			rel, none := n.parts[0], n.parts[1]
			if none.cfg.Normalize != NormNone || len(rel.nets) != 2 || len(none.nets) != 2 {
				t.Fatalf("parts %s (%d networks), %s (%d)", rel.cfg.Normalize, len(rel.nets), none.cfg.Normalize, len(none.nets))
			}
			wr, wn := h.Weights[rel.cfg.Normalize], h.Weights[NormNone]
			if math.Abs(wr+wn-1) > 1e-12 || wr != n.weights[0] || wn != n.weights[1] {
				t.Errorf("weights %v (%v); want two summing to 1", h.Weights, n.weights)
			}
			er, en := h.Candidates[rel.cfg.Normalize], h.Candidates[NormNone]
			switch combine {
			case CombineMean:
				if wr != 0.5 {
					t.Errorf("mean weights %v", h.Weights)
				}
			case CombineInverse:
				if math.Abs(wr/wn-en/er) > 1e-9 {
					t.Errorf("inverse weights %v for validation MAE %v", h.Weights, h.Candidates)
				}
			case CombineInverse2:
				if math.Abs(wr/wn-(en*en)/(er*er)) > 1e-9 {
					t.Errorf("inverse2 weights %v for validation MAE %v", h.Weights, h.Candidates)
				}
			}
			if !(h.ValMAE > 0) || math.IsInf(h.ValMAE, 0) {
				t.Errorf("combined validation MAE %g", h.ValMAE)
			}
			f, err := n.Predict(6)
			if err != nil {
				t.Fatal(err)
			}
			fr, _ := rel.Predict(6)
			fn, _ := none.Predict(6)
			for k, v := range f.Values {
				if want := wr*fr.Values[k] + wn*fn.Values[k]; v != want {
					t.Errorf("step %d: combined %g; want %g·%g + %g·%g = %g", k+1, v, wr, fr.Values[k], wn, fn.Values[k], want)
				}
			}
			kept := fr
			if en < er {
				kept = fn
			}
			if !slices.Equal(bf.Values, kept.Values) {
				t.Errorf("CombineBest forecasts %v; want its better candidate's %v", bf.Values, kept.Values)
			}
			if len(f.Intervals) != 2 || !(f.Intervals[0].Hi[0] > f.Values[0]) {
				t.Errorf("combined model's intervals %v", f.Intervals)
			}
		})
	}
}

func TestNeuralCombineRoundTrip(t *testing.T) {
	s := fctest.SineSeries(300, 6)
	n := quickNeural(t, NeuralConfig{Model: "gru", Window: 24, Horizon: 6, Season: 24, Epochs: 2, Seed: 2, Combine: CombineInverse2, Ensemble: 2})
	if err := n.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	loaded, want, _ := checkRoundTrip(t, filepath.Join(t.TempDir(), "m.tsf"), n, 15)
	hp, err := forecast.PredictFrom(loaded, s, 15)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(hp.Values, want.Values) {
		t.Errorf("PredictFrom(training series) = %v; want Predict's %v", hp.Values, want.Values)
	}
	if ln := loaded.(*Neural); !slices.Equal(ln.weights, n.weights) || ln.Config().Combine != CombineInverse2 {
		t.Errorf("loaded weights %v, combine %q; want %v, %q", ln.weights, ln.Config().Combine, n.weights, CombineInverse2)
	}
}

func TestNeuralCombineOptions(t *testing.T) {
	c, err := NeuralFromOptions("lstm", forecast.Options{Params: map[string]string{"combine": "inverse2"}})
	if err != nil || c.Combine != CombineInverse2 {
		t.Errorf("combine=inverse2: %+v, %v", c.Combine, err)
	}
	_, err = NewNeural(NeuralConfig{Combine: "median"})
	if want := `neural: unknown combine "median" (want best, mean, inverse, inverse2 or bestof)`; err == nil || err.Error() != want {
		t.Errorf("bad combine: %v; want %q", err, want)
	}
	// Without validation auto has one candidate: nothing to combine.
	n := quickNeural(t, NeuralConfig{Window: 24, Horizon: 6, Season: 24, Epochs: 1, Val: -1, Combine: CombineMean})
	if err := n.Fit(context.Background(), fctest.SineSeries(200, 1)); err != nil {
		t.Fatal(err)
	}
	if len(n.parts) != 0 || n.Config().Normalize != NormSeason {
		t.Errorf("without validation: %d parts, normalisation %q; want the relative candidate alone", len(n.parts), n.Config().Normalize)
	}
}

func TestNeuralCombineBestOf(t *testing.T) {
	// bestof keeps the combination only if it beats both candidates on
	// validation; otherwise it is CombineBest.
	s := fctest.SineSeries(300, 5)
	fit := func(combine string) *Neural {
		n := quickNeural(t, NeuralConfig{Window: 24, Horizon: 6, Season: 24, Epochs: 2, Seed: 4, Combine: combine})
		if err := n.Fit(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		return n
	}
	comb, best, bestOf := fit(CombineInverse2), fit(CombineBest), fit(CombineBestOf)
	want := best
	if comb.valMAE < best.valMAE {
		want = comb
	}
	f, _ := bestOf.Predict(6)
	w, _ := want.Predict(6)
	if !slices.Equal(f.Values, w.Values) || bestOf.valMAE != want.valMAE {
		t.Errorf("bestof forecasts %v (validation MAE %g); want %v (%g): combination %g, best %g",
			f.Values, bestOf.valMAE, w.Values, want.valMAE, comb.valMAE, best.valMAE)
	}
}
