package neural

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func quickGlobal(t *testing.T, cfg NeuralConfig) *Neural {
	t.Helper()
	cfg.Global = true
	if cfg.Horizon == 0 {
		cfg.Horizon = 6
	}
	if cfg.Season == 0 {
		cfg.Season = 12
	}
	return quickNeural(t, cfg)
}

// A global model learns one shape from series of every scale and forecasts
// a series it never saw better than the naive forecast; its intervals
// scale with the series.
func TestGlobalForecastsUnseenSeries(t *testing.T) {
	train := fctest.ManySines(30, 1)
	n := quickGlobal(t, NeuralConfig{Epochs: 30, LR: 3e-3, Seed: 1})
	if err := n.FitGlobal(context.Background(), train); err != nil {
		t.Fatal(err)
	}
	if got := n.Config(); got.Window != 24 || got.Normalize != GlobalNorm || got.Transform != TransformLog || !got.Global {
		t.Errorf("resolved config window %d normalize %q transform %q global %v; want 24, %q, %q, true",
			got.Window, got.Normalize, got.Transform, got.Global, GlobalNorm, TransformLog)
	}
	var mae, naive float64
	for _, s := range fctest.ManySines(10, 99) {
		hist, test := s.Slice(0, s.Len()-6), s.Values[s.Len()-6:]
		f, err := n.PredictFrom(hist, 6)
		if err != nil {
			t.Fatal(err)
		}
		last := hist.Values[hist.Len()-1]
		for k, y := range test {
			mae += math.Abs(y-f.Values[k]) / last
			naive += math.Abs(y-last) / last
			iv, _ := f.Interval(0.95)
			if !(iv.Lo[k] < f.Values[k] && f.Values[k] < iv.Hi[k]) || iv.Hi[k]-iv.Lo[k] > last {
				t.Fatalf("%s step %d: 95 %% interval [%g, %g] around %g (level %g)", s.ID, k, iv.Lo[k], iv.Hi[k], f.Values[k], last)
			}
		}
	}
	t.Logf("relative MAE on unseen series: global %.4f, naive %.4f", mae/60, naive/60)
	// Measured: global 0.017, naive 0.135.
	if !(mae < naive/2) {
		t.Errorf("global relative MAE %.4f; want < half the naive one (%.4f)", mae/60, naive/60)
	}
}

// Every window is normalised on its own: a series multiplied by 1000 gets
// the forecast multiplied by 1000.
func TestGlobalScaleEquivariant(t *testing.T) {
	n := quickGlobal(t, NeuralConfig{Epochs: 3, Seed: 2})
	if err := n.FitGlobal(context.Background(), fctest.ManySines(8, 2)); err != nil {
		t.Fatal(err)
	}
	for _, norm := range []string{NormMean, NormLast} {
		n.cfg.Normalize = norm
		s := fctest.ManySines(1, 5)[0]
		big := *s
		big.Values = make([]float64, s.Len())
		for i, v := range s.Values {
			big.Values[i] = 1000 * v
		}
		f, err := n.PredictFrom(s, 8)
		if err != nil {
			t.Fatal(err)
		}
		g, err := n.PredictFrom(&big, 8)
		if err != nil {
			t.Fatal(err)
		}
		for k := range f.Values {
			if math.Abs(g.Values[k]/(1000*f.Values[k])-1) > 1e-9 {
				t.Errorf("%s step %d: forecast of the series ×1000 is %g; want 1000 × %g", norm, k, g.Values[k], f.Values[k])
			}
		}
	}
}

// Save/Load keeps a global model bit for bit, and the loaded model
// forecasts any series from its history.
func TestGlobalRoundTripBitIdentical(t *testing.T) {
	for _, cfg := range []NeuralConfig{
		{Ensemble: 2, Seed: 3, Epochs: 3},
		{Model: "rnn", Normalize: NormSeason, Transform: TransformNone, Seed: 4, Epochs: 3},
	} {
		n := quickGlobal(t, cfg)
		if err := n.FitGlobal(context.Background(), fctest.ManySines(6, 3)); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "global.tsf")
		if err := forecast.Save(path, n); err != nil {
			t.Fatal(err)
		}
		loaded, err := forecast.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range fctest.ManySines(3, 7) {
			want, err := n.PredictFrom(s, 9)
			if err != nil {
				t.Fatal(err)
			}
			got, err := forecast.PredictFrom(loaded, s, 9)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Values, want.Values) {
				t.Errorf("loaded model forecasts %v; want bit-identical %v", got.Values, want.Values)
			}
			for i := range want.Intervals {
				if !slices.Equal(got.Intervals[i].Lo, want.Intervals[i].Lo) || !slices.Equal(got.Intervals[i].Hi, want.Intervals[i].Hi) {
					t.Errorf("loaded interval %g differs", want.Intervals[i].Level)
				}
			}
		}
		if _, err := loaded.Predict(6); err == nil {
			t.Error("Predict of a loaded global model fitted on several series: no error; want one saying to use PredictFrom")
		}
	}
}

