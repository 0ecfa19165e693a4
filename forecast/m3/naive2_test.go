package m3

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"
)

// TestNaive2 runs tsf's naive2 (the M4 benchmarks' definition) on every
// group and compares it with the competition's NAIVE2: identical forecasts
// on yearly and other series (no season), and group sMAPE within 1 % of
// NAIVE2's on quarterly and monthly, where the competition's seasonal
// adjustment made other choices on some series (logged).
func TestNaive2(t *testing.T) {
	d := shared(t)
	runs, err := ReadForecasts(filepath.Join(dataDir(t), ForecastsFile), d)
	if err != nil {
		t.Fatal(err)
	}
	ref := runs[slices.IndexFunc(runs, func(r *Run) bool { return r.Method == "NAIVE2" })]
	r, err := Evaluate(context.Background(), d, "naive2", Config{})
	if err != nil {
		t.Fatal(err)
	}
	scores, _ := d.Scores(r)
	refScores, _ := d.Scores(ref)
	refSums := d.Summarize(ref, refScores, Groups)
	for k, sm := range d.Summarize(r, scores, Groups) {
		got, want := sm.Mean.SMAPE, refSums[k].Mean.SMAPE
		t.Logf("%s: naive2 %.2f / %.3f, NAIVE2 %.2f / %.3f", sm.Group, got, sm.Mean.MASE, want, refSums[k].Mean.MASE)
		if sm.Scored != sm.Series || math.Abs(got-want) > 0.01*want {
			t.Errorf("%s: naive2 sMAPE %.2f over %d of %d series; want within 1%% of NAIVE2's %.2f", sm.Group, got, sm.Scored, sm.Series, want)
		}
	}
	off := map[Group]int{}
	for i, s := range d.Series {
		a, b := r.Forecasts[i].Values, ref.Forecasts[i].Values
		for k := range a {
			if math.Abs(a[k]-b[k]) > 0.006+1e-6*math.Abs(b[k]) {
				off[s.Group]++
				if off[s.Group] <= 3 {
					t.Logf("%s step %d: naive2 %.4f, NAIVE2 %.2f", s.ID, k+1, a[k], b[k])
				}
				break
			}
		}
	}
	t.Logf("series whose forecasts differ from NAIVE2's: %v", off)
	if off[Yearly]+off[Other] > 0 {
		t.Errorf("naive2 differs from NAIVE2 on %d yearly and %d other series; want none", off[Yearly], off[Other])
	}
}
