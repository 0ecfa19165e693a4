package plots

import (
	"errors"
	"fmt"
	"time"

	"gonum.org/v1/plot"
)

// timeline holds the x coordinates of a history followed by a forecast
// horizon: unix seconds for timestamped series, positions for indexed ones.
type timeline struct {
	hist, fut []float64
	timed     bool
	loc       *time.Location
	sub       bool // sub-daily spacing: label the axis "time" not "date"
}

// makeTimeline checks and converts the x values of a history of nh points and
// nf future steps. With no timestamps at all the series is integer-indexed:
// history at start, start+1, ..., future right after it.
func makeTimeline(histT []time.Time, nh int, futT []time.Time, nf int, start int) (timeline, error) {
	var tl timeline
	if histT == nil && futT == nil {
		tl.hist = make([]float64, nh)
		for i := range tl.hist {
			tl.hist[i] = float64(start + i)
		}
		tl.fut = make([]float64, nf)
		for i := range tl.fut {
			tl.fut[i] = float64(start + nh + i)
		}
		return tl, nil
	}
	if len(histT) != nh {
		return tl, fmt.Errorf("history has %d values but %d timestamps", nh, len(histT))
	}
	if len(futT) != nf {
		return tl, fmt.Errorf("forecast has %d steps but %d timestamps", nf, len(futT))
	}
	if err := checkTimes("history time", histT); err != nil {
		return tl, err
	}
	if err := checkTimes("forecast time", futT); err != nil {
		return tl, err
	}
	if nh > 0 && nf > 0 && !futT[0].After(histT[nh-1]) {
		return tl, fmt.Errorf("first forecast time %s is not after last history time %s",
			futT[0].Format(time.RFC3339), histT[nh-1].Format(time.RFC3339))
	}
	tl.timed = true
	all := append(append([]time.Time(nil), histT...), futT...)
	if len(all) == 0 {
		return tl, errors.New("no timestamps")
	}
	tl.loc = all[0].Location()
	tl.hist = make([]float64, nh)
	for i, t := range histT {
		tl.hist[i] = unixSeconds(t)
	}
	tl.fut = make([]float64, nf)
	for i, t := range futT {
		tl.fut[i] = unixSeconds(t)
	}
	tl.sub = len(all) > 1 && all[1].Sub(all[0]) < 24*time.Hour
	return tl, nil
}

// xLabel returns the x axis label: "date", "time (UTC)" or "step".
func (tl timeline) xLabel() string {
	switch {
	case !tl.timed:
		return "step"
	case tl.sub:
		return fmt.Sprintf("time (%s)", tl.loc)
	default:
		return "date"
	}
}

// apply sets the x ticks of p for the timeline (call after adding data).
func (tl timeline) apply(p *plot.Plot) {
	if tl.timed {
		setTimeAxis(p, p.X.Min, p.X.Max, tl.loc)
		return
	}
	p.X.Tick.Marker = intTicks{}
}

// origin returns the x of the forecast origin: the last history point, or
// the first forecast step when there is no history.
func (tl timeline) origin() float64 {
	if len(tl.hist) > 0 {
		return tl.hist[len(tl.hist)-1]
	}
	return tl.fut[0]
}