// Same seed and data, same model whatever the number of threads; an
// ensemble trains its members concurrently.
func TestGlobalDeterministic(t *testing.T) {
	series := fctest.ManySines(5, 4)
	var ref []float64
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		n := quickGlobal(t, NeuralConfig{Epochs: 3, Ensemble: 2, Seed: 5})
		err := n.FitGlobal(context.Background(), series)
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		f, err := n.PredictFrom(series[0], 6)
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = f.Values
		} else if !slices.Equal(ref, f.Values) {
			t.Errorf("GOMAXPROCS %d forecasts %v; GOMAXPROCS 1 %v", procs, f.Values, ref)
		}
	}
}

// A series too short for one window, or with a missing value, is skipped
// with its reason while the others train; PredictFrom still forecasts a
// short one (padded).
func TestGlobalSkipsBadSeries(t *testing.T) {
	series := fctest.ManySines(4, 6)
	short := series[3].Slice(0, 20)
	short.ID = "short"
	bad := *series[2]
	bad.ID = "bad"
	bad.Values = slices.Clone(bad.Values)
	bad.Values[7] = math.NaN()
	n := quickGlobal(t, NeuralConfig{Epochs: 2, Seed: 6})
	if err := n.FitGlobal(context.Background(), []*dataset.Series{series[0], short, &bad, series[1]}); err != nil {
		t.Fatal(err)
	}
	sk := n.Skipped()
	if len(sk) != 2 || sk[0].Series != "short" || !errors.Is(sk[0].Err, forecast.ErrTooShort) || sk[1].Series != "bad" || !errors.Is(sk[1].Err, forecast.ErrBadData) {
		t.Fatalf("Skipped() = %v; want short (ErrTooShort) and bad (ErrBadData)", sk)
	}
	t.Logf("skipped: %v; %v", sk[0].Err, sk[1].Err)
	for _, k := range []int{20, 5, 1} {
		f, err := n.PredictFrom(short.Slice(0, k), 6)
		if err != nil {
			t.Fatalf("history of %d points: %v", k, err)
		}
		for _, v := range f.Values {
			if !(v > 0) || math.IsInf(v, 0) {
				t.Fatalf("history of %d points: forecast %v", k, f.Values)
			}
		}
	}
	if _, err := n.PredictFrom(&bad, 6); err != nil {
		t.Errorf("history with a NaN before its last window: %v; want a forecast", err)
	}
	bad.Values[bad.Len()-1] = math.NaN()
	if _, err := n.PredictFrom(&bad, 6); !errors.Is(err, forecast.ErrBadData) {
		t.Errorf("history with a NaN in its last window: error %v; want ErrBadData", err)
	}
	if err := quickGlobal(t, NeuralConfig{Epochs: 1}).FitGlobal(context.Background(), []*dataset.Series{short}); !errors.Is(err, forecast.ErrTooShort) {
		t.Errorf("FitGlobal of one short series: error %v; want ErrTooShort", err)
	}
}

// With Global set, Fit(s) is FitGlobal of s alone and Predict continues s;
// forecast.New("lstm", Options{Global: true}) builds it.
func TestGlobalFitOneSeries(t *testing.T) {
	f, err := forecast.New("lstm", forecast.Options{Global: true, Horizon: 6, Season: 12, Seed: 7, Params: map[string]string{"epochs": "2", "hidden": "8"}})
	if err != nil {
		t.Fatal(err)
	}
	s := fctest.ManySines(1, 8)[0]
	if err := f.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	got, err := f.Predict(6)
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.(*Neural).PredictFrom(s, 6)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Values, want.Values) || !got.Time[0].Equal(want.Time[0]) {
		t.Errorf("Predict = %v at %v; want PredictFrom's %v at %v", got.Values, got.Time[0], want.Values, want.Time[0])
	}
	checkRoundTrip(t, filepath.Join(t.TempDir(), "one.tsf"), f.(*Neural), 6)
}

// TestGlobalTooShortMessage: when every series gives only its validation
// window, the error says how long the longest is and what one more point
// would give (it said "every series has 0 points" and asked for 48).
func TestGlobalTooShortMessage(t *testing.T) {
	series := fctest.ManySines(3, 5)
	for i, s := range series {
		series[i] = s.Slice(0, 36)
	}
	n := quickGlobal(t, NeuralConfig{Horizon: 12, Epochs: 1, Hidden: 4})
	err := n.FitGlobal(context.Background(), series)
	want := "the longest series has 36 points; window 24 + horizon 12 + 1 (a window to train on besides each series' latest, which validates) needs at least 37"
	if !errors.Is(err, forecast.ErrTooShort) || err.Error() != want {
		t.Errorf("FitGlobal on 3 series of 36 points = %v; want %q", err, want)
	}
}
