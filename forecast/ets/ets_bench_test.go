package ets

import (
	"context"
	"testing"

	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func benchmarkETSFit(b *testing.B, n int, cfg ETSConfig) {
	s := fctest.Synth(n, 12, 1)
	b.ReportAllocs()
	for b.Loop() {
		if err := NewETS(cfg).Fit(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkETSFitAAA144(b *testing.B) {
	benchmarkETSFit(b, 144, ETSConfig{Trend: "add", Season: "add"})
}

func BenchmarkETSFitAuto144(b *testing.B) { benchmarkETSFit(b, 144, ETSConfig{}) }

func BenchmarkETSFitAuto3000(b *testing.B) { benchmarkETSFit(b, 3000, ETSConfig{}) }

func BenchmarkETSFilter3000(b *testing.B) {
	s := fctest.Synth(3000, 12, 1)
	p := etsInit(s.Values, "damped", "mul", 12)
	seas := make([]float64, 12)
	b.ReportAllocs()
	for b.Loop() {
		etsFilter(s.Values, "damped", "mul", &p, seas)
	}
}
