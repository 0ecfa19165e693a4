package forecast

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// BacktestGlobal fits one model per fold on every series cut at its own
// origin: fold k's forecasts are those of a model fitted by hand on the
// cut series; a series too short for the folds fails alone; the results
// do not depend on the workers.
func TestBacktestGlobal(t *testing.T) {
	ctx := context.Background()
	series := manySines(8, 4)
	short := &dataset.Series{ID: "short", Values: []float64{1, 2, 3}, Freq: series[0].Freq}
	all := append(slices.Clone(series), short)
	newModel := func() GlobalModel {
		f, err := New("lstm", Options{Horizon: 6, Season: 12, Seed: 3, Global: true, Params: map[string]string{"epochs": "2", "hidden": "4"}})
		if err != nil {
			t.Fatal(err)
		}
		return f.(GlobalModel)
	}
	cfg := BacktestConfig{Horizon: 6, Folds: 2}
	res := BacktestGlobal(ctx, all, newModel, cfg, 1, nil)
	if err := res[len(all)-1].Errs[0]; !errors.Is(err, ErrTooShort) {
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
			if mase := MASE(f.Actual, want.Values, s.Values, s.Freq.Season()); f.Scores.MASE != mase {
				t.Errorf("series %d fold %d: MASE %v; want %v", i, k, f.Scores.MASE, mase)
			}
		}
	}
	res2 := BacktestGlobal(ctx, all, newModel, cfg, 3, nil)
	for i := range series {
		if res2[i].Results[0].Mean != res[i].Results[0].Mean {
			t.Errorf("series %d: 3 workers %+v, 1 worker %+v", i, res2[i].Results[0].Mean, res[i].Results[0].Mean)
		}
	}
}

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

// One sentinel for a series too short, whichever package says so.
func TestErrTooShortIsDatasets(t *testing.T) {
	if !errors.Is(&ShortError{}, dataset.ErrTooShort) || !errors.Is(dataset.ErrTooShort, ErrTooShort) {
		t.Error("forecast.ErrTooShort and dataset.ErrTooShort are two sentinels")
	}
}

// CollectionHorizon: the shared season, 12 without one, the given season
// first, and an error naming one series per period when they differ.
func TestCollectionHorizon(t *testing.T) {
	monthly := &dataset.Series{ID: "m", Freq: dataset.Freq{Kind: dataset.Monthly}}
	yearly := &dataset.Series{ID: "y", Freq: dataset.Freq{Kind: dataset.Annual}}
	for _, tc := range []struct {
		series []*dataset.Series
		season int
		want   int
	}{{[]*dataset.Series{monthly, monthly}, 0, 12}, {[]*dataset.Series{yearly}, 0, 12}, {[]*dataset.Series{monthly, yearly}, 4, 4}} {
		if got, err := CollectionHorizon(tc.series, tc.season); got != tc.want || err != nil {
			t.Errorf("CollectionHorizon(season %d) = %d, %v; want %d", tc.season, got, err, tc.want)
		}
	}
	_, err := CollectionHorizon([]*dataset.Series{yearly, monthly, yearly}, 0)
	if err == nil || !strings.Contains(err.Error(), `(series "y"), monthly (series "m")): no common default horizon`) {
		t.Errorf("mixed frequencies: %v", err)
	}
}

func TestCollectionHorizonSentinel(t *testing.T) {
	_, err := CollectionHorizon([]*dataset.Series{{Freq: dataset.Freq{Kind: dataset.Monthly}}, {Freq: dataset.Freq{Kind: dataset.Annual}}}, 0)
	if !errors.Is(err, ErrNoHorizon) {
		t.Errorf("%v does not wrap ErrNoHorizon", err)
	}
}
