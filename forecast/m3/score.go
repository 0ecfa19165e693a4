package m3

import (
	"fmt"
	"math"

	"github.com/tsf-go/tsf/forecast"
)

var nan = math.NaN()

// The interval levels scored: coverage at both, MSIS at MSISLevel.
const (
	Level80   = 0.8
	Level95   = 0.95
	MSISLevel = Level95
)

// Run holds one method's forecasts of the M3 test: a tsf model run over
// the histories (Evaluate), a combination (Combine) or a competitor's
// submitted forecasts (ReadForecasts).
type Run struct {
	// Method names the row of the tables.
	Method string
	// Forecasts is indexed like Data.Series; nil where the method gave no
	// forecast (a failure, a group not run, or a competitor that skipped
	// the series).
	Forecasts []*forecast.Forecast
	// Errs is indexed like Data.Series: why a series has no forecast; nil
	// for competitors.
	Errs []error
	// Seconds is the wall time spent per group, fitting and forecasting;
	// nil when unknown (competitors).
	Seconds map[Group]float64
}

// Score holds the metrics of one forecast of one series (or a mean over
// series). The interval metrics are NaN when the forecast has no interval
// of that level. Coverages are shares in [0, 1].
type Score struct {
	SMAPE, MASE, Cover80, Cover95, MSIS float64
}

// Score scores fc against the series' test values. It returns an error if
// fc does not have Horizon steps, or a point forecast or interval bound is
// NaN or infinite.
func (s *Series) Score(fc *forecast.Forecast) (Score, error) {
	if fc.Len() != s.Horizon {
		return Score{}, fmt.Errorf("series %q: forecast has %d steps; want %d", s.ID, fc.Len(), s.Horizon)
	}
	if err := finite(s.ID, "forecast", fc.Values); err != nil {
		return Score{}, err
	}
	sc := Score{
		SMAPE:   forecast.SMAPE(s.Test, fc.Values),
		MASE:    forecast.MASE(s.Test, fc.Values, s.History.Values, s.Season),
		Cover80: nan, Cover95: nan, MSIS: nan,
	}
	for _, l := range []struct {
		level float64
		dst   *float64
	}{{Level80, &sc.Cover80}, {Level95, &sc.Cover95}} {
		iv, ok := fc.Interval(l.level)
		if !ok {
			continue
		}
		if len(iv.Lo) != s.Horizon || len(iv.Hi) != s.Horizon {
			return Score{}, fmt.Errorf("series %q: %g%% interval has %d/%d steps; want %d", s.ID, 100*l.level, len(iv.Lo), len(iv.Hi), s.Horizon)
		}
		if err := finite(s.ID, fmt.Sprintf("%g%% interval", 100*l.level), iv.Lo, iv.Hi); err != nil {
			return Score{}, err
		}
		*l.dst = forecast.IntervalCoverage(s.Test, iv.Lo, iv.Hi)
		if l.level == MSISLevel {
			sc.MSIS = forecast.MSIS(s.Test, iv.Lo, iv.Hi, s.History.Values, s.Season, MSISLevel)
		}
	}
	return sc, nil
}

// scaleOf is MASE's denominator for one history.
func scaleOf(history []float64, m int) float64 { return forecast.MASEScale(history, m) }

func finite(id, what string, vs ...[]float64) error {
	for _, v := range vs {
		for k, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("series %q: %s step %d is %v", id, what, k+1, x)
			}
		}
	}
	return nil
}

// Scores scores every forecast of r; entries without a forecast, or whose
// forecast cannot be scored (see Series.Score), are all NaN, and the
// second result holds the scoring errors by series.
func (d *Data) Scores(r *Run) ([]Score, []error) {
	out := make([]Score, len(d.Series))
	errs := make([]error, len(d.Series))
	for i, s := range d.Series {
		out[i] = Score{nan, nan, nan, nan, nan}
		if i >= len(r.Forecasts) || r.Forecasts[i] == nil {
			continue
		}
		out[i], errs[i] = s.Score(r.Forecasts[i])
		if errs[i] != nil {
			out[i] = Score{nan, nan, nan, nan, nan}
		}
	}
	return out, errs
}

// Summary is a method's mean scores over the series of one group.
type Summary struct {
	Method string
	Group  Group
	// Series is the number of series in the group, Scored how many of
	// them Mean averages (the others had no forecast).
	Series, Scored int
	// Mean holds plain means over the scored series; each interval metric
	// averages the series whose forecast has that interval (NaN if none).
	Mean Score
	// Seconds is the wall time of the group (the sum of the groups for
	// All); NaN when unknown.
	Seconds float64
}

// Summarize averages scores (from Scores) over each group and over all
// series, returning Summaries for groups then All.
func (d *Data) Summarize(r *Run, scores []Score, groups []Group) []Summary {
	out := make([]Summary, 0, len(groups)+1)
	total := 0.0
	known := r.Seconds != nil
	for _, g := range append(append([]Group(nil), groups...), All) {
		sm := Summary{Method: r.Method, Group: g, Seconds: nan}
		var sums [5]float64
		var ns [5]int
		for i, s := range d.Series {
			if g == All {
				if !inGroups(s.Group, groups) {
					continue
				}
			} else if s.Group != g {
				continue
			}
			sm.Series++
			sc := scores[i]
			if math.IsNaN(sc.SMAPE) {
				continue
			}
			sm.Scored++
			for k, v := range [5]float64{sc.SMAPE, sc.MASE, sc.Cover80, sc.Cover95, sc.MSIS} {
				if !math.IsNaN(v) {
					sums[k] += v
					ns[k]++
				}
			}
		}
		var means [5]float64
		for k := range means {
			means[k] = nan
			if ns[k] > 0 {
				means[k] = sums[k] / float64(ns[k])
			}
		}
		sm.Mean = Score{means[0], means[1], means[2], means[3], means[4]}
		if known {
			if g == All {
				sm.Seconds = total
			} else if sec, ok := r.Seconds[g]; ok {
				sm.Seconds = sec
				total += sec
			}
		}
		out = append(out, sm)
	}
	return out
}

func inGroups(g Group, groups []Group) bool {
	for _, x := range groups {
		if x == g {
			return true
		}
	}
	return false
}
