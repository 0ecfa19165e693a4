package forecast

import (
	"context"
	"testing"
)

func BenchmarkBacktestSeasonalNaive(b *testing.B) {
	s := synth(3000, 12, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Backtest(context.Background(), s, func() Forecaster { return NewSeasonalNaive(12) }, BacktestConfig{Horizon: 12, Folds: 100, Step: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
