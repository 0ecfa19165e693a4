package combine

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// TestAutoWeightsFromHoldout recomputes every candidate's holdout MAE
// independently, checks the inverse-square weights, and that the combined
// forecast is the weighted sum of the refitted members' forecasts.
func TestAutoWeightsFromHoldout(t *testing.T) {
	s := fctest.MonthlySeries(96, 1)
	a, err := NewAuto(AutoConfig{Candidates: []string{"ets", "snaive", "drift"}, Horizon: 12, Weights: "inverse2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	mb := a.Members()
	var inv, sum []float64
	for _, m := range mb {
		f, _ := forecast.New(m.Name, forecast.Options{Horizon: 12})
		if err := f.Fit(context.Background(), s.Slice(0, 84)); err != nil {
			t.Fatal(err)
		}
		fc, _ := f.Predict(12)
		mae := 0.0
		for k := range 12 {
			mae += math.Abs(fc.Values[k] - s.Values[84+k])
		}
		mae /= 12
		if math.Abs(mae-m.MAE) > 1e-12 || m.Skipped != "" {
			t.Errorf("%s: holdout MAE %g (skipped %q); recomputed %g", m.Name, m.MAE, m.Skipped, mae)
		}
		inv = append(inv, 1/(mae*mae))
	}
	total := inv[0] + inv[1] + inv[2]
	want := make([]float64, 12)
	for i, m := range mb {
		if w := inv[i] / total; math.Abs(m.Weight-w) > 1e-12 {
			t.Errorf("%s: weight %g; want %g", m.Name, m.Weight, w)
		}
		f, _ := forecast.New(m.Name, forecast.Options{Horizon: 12})
		f.Fit(context.Background(), s)
		fc, _ := f.Predict(12)
		for k := range want {
			want[k] += m.Weight * fc.Values[k]
		}
		sum = append(sum, m.Weight)
	}
	fc, err := a.Predict(12)
	if err != nil {
		t.Fatal(err)
	}
	for k := range want {
		if math.Abs(fc.Values[k]-want[k]) > 1e-9 {
			t.Fatalf("step %d: %g; want the weighted sum %g", k, fc.Values[k], want[k])
		}
	}
	if mb[0].Weight < mb[1].Weight || mb[0].Weight < mb[2].Weight {
		t.Errorf("ETS should outweigh seasonal naive and drift on a trending seasonal series: %+v", mb)
	}
}

// TestAutoShortSeries: on a series too short for the LSTM, auto leaves it
// out, says why, and still forecasts with the classical candidates.
func TestAutoShortSeries(t *testing.T) {
	s := fctest.MonthlySeries(30, 2)
	a, err := NewAuto(AutoConfig{Candidates: []string{"lstm", "ets", "theta"}, Horizon: 12, Weights: "inverse2", Params: map[string]string{"epochs": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	mb := a.Members()
	if mb[0].Weight != 0 || !strings.Contains(mb[0].Skipped, "needs at least") {
		t.Errorf("lstm on 30 points: weight %g, skipped %q; want 0 and a length reason", mb[0].Weight, mb[0].Skipped)
	}
	if mb[1].Weight+mb[2].Weight < 1-1e-12 {
		t.Errorf("weights %+v do not sum to 1", mb)
	}
	fc, err := a.Predict(12)
	if err != nil || fc.Len() != 12 {
		t.Fatalf("Predict = %v, %v", fc, err)
	}
	if _, ok := fc.Interval(0.95); !ok {
		t.Errorf("no 95%% interval from ets+theta")
	}
}

// TestAutoFallback: by default auto is the first candidate alone when it
// fits (bit for bit the same forecast), and the mean of the others when it
// cannot.
func TestAutoFallback(t *testing.T) {
	long, short := fctest.MonthlySeries(120, 6), fctest.MonthlySeries(30, 7)
	p := map[string]string{"epochs": "3", "hidden": "8"}
	a, _ := NewAuto(AutoConfig{Horizon: 12, Seed: 1, Params: p})
	if err := a.Fit(context.Background(), long); err != nil {
		t.Fatal(err)
	}
	l, _ := forecast.New("lstm", forecast.Options{Horizon: 12, Seed: 1, Params: p})
	if err := l.Fit(context.Background(), long); err != nil {
		t.Fatal(err)
	}
	fa, _ := a.Predict(12)
	fl, _ := l.Predict(12)
	for k := range fl.Values {
		if fa.Values[k] != fl.Values[k] {
			t.Fatalf("step %d: auto %v, lstm %v; want the LSTM's forecast bit for bit", k, fa.Values[k], fl.Values[k])
		}
	}
	if mb := a.Members(); mb[0].Weight != 1 || !strings.HasPrefix(mb[1].Skipped, "not needed") {
		t.Errorf("members on a long series: %+v", mb)
	}
	if err := a.Fit(context.Background(), short); err != nil {
		t.Fatal(err)
	}
	mb := a.Members()
	if mb[0].Weight != 0 || mb[1].Weight != 0.5 || mb[2].Weight != 0.5 || !strings.Contains(mb[0].Skipped, "needs at least") {
		t.Errorf("members on a short series: %+v; want lstm left out, ets and theta at 0.5", mb)
	}
}

func TestAutoNothingFits(t *testing.T) {
	a, _ := NewAuto(AutoConfig{Candidates: []string{"lstm", "gru"}, Horizon: 12})
	err := a.Fit(context.Background(), fctest.MonthlySeries(14, 3))
	if err == nil || !strings.Contains(err.Error(), "lstm: ") || !strings.Contains(err.Error(), "gru: ") {
		t.Fatalf("Fit on 14 points = %v; want an error naming each candidate", err)
	}
	if !errors.Is(err, forecast.ErrTooShort) {
		t.Errorf("errors.Is(%v, ErrTooShort) = false", err)
	}
	err = a.Fit(context.Background(), fctest.MonthlySeries(6, 3))
	want := "train series has 6 points; auto with season 12 (a seasonal naive forecast's minimum) needs at least 12"
	if err == nil || err.Error() != want || !errors.Is(err, forecast.ErrTooShort) {
		t.Errorf("Fit on 6 monthly points = %v; want %s", err, want)
	}
	if _, err := NewAuto(AutoConfig{Candidates: []string{"nosuch"}}); !errors.Is(err, forecast.ErrUnknownModel) {
		t.Errorf("unknown candidate: %v", err)
	}
}

// TestAutoModelFileRoundTrip: a saved auto model forecasts bit for bit as
// the fitted one, from its own series and from new history.
func TestAutoModelFileRoundTrip(t *testing.T) {
	s := fctest.MonthlySeries(120, 4)
	a, err := forecast.New("auto", forecast.Options{Horizon: 12, Seed: 1, Params: map[string]string{"candidates": "lstm,ets,theta", "epochs": "3", "hidden": "8"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "auto.tsf")
	if err := forecast.Save(path, a.(forecast.Persistent)); err != nil {
		t.Fatal(err)
	}
	b, err := forecast.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []*dataset.Series{nil, fctest.MonthlySeries(60, 5)} {
		var f1, f2 *forecast.Forecast
		if h == nil {
			f1, _ = a.Predict(12)
			f2, err = b.Predict(12)
		} else {
			f1, _ = a.(forecast.HistoryPredictor).PredictFrom(h, 12)
			f2, err = b.(forecast.HistoryPredictor).PredictFrom(h, 12)
		}
		if err != nil {
			t.Fatal(err)
		}
		for k := range f1.Values {
			if len(f1.Intervals) == 0 || len(f2.Intervals) != len(f1.Intervals) {
				t.Fatalf("intervals: %d before, %d after the round trip; want lstm, ets and theta's levels", len(f1.Intervals), len(f2.Intervals))
			}
			if f1.Values[k] != f2.Values[k] || f1.Intervals[0].Lo[k] != f2.Intervals[0].Lo[k] {
				t.Fatalf("step %d: %v vs %v after the round trip", k, f1.Values[k], f2.Values[k])
			}
		}
	}
	if got := b.(*Auto).Members(); len(got) != 3 || got[0].Model != "lstm" {
		t.Errorf("members after load: %+v", got)
	}
}

// A network whose forecast lacks an interval (too few validation windows
// for it) is not what fallback settles for: auto takes ets and theta.
func TestAutoFallbackNoInterval(t *testing.T) {
	a, _ := NewAuto(AutoConfig{Horizon: 12, Seed: 1, Params: map[string]string{"epochs": "2", "hidden": "4", "window": "12"}})
	if err := a.Fit(context.Background(), fctest.SineSeries(37, 1)); err != nil {
		t.Fatal(err)
	}
	mb := a.Members()
	if mb[0].Weight != 0 || !strings.Contains(mb[0].Skipped, "no 95% interval") || mb[1].Weight != 0.5 || mb[2].Weight != 0.5 {
		t.Errorf("members %+v; want lstm left out, ets and theta at 0.5", mb)
	}
}
