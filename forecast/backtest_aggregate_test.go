package forecast

import (
	"math"
	"testing"
)

// TestAggregateBacktests: every model is averaged over the series that
// every active model backtested; a model that failed everywhere is left
// out of that rule and has NaN means over 0 series; seconds are summed
// over every series tried.
func TestAggregateBacktests(t *testing.T) {
	ok := func(smape float64) SeriesScores {
		return SeriesScores{SMAPE: smape, MASE: smape / 10, MAE: 1, RMSE: 1, Cover80: math.NaN(), Cover95: math.NaN(), MSIS: math.NaN(), Folds: 1, Seconds: 1}
	}
	failed := ScoresOf(nil, ErrTooShort, 2)
	a := AggregateBacktests([]string{"x", "y", "z"}, [][]SeriesScores{
		{ok(10), ok(20), failed},
		{ok(30), failed, failed}, // y failed: not common
		{ok(50), ok(40), failed},
	})
	if a.Complete != 2 || !a.Common[0] || a.Common[1] || !a.Common[2] || !a.Active[0] || !a.Active[1] || a.Active[2] {
		t.Fatalf("got complete %d, common %v, active %v", a.Complete, a.Common, a.Active)
	}
	x, y, z := a.Models[0], a.Models[1], a.Models[2]
	if x.SMAPE != 30 || x.Series != 2 || x.Failed != 0 || x.Seconds != 3 || !math.IsNaN(x.Cover80) {
		t.Errorf("x = %+v; want sMAPE 30 over 2 series, 3 seconds", x)
	}
	if y.SMAPE != 30 || y.Series != 2 || y.Failed != 1 || y.Seconds != 4 {
		t.Errorf("y = %+v; want sMAPE 30 over 2 series, 1 failed, 4 seconds", y)
	}
	if !math.IsNaN(z.SMAPE) || z.Series != 0 || z.Failed != 3 || z.Seconds != 6 {
		t.Errorf("z = %+v; want NaN over 0 series, 3 failed", z)
	}
}
