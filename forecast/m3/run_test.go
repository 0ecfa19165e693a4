package m3

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// TestNaiveIsNAIVE2 runs tsf's naive forecast end to end on the yearly and
// other series, where the competition's NAIVE2 has no season to adjust
// and is the same random walk: every forecast must equal NAIVE2's, and
// the summary the reference table's digits.
func TestNaiveIsNAIVE2(t *testing.T) {
	d := shared(t)
	runs, err := ReadForecasts(filepath.Join(dataDir(t), ForecastsFile), d)
	if err != nil {
		t.Fatal(err)
	}
	naive2 := runs[slices.IndexFunc(runs, func(r *Run) bool { return r.Method == "NAIVE2" })]
	groups := []Group{Yearly, Other}
	var got []*Run
	for _, workers := range []int{1, 3} {
		r, err := Evaluate(context.Background(), d, "naive", Config{Groups: groups, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	for i, s := range d.Series {
		a, b := got[0].Forecasts[i], got[1].Forecasts[i]
		if s.Group != Yearly && s.Group != Other {
			if a != nil || got[0].Errs[i] != nil {
				t.Fatalf("%s: forecast %v, error %v for a group not run", s.ID, a, got[0].Errs[i])
			}
			continue
		}
		if a == nil || b == nil {
			t.Fatalf("%s: no forecast: %v, %v", s.ID, got[0].Errs[i], got[1].Errs[i])
		}
		if !slices.Equal(a.Values, b.Values) {
			t.Errorf("%s: 1 worker %v, 3 workers %v; want the same", s.ID, a.Values, b.Values)
		}
		if want := naive2.Forecasts[i].Values; !slices.Equal(a.Values, want) {
			t.Errorf("%s: naive %v; NAIVE2 %v", s.ID, a.Values, want)
		}
	}
	scores, _ := d.Scores(got[0])
	sms := d.Summarize(got[0], scores, groups)
	want := []string{referenceTable["NAIVE2"][0], referenceTable["NAIVE2"][3]}
	for k, sm := range sms[:2] {
		if s := fmt.Sprintf("%.2f / %.3f", sm.Mean.SMAPE, sm.Mean.MASE); s != want[k] || sm.Scored != sm.Series {
			t.Errorf("naive %s: %s over %d of %d series; want %s over all", sm.Group, s, sm.Scored, sm.Series, want[k])
		}
		if !(sm.Seconds >= 0) {
			t.Errorf("naive %s: seconds %v", sm.Group, sm.Seconds)
		}
	}
	if all := sms[2]; all.Group != All || all.Series != 645+174 || math.Abs(all.Seconds-sms[0].Seconds-sms[1].Seconds) > 1e-9 {
		t.Errorf("all: %+v; want %d series and the groups' total seconds", all, 645+174)
	}
	if !math.IsNaN(sms[0].Mean.Cover80) || !math.IsNaN(sms[0].Mean.MSIS) {
		t.Errorf("naive without intervals: coverage %v, MSIS %v; want NaN", sms[0].Mean.Cover80, sms[0].Mean.MSIS)
	}
}

func TestEvaluateErrors(t *testing.T) {
	d := tinyData(t)
	if _, err := Evaluate(context.Background(), d, "nosuch", Config{}); !errors.Is(err, forecast.ErrUnknownModel) {
		t.Errorf("Evaluate(nosuch): %v; want ErrUnknownModel", err)
	}
	if _, err := Evaluate(context.Background(), d, "naive", Config{Groups: []Group{All}}); err == nil {
		t.Error("Evaluate with group all: no error")
	}
	// A model that cannot forecast one series records the error for it and
	// forecasts the others: Y2 is too short for m3test-short.
	r, err := Evaluate(context.Background(), d, "m3test-short", Config{Groups: []Group{Yearly, Monthly}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Forecasts[0] == nil || r.Forecasts[2] == nil || r.Forecasts[1] != nil {
		t.Errorf("m3test-short: forecasts %v; want Y1 and M1 only", r.Forecasts)
	}
	if err := r.Errs[1]; !errors.Is(err, forecast.ErrTooShort) || !strings.Contains(err.Error(), `series "Y2"`) {
		t.Errorf("m3test-short on Y2: %v; want ErrTooShort naming the series", err)
	}
	scores, _ := d.Scores(r)
	if sm := d.Summarize(r, scores, []Group{Yearly, Monthly}); sm[0].Scored != 1 || sm[0].Series != 2 || sm[2].Scored != 2 || sm[2].Series != 3 {
		t.Errorf("summaries %+v; want 1 of 2 yearly and 2 of 3 in all", sm)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, d, "naive", Config{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Evaluate after cancel: %v; want context.Canceled", err)
	}
}

// shortModel is the naive forecast, refusing series of fewer than 5 points.
type shortModel struct{ forecast.Naive }

func (m *shortModel) Fit(ctx context.Context, s *dataset.Series) error {
	if s.Len() < 5 {
		return &forecast.ShortError{What: "series", Have: s.Len(), Need: 5, Why: "the test model"}
	}
	return m.Naive.Fit(ctx, s)
}

func init() {
	forecast.Register("m3test-short", func(forecast.Options) (forecast.Forecaster, error) {
		return &shortModel{*forecast.NewNaive()}, nil
	})
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tinyData writes and loads two yearly series and one monthly series.
func tinyData(t *testing.T) *Data {
	t.Helper()
	dir := t.TempDir()
	writeTiny(t, dir)
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCombine(t *testing.T) {
	d := tinyData(t)
	ctx := context.Background()
	naive, err := Evaluate(ctx, d, "naive", Config{Groups: []Group{Yearly}})
	if err != nil {
		t.Fatal(err)
	}
	mean, err := Evaluate(ctx, d, "mean", Config{Groups: []Group{Yearly}})
	if err != nil {
		t.Fatal(err)
	}
	// Give the members intervals so the combination averages them.
	for _, r := range []*Run{naive, mean} {
		for _, fc := range r.Forecasts {
			if fc == nil {
				continue
			}
			lo, hi := slices.Clone(fc.Values), slices.Clone(fc.Values)
			for k := range lo {
				lo[k]--
				hi[k] += 3
			}
			fc.Intervals = []forecast.Interval{{Level: 0.8, Lo: lo, Hi: hi}}
		}
	}
	c := Combine("combo", naive, mean)
	fc := c.Forecasts[0]
	for k := range fc.Values {
		want := (naive.Forecasts[0].Values[k] + mean.Forecasts[0].Values[k]) / 2
		if fc.Values[k] != want {
			t.Errorf("combo step %d = %g; want %g", k+1, fc.Values[k], want)
		}
		if iv, ok := fc.Interval(0.8); !ok || iv.Lo[k] != want-1 || iv.Hi[k] != want+3 {
			t.Errorf("combo 80%% interval at step %d: %v; want [%g, %g]", k+1, iv, want-1, want+3)
		}
	}
	if c.Forecasts[2] != nil || c.Seconds[Yearly] != naive.Seconds[Yearly]+mean.Seconds[Yearly] {
		t.Errorf("combo: monthly forecast %v (want none), seconds %v", c.Forecasts[2], c.Seconds)
	}
	// A member's failure is the combination's.
	naive.Forecasts[1], naive.Errs[1] = nil, errors.New("boom")
	if c := Combine("combo", naive, mean); c.Forecasts[1] != nil || c.Errs[1] == nil || !strings.Contains(c.Errs[1].Error(), "member naive: boom") {
		t.Errorf("combo with a failed member: %v, %v", c.Forecasts[1], c.Errs[1])
	}
}

// writeTiny writes two yearly series (Y1 with 10 points, Y2 with 3) and a
// monthly one of 30 points.
func writeTiny(t *testing.T, dir string) {
	head := "series,period,type,time,value\n"
	var train, test strings.Builder
	train.WriteString(head)
	test.WriteString(head)
	for _, c := range []struct {
		id string
		n  int
	}{{"Y1", 10}, {"Y2", 3}} {
		for y := range c.n {
			fmt.Fprintf(&train, "%s,YEARLY,MICRO,%d,%d\n", c.id, 1980+y, 10+y*y%7)
		}
		for y := range 6 {
			fmt.Fprintf(&test, "%s,YEARLY,MICRO,%d,%d\n", c.id, 1980+c.n+y, 12+y)
		}
	}
	for k := range 30 {
		fmt.Fprintf(&train, "M1,MONTHLY,MICRO,%d-%02d,%d\n", 1990+k/12, k%12+1, 20+k%12)
	}
	for k := 30; k < 48; k++ {
		fmt.Fprintf(&test, "M1,MONTHLY,MICRO,%d-%02d,%d\n", 1990+k/12, k%12+1, 20+k%12)
	}
	writeFile(t, filepath.Join(dir, TrainFile), train.String())
	writeFile(t, filepath.Join(dir, TestFile), test.String())
}

// monthlyData writes and loads four seasonal monthly series of 120 points
// with 18 test values each.
func monthlyData(t *testing.T) *Data {
	t.Helper()
	dir := t.TempDir()
	head := "series,period,type,time,value\n"
	var train, test strings.Builder
	train.WriteString(head)
	test.WriteString(head)
	for j := range 4 {
		for k := range 120 + 18 {
			v := fmt.Sprintf("M%d,MONTHLY,MICRO,%d-%02d,%.3f\n", j+1, 1990+k/12, k%12+1,
				100+10*float64(j)+8*math.Sin(2*math.Pi*float64(k)/12)+0.3*float64(k))
			if k < 120 {
				train.WriteString(v)
			} else {
				test.WriteString(v)
			}
		}
	}
	writeFile(t, filepath.Join(dir, TrainFile), train.String())
	writeFile(t, filepath.Join(dir, TestFile), test.String())
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEvaluateIntervals gives the naive forecast split-conformal intervals
// as tsf forecast does, and none without Config.Intervals.
func TestEvaluateIntervals(t *testing.T) {
	d := monthlyData(t)
	for _, with := range []bool{false, true} {
		r, err := Evaluate(context.Background(), d, "naive", Config{Groups: []Group{Monthly}, Intervals: with})
		if err != nil {
			t.Fatal(err)
		}
		fc := r.Forecasts[0]
		if fc == nil {
			t.Fatalf("Intervals %v: no forecast: %v", with, r.Errs[0])
		}
		if _, ok := fc.Interval(0.95); ok != with {
			t.Errorf("Intervals %v: 95%% interval present %v", with, ok)
		}
		scores, _ := d.Scores(r)
		if sc := scores[0]; math.IsNaN(sc.MSIS) == with || math.IsNaN(sc.Cover80) == with {
			t.Errorf("Intervals %v: coverage %v, MSIS %v", with, sc.Cover80, sc.MSIS)
		}
	}
}

// TestEvaluateGlobal trains one small network on a group of four monthly
// series and forecasts each from its own history, the same whatever the
// workers.
func TestEvaluateGlobal(t *testing.T) {
	d := monthlyData(t)
	params := map[string]map[string]string{"lstm-global": {"epochs": "2", "hidden": "8"}}
	var runs []*Run
	for _, w := range []int{1, 2} {
		r, err := Evaluate(context.Background(), d, "lstm-global", Config{Groups: []Group{Monthly}, Workers: w, Seed: 3, Params: params})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	for i, s := range d.Series {
		a, b := runs[0].Forecasts[i], runs[1].Forecasts[i]
		if a == nil || b == nil {
			t.Fatalf("%s: no forecast: %v, %v", s.ID, runs[0].Errs[i], runs[1].Errs[i])
		}
		if !slices.Equal(a.Values, b.Values) || a.Len() != 18 {
			t.Errorf("%s: 1 worker %v, 2 workers %v; want the same 18 steps", s.ID, a.Values, b.Values)
		}
		if _, ok := a.Interval(0.95); !ok {
			t.Errorf("%s: the global model's forecast has no 95%% interval", s.ID)
		}
	}
	if err := CheckModel("naive-global", nil); err == nil || !strings.Contains(err.Error(), "cannot be trained across series") {
		t.Errorf("CheckModel(naive-global) = %v; want an error saying naive cannot be trained across series", err)
	}
}
