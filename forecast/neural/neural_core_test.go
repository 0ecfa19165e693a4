package neural

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// TestNeuralMissingInterval: a local network on a series with one
// validation window (12 residuals) has a finite 80 % interval and no 95 %
// one, with a note; it used to give -Inf..+Inf.
func TestNeuralMissingInterval(t *testing.T) {
	s := fctest.SineSeries(37, 1)
	n := quickNeural(t, NeuralConfig{Model: "lstm", Window: 12, Horizon: 12, Epochs: 2, Hidden: 4})
	if err := n.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	f, err := n.Predict(12)
	if err != nil {
		t.Fatal(err)
	}
	missing95(t, "Predict", f)
	if len(f.Notes) == 1 && f.Notes[0] != "no 95% interval: too few validation windows (a 95% interval needs 19 residuals; each window gives 12)" {
		t.Errorf("note %q", f.Notes[0])
	}
	f, err = n.PredictFrom(s, 24) // past the trained horizon too
	if err != nil {
		t.Fatal(err)
	}
	missing95(t, "PredictFrom", f)
}

// TestGlobalMissingInterval: a global network whose only validation window
// is one series' latest (6 residuals) forecasts every series, those of one
// or two points included, with a finite 80 % interval and no 95 % one; it
// used to give 0..+Inf under the log transform, -Inf..+Inf without it.
func TestGlobalMissingInterval(t *testing.T) {
	long := fctest.ManySines(1, 3)[0].Slice(0, 31) // window 24 + horizon 6 + 1: one validation window
	long.ID = "long"
	one := &dataset.Series{ID: "one", Values: []float64{50}, Freq: long.Freq}
	two := &dataset.Series{ID: "two", Values: []float64{50, 52}, Freq: long.Freq}
	for _, transform := range []string{TransformAuto, TransformNone} {
		n := quickGlobal(t, NeuralConfig{Epochs: 2, Hidden: 4, Transform: transform})
		if err := n.FitGlobal(context.Background(), []*dataset.Series{long, one, two}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []*dataset.Series{long, one, two} {
			f, err := n.PredictFrom(s, 6)
			if err != nil {
				t.Fatal(err)
			}
			missing95(t, transform+" "+s.ID, f)
		}
	}
}

// BacktestGlobal fits one model per fold on every series cut at its own
// origin: fold k's forecasts are those of a model fitted by hand on the
// cut series; a series too short for the folds fails alone; the results
// do not depend on the workers.
func TestBacktestGlobal(t *testing.T) {
	ctx := context.Background()
	series := fctest.ManySines(8, 4)
	short := &dataset.Series{ID: "short", Values: []float64{1, 2, 3}, Freq: series[0].Freq}
	all := append(slices.Clone(series), short)
	newModel := func() forecast.GlobalModel {
		f, err := forecast.New("lstm", forecast.Options{Horizon: 6, Season: 12, Seed: 3, Global: true, Params: map[string]string{"epochs": "2", "hidden": "4"}})
		if err != nil {
			t.Fatal(err)
		}
		return f.(forecast.GlobalModel)
	}
	cfg := forecast.BacktestConfig{Horizon: 6, Folds: 2}
	res := forecast.BacktestGlobal(ctx, all, newModel, cfg, 1, nil)
	if err := res[len(all)-1].Errs[0]; !errors.Is(err, forecast.ErrTooShort) {
		t.Errorf("short series: %v; want ErrTooShort", err)
	}
	for k := range 2 {
		cut := make([]*dataset.Series, len(series))
		for i, s := range series {
			cut[i] = s.Slice(0, s.Len()-6-(1-k)*6)
		}
		m := newModel()
		if err := m.FitGlobal(ctx, cut); err != nil {
			t.Fatal(err)
		}
		for i, s := range cut {
			want, err := m.PredictFrom(s, 6)
			if err != nil {
				t.Fatal(err)
			}
			r := res[i].Results[0]
			if res[i].Errs[0] != nil || len(r.Folds) != 2 {
				t.Fatalf("series %d: %v, %d folds", i, res[i].Errs[0], len(r.Folds))
			}
			f := r.Folds[k]
			if !slices.Equal(f.Forecast.Values, want.Values) || f.Origin != s.Len() || f.Index != k {
				t.Errorf("series %d fold %d: origin %d forecast %v; want origin %d, %v", i, k, f.Origin, f.Forecast.Values, s.Len(), want.Values)
			}
			if mase := forecast.MASE(f.Actual, want.Values, s.Values, s.Freq.Season()); f.Scores.MASE != mase {
				t.Errorf("series %d fold %d: MASE %v; want %v", i, k, f.Scores.MASE, mase)
			}
		}
	}
	res2 := forecast.BacktestGlobal(ctx, all, newModel, cfg, 3, nil)
	for i := range series {
		if res2[i].Results[0].Mean != res[i].Results[0].Mean {
			t.Errorf("series %d: 3 workers %+v, 1 worker %+v", i, res2[i].Results[0].Mean, res[i].Results[0].Mean)
		}
	}
}

func TestPredictEachDeterministic(t *testing.T) {
	series := fctest.ManySynth(5)
	series[2] = fctest.Synth(40, 12, 9) // never seen by the model, no id
	m, err := forecast.New("lstm", forecast.Options{Window: 12, Horizon: 4, Seed: 3, Params: map[string]string{"epochs": "2", "hidden": "4", "normalize": "last"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fit(context.Background(), series[0]); err != nil {
		t.Fatal(err)
	}
	hp := m.(forecast.HistoryPredictor)
	short := fctest.IndexSeries(5)
	series = append(series, short)
	one := forecast.PredictEach(context.Background(), hp, series, 4, 1, nil)
	for _, w := range []int{2, 4} {
		sameForecasts(t, one, forecast.PredictEach(context.Background(), hp, series, 4, w, nil))
	}
	for i, r := range one[:5] {
		want, err := hp.PredictFrom(series[i], 4)
		if err != nil || r.Err != nil || !reflect.DeepEqual(r.Forecast, want) {
			t.Errorf("series %d: %v, %v; want PredictFrom's forecast", i, r.Err, err)
		}
	}
	if r := one[2]; r.Err != nil || forecast.SeriesID(r.Series) != "synth" {
		t.Errorf("unseen series: %v, id %q", r.Err, forecast.SeriesID(r.Series))
	}
	if r := one[5]; !errors.Is(r.Err, forecast.ErrTooShort) || !strings.HasPrefix(r.Err.Error(), `series "idx": `) {
		t.Errorf("short history: %v; want ErrTooShort naming the series", r.Err)
	}
}

// TestWithIntervalsNeural: a model with intervals of its own keeps them,
// unwrapped.
func TestWithIntervalsNeural(t *testing.T) {
	ctx := context.Background()
	s := fctest.Synth(96, 12, 4)
	n, err := forecast.NewWithIntervals("mlp", forecast.Options{Window: 12, Horizon: 6, Params: map[string]string{"epochs": "2", "hidden": "4"}}, forecast.ConformalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Fit(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, ok := n.Model().(*Neural); !ok {
		t.Errorf("Model() is %T; want *Neural", n.Model())
	}
}

// missing95 checks that f has a finite 80 % interval, no 95 % one, and
// one note saying why, naming the level and what it needs.
func missing95(t *testing.T, what string, f *forecast.Forecast) {
	t.Helper()
	if err := f.CheckFinite(); err != nil {
		t.Errorf("%s: %v", what, err)
	}
	if _, ok := f.Interval(0.8); !ok {
		t.Errorf("%s: no 80%% interval; want one (enough residuals for it)", what)
	}
	if iv, ok := f.Interval(0.95); ok {
		t.Errorf("%s: 95%% interval [%g, %g] at step 1; want none (too few validation residuals)", what, iv.Lo[0], iv.Hi[0])
	}
	if len(f.Notes) != 1 || !strings.HasPrefix(f.Notes[0], "no 95% interval: ") || !strings.Contains(f.Notes[0], "needs 19") {
		t.Errorf("%s: notes %q; want one saying why there is no 95%% interval", what, f.Notes)
	}
}

// sameForecasts compares results without their wall times.
func sameForecasts(t *testing.T, a, b []forecast.SeriesForecast) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d and %d results", len(a), len(b))
	}
	for i := range a {
		if a[i].Series != b[i].Series || !reflect.DeepEqual(a[i].Forecast, b[i].Forecast) || fmt.Sprint(a[i].Err) != fmt.Sprint(b[i].Err) {
			t.Errorf("series %d differs:\n%+v %v\n%+v %v", i, a[i].Forecast, a[i].Err, b[i].Forecast, b[i].Err)
		}
	}
}
