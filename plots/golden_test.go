package plots

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
)

var regen = flag.Bool("regen", false, "regenerate the golden images in testdata/")

// Tolerances of the image comparison. goldenDelta is cmpimg's per-pixel
// delta (0 exact, 1 anything); up to goldenOutliers of the pixels may exceed
// it, because antialiased edges can differ a little between platforms (arm64
// fuses multiply-adds, amd64 does not).
const (
	goldenDelta    = 0.05
	goldenOutliers = 0.0005
)

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
			ok, err := equalPNG(gotRaw, wantRaw, goldenDelta, goldenOutliers)
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

// equalPNG reports whether two PNGs have the same size and all but a
// fraction outliers of the pixel pairs are within delta in the YIQ colour
// difference that cmpimg.EqualApprox uses. (cmpimg itself needs rsc.io/pdf,
// which is not in go.mod.)
func equalPNG(raw1, raw2 []byte, delta, outliers float64) (bool, error) {
	a, err := png.Decode(bytes.NewReader(raw1))
	if err != nil {
		return false, err
	}
	b, err := png.Decode(bytes.NewReader(raw2))
	if err != nil {
		return false, err
	}
	if a.Bounds() != b.Bounds() {
		return false, nil
	}
	const maxDiff = 35215.0 // difference between two maximally different pixels
	r := a.Bounds()
	allowed := int(outliers * float64(r.Dx()*r.Dy()))
	bad := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if yiq(a, b, x, y) > maxDiff*delta*delta {
				bad++
			}
		}
	}
	return bad <= allowed, nil
}

func yiq(a, b image.Image, x, y int) float64 {
	c1 := color.RGBAModel.Convert(a.At(x, y)).(color.RGBA)
	c2 := color.RGBAModel.Convert(b.At(x, y)).(color.RGBA)
	r := float64(c1.R) - float64(c2.R)
	g := float64(c1.G) - float64(c2.G)
	bl := float64(c1.B) - float64(c2.B)
	dy := r*0.29889531 + g*0.58662247 + bl*0.11448223
	di := r*0.59597799 - g*0.27417610 - bl*0.32180189
	dq := r*0.21147017 - g*0.52261711 + bl*0.31114694
	return 0.5053*dy*dy + 0.299*di*di + 0.1957*dq*dq
}
