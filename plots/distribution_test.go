package plots

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"
)

// distributionFixture is a deterministic per-series MASE for four models:
// log-normal-like spreads from a sine, with a few far series.
func distributionFixture() ([]string, [][]float64) {
	models := []string{"lstm", "rnn", "ets", "snaive"}
	centre := []float64{0.85, 1.1, 0.9, 1.2}
	values := make([][]float64, len(models))
	for i := range models {
		for k := range 300 {
			z := math.Sin(float64(k)*1.7+float64(i)) * math.Sqrt(float64(k%7)+1) / 2
			values[i] = append(values[i], centre[i]*math.Exp(0.6*z))
		}
		values[i] = append(values[i], 9*centre[i], 0.03*centre[i])
	}
	return models, values
}

func TestDistributionGolden(t *testing.T) {
	models, values := distributionFixture()
	p, err := Distribution("M3 monthly: MASE per series", "MASE", models, values)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "distribution.png")
	if *regen {
		if err := Save(p, golden, 0, 0); err != nil {
			t.Fatal(err)
		}
		return
	}
	got := filepath.Join(t.TempDir(), "distribution.png")
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
		failed := filepath.Join(os.TempDir(), "tsf-plots-distribution-failed.png")
		os.WriteFile(failed, gotRaw, 0o644)
		t.Errorf("distribution differs from %s (got: %s; rerun with -regen if the change is intended)", golden, failed)
	}
}

func TestDistributionErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		models []string
		values [][]float64
		want   string
	}{
		{"no models", nil, nil, "plots: distribution: models: no data"},
		{"mismatch", []string{"lstm"}, nil, "plots: distribution: 1 models but 0 value lists"},
		{"empty name", []string{""}, [][]float64{{1}}, "plots: distribution: models[0]: empty model name"},
		{"no values", []string{"lstm", "ets"}, [][]float64{{1}, {}}, "plots: distribution: ets values: no data"},
		{"nan", []string{"lstm"}, [][]float64{{1, 2, nan}}, "plots: distribution: lstm values[2] is NaN"},
		{"inf", []string{"ets"}, [][]float64{{math.Inf(1)}}, "plots: distribution: ets values[0] is +Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Distribution("", "MASE", tt.models, tt.values)
			if err == nil || err.Error() != tt.want || p != nil {
				t.Errorf("Distribution(%v, %v) = %v, %v; want nil, %q", tt.models, tt.values, p, err, tt.want)
			}
		})
	}
	if _, err := Distribution("", "", nil, nil); !errors.Is(err, ErrNoData) {
		t.Errorf("Distribution(no models) error %v; want one wrapping ErrNoData", err)
	}
}

// TestDistributionAxis checks the choice of a log axis, the reference line
// at 1 for scaled metrics, the defaults and that inputs are left alone.
func TestDistributionAxis(t *testing.T) {
	tests := []struct {
		name, metric string
		values       []float64
		log, ref     bool
	}{
		{"wide MASE", "MASE", []float64{0.05, 0.9, 1, 4}, true, true},
		{"narrow MASE", "MASE", []float64{0.5, 0.9, 1.4}, false, true},
		{"zeros", "MSIS", []float64{0, 0, 3, 100}, true, true},
		{"sMAPE", "sMAPE (%)", []float64{1, 20, 150}, true, false},
		{"negative", "bias", []float64{-50, 1, 30}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.values)
			ch, err := distributionChart("", tt.metric, []string{"ets"}, [][]float64{in})
			if err != nil {
				t.Fatal(err)
			}
			p := ch.finish()
			if !slices.Equal(in, tt.values) {
				t.Errorf("Distribution modified its input: %v; was %v", in, tt.values)
			}
			_, isLog := p.Y.Tick.Marker.(logTicks)
			if isLog != tt.log {
				t.Errorf("%s %v: log axis %v; want %v", tt.metric, tt.values, isLog, tt.log)
			}
			if want := "Distribution of " + tt.metric + " per series"; p.Title.Text != want {
				t.Errorf("title %q; want %q", p.Title.Text, want)
			}
			ref := false
			for _, e := range ch.entries {
				ref = ref || strings.HasPrefix(e, "1 = ")
			}
			if ref != tt.ref {
				t.Errorf("%s: reference line %v; want %v", tt.metric, ref, tt.ref)
			}
			if _, err := renderTo(p, DefaultWidth, DefaultHeight, "png"); err != nil {
				t.Errorf("render: %v", err)
			}
		})
	}
	// Long names are slanted so they do not overlap.
	names := []string{"combo:ets+theta+lstm-global", "lstm-global", "rnn-global", "ets", "theta", "naive2", "snaive"}
	vals := make([][]float64, len(names))
	for i := range vals {
		vals[i] = []float64{0.5, 1, 2}
	}
	p, err := Distribution("", "MASE", names, vals)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Tick.Label.Rotation == 0 {
		t.Errorf("%d models with names up to %d characters: tick labels not slanted", len(names), len(names[0]))
	}
}

func TestQuantile(t *testing.T) {
	v := []float64{1, 2, 3, 4, 10}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.25, 2}, {0.5, 3}, {0.9, 7.6}, {1, 10}, {0.05, 1.2}} {
		if got := quantile(v, c.q); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("quantile(%v, %g) = %g; want %g", v, c.q, got, c.want)
		}
	}
}

func TestDistinctColors(t *testing.T) {
	// Find two names whose hashed colours collide.
	var a, b string
	byColor := map[[4]uint8]string{}
	for i := 0; a == ""; i++ {
		n := "model" + strings.Repeat("x", i)
		c := ModelColor(n)
		k := [4]uint8{c.R, c.G, c.B, c.A}
		if prev, ok := byColor[k]; ok {
			a, b = prev, n
		}
		byColor[k] = n
	}
	got := distinctColors([]string{"lstm", a, b})
	if got[0] != ModelColor("lstm") || got[1] != ModelColor(a) {
		t.Errorf("distinctColors changed a colour that did not collide: %v", got)
	}
	if got[2] == got[1] {
		t.Errorf("distinctColors(%q, %q): both %v; want different colours", a, b, got[1])
	}
}
