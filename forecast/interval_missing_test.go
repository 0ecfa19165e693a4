package forecast

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// checkMissing95 checks that f has a finite 80 % interval, no 95 % one, and
// one note saying why, naming the level and what it needs.
func checkMissing95(t *testing.T, what string, f *Forecast) {
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

// TestConformalMissingInterval: a calibrated width that is infinite (too
// few residuals at a step, e.g. where the actual values were missing, or a
// model file that holds one) leaves that level out with a note, instead of
// bounds at ±Inf.
func TestConformalMissingInterval(t *testing.T) {
	c := &Conformal{cfg: ConformalConfig{Horizon: 2}, levels: []float64{0.8, 0.95},
		width: [][]float64{{1, 2}, {3, math.Inf(1)}}}
	f := &Forecast{Model: "m", Values: []float64{10, 20}}
	c.attach(f)
	checkMissing95(t, "attach", f)
	if want := "no 95% interval: too few calibration residuals at step 2 (a 95% interval needs 19)"; len(f.Notes) == 1 && f.Notes[0] != want {
		t.Errorf("note %q; want %q", f.Notes[0], want)
	}
	if iv, _ := f.Interval(0.8); iv.Lo[1] != 18 || iv.Hi[1] != 22 {
		t.Errorf("80%% interval at step 2 [%g, %g]; want [18, 22]", iv.Lo[1], iv.Hi[1])
	}
}

// TestWithIntervalsNotes: a series too short to calibrate conformal
// intervals is forecast without them, and the forecast says why.
func TestWithIntervalsNotes(t *testing.T) {
	w, err := NewWithIntervals("naive", Options{Horizon: 12}, ConformalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Fit(context.Background(), fctest.MonthlySeries(30, 1)); err != nil {
		t.Fatal(err)
	}
	f, err := w.Predict(12)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Intervals) != 0 || len(f.Notes) != 1 || !strings.HasPrefix(f.Notes[0], "no 80% or 95% interval: train series has 30 points") {
		t.Errorf("intervals %d, notes %q; want none and one note saying why", len(f.Intervals), f.Notes)
	}
	f, err = w.PredictFrom(fctest.MonthlySeries(30, 2), 12)
	if err != nil || len(f.Notes) != 1 {
		t.Errorf("PredictFrom: notes %q, %v; want the note", f.Notes, err)
	}
}

// TestWriteCSVMissingInterval: a missing interval is written as empty
// cells; a non-finite point forecast or bound is an error (ErrNotFinite),
// and nothing is written.
func TestWriteCSVMissingInterval(t *testing.T) {
	s := fctest.IndexSeries(3)
	f := NewForecast("m", "n/a", s, []float64{2, 3})
	f.Intervals = []Interval{{Level: 0.8, Lo: []float64{1, 2}, Hi: []float64{3, 4}}}
	f.Notes = []string{"no 95% interval: why"}
	var b bytes.Buffer
	if err := WriteCSV(&b, s, f); err != nil {
		t.Fatal(err)
	}
	if want := "time,forecast,lo80,hi80,lo95,hi95\n3,2,1,3,,\n4,3,2,4,,\n"; b.String() != want {
		t.Errorf("WriteCSV:\n%s\nwant:\n%s", b.String(), want)
	}
	for _, bad := range []func(f *Forecast){
		func(f *Forecast) { f.Values[1] = math.Inf(1) },
		func(f *Forecast) { f.Values[0] = math.NaN() },
		func(f *Forecast) { f.Intervals[0].Hi[1] = math.Inf(1) },
		func(f *Forecast) { f.Intervals[0].Lo[0] = math.NaN() },
	} {
		g := NewForecast("m", "n/a", s, []float64{2, 3})
		g.Intervals = []Interval{{Level: 0.8, Lo: []float64{1, 2}, Hi: []float64{3, 4}}}
		bad(g)
		b.Reset()
		if err := WriteCSV(&b, s, g); !errors.Is(err, ErrNotFinite) || b.Len() != 0 {
			t.Errorf("WriteCSV of %v %v = %v, wrote %q; want ErrNotFinite and nothing", g.Values, g.Intervals, err, b.String())
		}
		b.Reset()
		s.Name = "s1"
		err := WriteLongCSV(&b, "id", []SeriesForecast{{Series: s, Forecast: f}, {Series: s, Forecast: g}})
		if !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), `series "s1"`) || b.Len() != 0 {
			t.Errorf("WriteLongCSV = %v, wrote %q; want ErrNotFinite naming the series, and nothing", err, b.String())
		}
	}
}
