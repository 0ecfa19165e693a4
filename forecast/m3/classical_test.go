package m3

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
)

// TestThetaM3 reproduces the Theta method's published accuracy on M3:
// R's forecast::thetaf scores sMAPE 13.86 and MASE 0.864 on the 1428
// monthly series (Hyndman, Mcomp "Comparisons", quoted in
// ../shared/data/m3/README.md), and the competition's THETA 16.97 on the
// yearly ones (within 2 %). The quarterly and other groups are pinned at
// their measured values: there the competition's THETA forecasts follow a
// local trend that the published method (drift half the global slope) does
// not give, and tsf's theta is 2.8 % and 12 % behind (docs/CLASSICAL.md).
// On monthly, its 80 % and 95 % intervals cover within 5 points of nominal.
func TestThetaM3(t *testing.T) {
	d := shared(t)
	want := map[Group][2]float64{ // sMAPE, MASE to the printed digits
		Yearly:    {16.75, 2.773},
		Quarterly: {9.21, 1.117},
		Monthly:   {13.86, 0.864},
		Other:     {4.92, 2.271},
	}
	groups := Groups
	if testing.Short() {
		groups = []Group{Monthly}
	}
	for _, s := range classical(t, d, "theta", groups) {
		if s.Group == All {
			continue
		}
		w := want[s.Group]
		t.Logf("theta on M3 %s: sMAPE %.2f, MASE %.3f, coverage %.1f%% and %.1f%%", s.Group, s.Mean.SMAPE, s.Mean.MASE, 100*s.Mean.Cover80, 100*s.Mean.Cover95)
		if math.Abs(s.Mean.SMAPE-w[0]) > 0.005 || math.Abs(s.Mean.MASE-w[1]) > 0.0005 {
			t.Errorf("theta on M3 %s: sMAPE %.2f, MASE %.3f; want %.2f, %.3f", s.Group, s.Mean.SMAPE, s.Mean.MASE, w[0], w[1])
		}
		if s.Group == Monthly && (math.Abs(s.Mean.Cover80-0.8) > 0.05 || math.Abs(s.Mean.Cover95-0.95) > 0.05) {
			t.Errorf("theta on M3 monthly: coverage %.3f and %.3f; want within 5 points of 0.80 and 0.95", s.Mean.Cover80, s.Mean.Cover95)
		}
	}
}

// TestM3Classical runs ets and theta (TSF_M3_MODELS) on every M3 series
// (TSF_M3_GROUPS): each series is forecast, and on monthly the intervals
// cover within 5 points of nominal with no loss of accuracy (ets measured
// 14.58 / 0.872, theta 13.86 / 0.864, THETA 13.89 / 0.858). It runs with
// TSF_M3=1 (the CI step .ci/steps/50-m3-classical.sh).
func TestM3Classical(t *testing.T) {
	if os.Getenv("TSF_M3") == "" {
		t.Skip("set TSF_M3=1 to run ets and theta on all 3003 M3 series")
	}
	d := shared(t)
	groups := Groups
	if g := os.Getenv("TSF_M3_GROUPS"); g != "" {
		groups = nil
		for _, name := range strings.Split(g, ",") {
			gr, err := ParseGroup(name)
			if err != nil {
				t.Fatal(err)
			}
			groups = append(groups, gr)
		}
	}
	models := "theta,ets"
	if m := os.Getenv("TSF_M3_MODELS"); m != "" {
		models = m
	}
	for _, name := range strings.Split(models, ",") {
		for _, s := range classical(t, d, name, groups) {
			t.Logf("%-6s %-9s %4d series  sMAPE %6.2f  MASE %6.3f  cover80 %5.1f%%  cover95 %5.1f%%  %6.1fs",
				name, s.Group, s.Series, s.Mean.SMAPE, s.Mean.MASE, 100*s.Mean.Cover80, 100*s.Mean.Cover95, s.Seconds)
			if s.Group != Monthly {
				continue
			}
			if math.Abs(s.Mean.Cover80-0.8) > 0.05 || math.Abs(s.Mean.Cover95-0.95) > 0.05 {
				t.Errorf("%s on M3 monthly: coverage %.3f and %.3f; want within 5 points of 0.80 and 0.95", name, s.Mean.Cover80, s.Mean.Cover95)
			}
			if s.Mean.SMAPE > 14.65 {
				t.Errorf("%s on M3 monthly: sMAPE %.2f; want at most 14.65", name, s.Mean.SMAPE)
			}
		}
	}
}

// classical evaluates a local model on groups and returns its summaries,
// failing the test on any series it could not forecast or score.
func classical(t *testing.T, d *Data, name string, groups []Group) []Summary {
	t.Helper()
	r, err := Evaluate(context.Background(), d, name, Config{Groups: groups})
	if err != nil {
		t.Fatal(err)
	}
	scores, errs := d.Scores(r)
	for _, e := range errs {
		if e != nil {
			t.Errorf("%s: %v", name, e)
		}
	}
	sums := d.Summarize(r, scores, groups)
	for _, s := range sums {
		if s.Scored != s.Series {
			t.Errorf("%s on M3 %s: %d of %d series scored", name, s.Group, s.Scored, s.Series)
		}
	}
	return sums
}
