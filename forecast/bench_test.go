package forecast

import (
	"context"
	"testing"

	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func BenchmarkBacktestSeasonalNaive(b *testing.B) {
	s := fctest.Synth(3000, 12, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Backtest(context.Background(), s, func() Forecaster { return NewSeasonalNaive(12) }, BacktestConfig{Horizon: 12, Folds: 100, Step: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
