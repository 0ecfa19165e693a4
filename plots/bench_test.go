package plots

import (
	"io"
	"testing"
)

// BenchmarkForecastPNG measures building and rendering the README forecast
// picture at the default size.
func BenchmarkForecastPNG(b *testing.B) {
	in := forecastFixture()
	b.ReportAllocs()
	for b.Loop() {
		p, err := Forecast(in)
		if err != nil {
			b.Fatal(err)
		}
		w, err := renderTo(p, DefaultWidth, DefaultHeight, "png")
		if err != nil {
			b.Fatal(err)
		}
		w.WriteTo(io.Discard)
	}
}

// BenchmarkGradientFlowSVG measures the gradient picture as SVG.
func BenchmarkGradientFlowSVG(b *testing.B) {
	in := gradientFixture()
	b.ReportAllocs()
	for b.Loop() {
		p, err := GradientFlow(in)
		if err != nil {
			b.Fatal(err)
		}
		w, err := renderTo(p, DefaultWidth, DefaultHeight, "svg")
		if err != nil {
			b.Fatal(err)
		}
		w.WriteTo(io.Discard)
	}
}
