package forecast

import (
	"math"
	"slices"
)

// SeriesScores summarises one model's backtest of one series as the
// many-series tables report it: the mean over folds of each metric, the
// observed coverage of the 80% and 95% intervals and the MSIS of the 95%
// one (NaN without intervals).
type SeriesScores struct {
	// Failed says the model could not backtest the series; the scores
	// are then NaN and Folds 0.
	Failed bool
	// SMAPE, MASE, MAE and RMSE are BacktestResult.Mean's.
	SMAPE, MASE, MAE, RMSE float64
	// Cover80 and Cover95 are the observed coverage of the 80% and 95%
	// intervals (BacktestResult.Coverage), NaN without them.
	Cover80, Cover95 float64
	// MSIS is BacktestResult.MSIS(0.95), NaN without intervals.
	MSIS float64
	// Folds is the number of folds completed.
	Folds int
	// Seconds is the wall time of the backtest, failed or not.
	Seconds float64
}

// ScoresOf summarises a backtest result r, or the error err that stopped
// it (r is then ignored), which took seconds.
func ScoresOf(r *BacktestResult, err error, seconds float64) SeriesScores {
	nan := math.NaN()
	if err != nil || r == nil {
		return SeriesScores{Failed: true, SMAPE: nan, MASE: nan, MAE: nan, RMSE: nan,
			Cover80: nan, Cover95: nan, MSIS: nan, Seconds: seconds}
	}
	s := SeriesScores{SMAPE: r.Mean.SMAPE, MASE: r.Mean.MASE, MAE: r.Mean.MAE, RMSE: r.Mean.RMSE,
		Cover80: nan, Cover95: nan, MSIS: r.MSIS(0.95), Folds: len(r.Folds), Seconds: seconds}
	for _, c := range r.Coverage {
		switch math.Round(100 * c.Level) {
		case 80:
			s.Cover80 = c.Observed
		case 95:
			s.Cover95 = c.Observed
		}
	}
	return s
}

// ScoresOfEach summarises every model's backtest of b, in model order.
func ScoresOfEach(b SeriesBacktest) []SeriesScores {
	out := make([]SeriesScores, len(b.Results))
	for j := range b.Results {
		out[j] = ScoresOf(b.Results[j], b.Errs[j], b.Seconds[j])
	}
	return out
}

// ModelAggregate is one model's row of a many-series backtest table.
type ModelAggregate struct {
	// Model is the model's name.
	Model string
	// SMAPE, MASE, MAE, RMSE, Cover80, Cover95 and MSIS are the means of
	// the series' scores over the common series (BacktestAggregate.Common),
	// NaN values (no intervals) skipped; NaN when there are none.
	SMAPE, MASE, MAE, RMSE, Cover80, Cover95, MSIS float64
	// Series is the number of series averaged: the common series, or 0
	// for a model that backtested no series.
	Series int
	// Failed is the number of series the model could not backtest.
	Failed int
	// Seconds is the wall time of the model summed over every series
	// tried, failed or not.
	Seconds float64
}

// BacktestAggregate is the table of a many-series backtest
// (AggregateBacktests).
type BacktestAggregate struct {
	// Models holds one row per model, in the order given.
	Models []ModelAggregate
	// Active says, per model, whether it backtested at least one series.
	Active []bool
	// Common says, per series, whether every active model backtested it
	// (false for a series no model backtested).
	Common []bool
	// Complete is the number of common series.
	Complete int
}

// AggregateBacktests averages the scores of models on many series,
// scores[i][j] being model j's on series i, the series in input order.
//
// The rule: every model is averaged over the same series, those that every
// active model (one that backtested at least one series) backtested, so
// that the models are compared on the same series: a model that fails on
// the hard series is not rewarded for it, and a model that fails on every
// series (a network on series too short for it) does not empty the
// comparison of the others. Sums run in series order, so the table does
// not depend on the order in which the series were backtested.
func AggregateBacktests(models []string, scores [][]SeriesScores) BacktestAggregate {
	a := BacktestAggregate{Models: make([]ModelAggregate, len(models)), Active: make([]bool, len(models)),
		Common: make([]bool, len(scores))}
	for _, row := range scores {
		for j, s := range row {
			if !s.Failed {
				a.Active[j] = true
			}
		}
	}
	anyActive := slices.Contains(a.Active, true)
	for i, row := range scores {
		a.Common[i] = anyActive
		for j, s := range row {
			if a.Active[j] && s.Failed {
				a.Common[i] = false
			}
		}
		if a.Common[i] {
			a.Complete++
		}
	}
	for j, name := range models {
		var cols [7][]float64
		m := ModelAggregate{Model: name}
		for i, row := range scores {
			s := row[j]
			m.Seconds += s.Seconds
			if s.Failed {
				m.Failed++
				continue
			}
			if !a.Common[i] {
				continue
			}
			for k, v := range []float64{s.SMAPE, s.MASE, s.MAE, s.RMSE, s.Cover80, s.Cover95, s.MSIS} {
				cols[k] = append(cols[k], v)
			}
			m.Series++
		}
		m.SMAPE, m.MASE, m.MAE, m.RMSE = meanOfFinite(cols[0]), meanOfFinite(cols[1]), meanOfFinite(cols[2]), meanOfFinite(cols[3])
		m.Cover80, m.Cover95, m.MSIS = meanOfFinite(cols[4]), meanOfFinite(cols[5]), meanOfFinite(cols[6])
		a.Models[j] = m
	}
	return a
}

// meanOfFinite returns the mean of the non-NaN values of x, in order (NaN
// if none).
func meanOfFinite(x []float64) float64 {
	sum, n := 0.0, 0
	for _, v := range x {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
