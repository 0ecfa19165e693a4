package plots

import (
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
)

// regen is cmpimg's -regen flag: go test ./plots/ -regen rewrites testdata/.
var regen = cmpimg.GenerateTestData

// goldenDelta is cmpimg.EqualApprox's per-pixel tolerance (0 exact, 1
// anything): room for antialiased edges rendered a little differently by
// another platform's floating point, too little for a changed line or label.
const goldenDelta = 0.05

// TestGolden renders every kind of plot and compares it with
// testdata/<name>.png. Run `go test ./plots/ -regen` to rewrite the goldens
// after an intended change, and look at them before committing.
func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		make func() (*plot.Plot, error)
	}{
		{"forecast", func() (*plot.Plot, error) { return Forecast(forecastFixture()) }},
		{"forecast_index", func() (*plot.Plot, error) { return Forecast(forecastIndexFixture()) }},
		{"comparison", func() (*plot.Plot, error) { return Comparison(comparisonFixture()) }},
		{"loss", func() (*plot.Plot, error) { return Loss(lossFixture()) }},
		{"longdep", func() (*plot.Plot, error) { return LongDependency(longDepFixture()) }},
		{"gradient", func() (*plot.Plot, error) { return GradientFlow(gradientFixture()) }},
		{"backtest_fold", func() (*plot.Plot, error) { return Backtest(backtestFoldFixture()) }},
		{"backtest_horizon", func() (*plot.Plot, error) { return Backtest(backtestHorizonFixture()) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.make()
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			golden := filepath.Join("testdata", tc.name+".png")
			if *regen {
				if err := Save(p, golden, 0, 0); err != nil {
					t.Fatal(err)
				}
				return
			}
			got := filepath.Join(t.TempDir(), tc.name+".png")
			if err := Save(p, got, 0, 0); err != nil {
				t.Fatal(err)
			}
			gotRaw, err := os.ReadFile(got)
			if err != nil {
				t.Fatal(err)
			}
			wantRaw, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./plots/ -regen to create it)", err)
			}
			ok, err := cmpimg.EqualApprox("png", gotRaw, wantRaw, goldenDelta)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				failed := filepath.Join(os.TempDir(), "tsf-plots-"+tc.name+"-failed.png")
				os.WriteFile(failed, gotRaw, 0o644)
				t.Errorf("%s differs from %s (got: %s; rerun with -regen if the change is intended)", tc.name, golden, failed)
			}
		})
	}
}
