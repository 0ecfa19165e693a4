package plots

import (
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
)

// maxTicks is the most labelled ticks an axis gets.
const maxTicks = 7

// unixSeconds is the x coordinate of a timestamp: seconds since the epoch.
func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// calStep is one rung of the ladder of calendar tick spacings.
type calStep struct {
	d      time.Duration // for sub-day and day steps
	days   int           // for day steps (calendar days, DST-safe)
	months int           // for month and year steps
	approx time.Duration // approximate length, for choosing
}

var calSteps = func() []calStep {
	var s []calStep
	for _, d := range []time.Duration{time.Second, 5 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour} {
		s = append(s, calStep{d: d, approx: d})
	}
	for _, n := range []int{1, 2, 7, 14} {
		s = append(s, calStep{days: n, approx: time.Duration(n) * 24 * time.Hour})
	}
	for _, n := range []int{1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200} {
		s = append(s, calStep{months: n, approx: time.Duration(n) * 30 * 24 * time.Hour})
	}
	return s
}()

// chooseCalStep returns the smallest calendar step giving at most maxTicks
// ticks over [min, max] (unix seconds).
func chooseCalStep(min, max float64) calStep {
	span := time.Duration((max - min) * 1e9)
	for _, s := range calSteps {
		if span/s.approx < maxTicks {
			return s
		}
	}
	return calSteps[len(calSteps)-1]
}

// timeFormat returns the Go layout for tick labels at step s over a span.
func timeFormat(s calStep, min, max float64, loc *time.Location) string {
	t0, t1 := time.Unix(int64(min), 0).In(loc), time.Unix(int64(max), 0).In(loc)
	switch {
	case s.months >= 12:
		return "2006"
	case s.months > 0:
		return "Jan 2006"
	case s.days > 0:
		if t0.Year() == t1.Year() {
			return "2 Jan"
		}
		return "2 Jan 2006"
	case s.d < time.Minute:
		return "15:04:05"
	case t1.Sub(t0) <= 24*time.Hour:
		return "15:04"
	default:
		return "2 Jan 15:04"
	}
}

// calendarTicker places ticks on round calendar boundaries (midnights, first
// days of months, new years) rather than round numbers of seconds.
type calendarTicker struct {
	step calStep
	loc  *time.Location
}

// Ticks implements plot.Ticker. Labels are placeholders; plot.TimeTicks
// formats them.
func (c calendarTicker) Ticks(min, max float64) []plot.Tick {
	t0 := time.Unix(int64(math.Floor(min)), 0).In(c.loc)
	var t time.Time
	next := func(t time.Time) time.Time { return t.Add(c.step.d) }
	switch {
	case c.step.months > 0:
		n := c.step.months
		if n >= 12 {
			y := t0.Year() - mod(t0.Year(), n/12)
			t = time.Date(y, 1, 1, 0, 0, 0, 0, c.loc)
		} else {
			m := int(t0.Month()) - 1
			t = time.Date(t0.Year(), time.Month(m-mod(m, n)+1), 1, 0, 0, 0, 0, c.loc)
		}
		next = func(t time.Time) time.Time { return t.AddDate(0, n, 0) }
	case c.step.days > 0:
		t = time.Date(t0.Year(), t0.Month(), t0.Day(), 0, 0, 0, 0, c.loc)
		if c.step.days == 7 || c.step.days == 14 {
			// Weeks start on Monday.
			t = t.AddDate(0, 0, -mod(int(t.Weekday())-1, 7))
		}
		n := c.step.days
		next = func(t time.Time) time.Time { return t.AddDate(0, 0, n) }
	default:
		t = t0.Truncate(c.step.d)
	}
	var ticks []plot.Tick
	for ; unixSeconds(t) <= max; t = next(t) {
		if v := unixSeconds(t); v >= min {
			ticks = append(ticks, plot.Tick{Value: v, Label: "t"})
		}
	}
	return ticks
}

func mod(a, n int) int {
	if n <= 1 {
		return 0
	}
	return ((a % n) + n) % n
}

// setTimeAxis makes p's x axis a calendar axis over [min, max] (unix seconds).
func setTimeAxis(p *plot.Plot, min, max float64, loc *time.Location) {
	if loc == nil {
		loc = time.UTC
	}
	s := chooseCalStep(min, max)
	p.X.Tick.Marker = plot.TimeTicks{
		Ticker: calendarTicker{step: s, loc: loc},
		Format: timeFormat(s, min, max, loc),
		Time:   plot.UnixTimeIn(loc),
	}
}

// intTicks labels whole numbers only, spaced 1, 2, 5, 10, 20, 50, ...
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := math.Ceil(min), math.Floor(max)
	step := 1.0
	for mult := 1.0; ; mult *= 10 {
		found := false
		for _, m := range []float64{1, 2, 5} {
			step = m * mult
			if (hi-lo)/step < maxTicks {
				found = true
				break
			}
		}
		if found {
			break
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}

// logTicks is the ticker of a log axis drawn as a linear axis of log10
// values (see setLogY): it labels powers of ten, skipping decades when the
// range is wide so that at most maxTicks labels are drawn; unlabelled decades
// become minor ticks, and narrow ranges get minor ticks at 2..9 × 10^k.
type logTicks struct{}

// Ticks implements plot.Ticker; min and max are exponents.
func (logTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := int(math.Floor(min)), int(math.Ceil(max))
	every := 1
	for _, e := range []int{1, 2, 3, 5, 10, 20, 50, 100} {
		every = e
		if (hi-lo)/e < maxTicks {
			break
		}
	}
	var ticks []plot.Tick
	for d := lo; d <= hi; d++ {
		if mod(d, every) == 0 {
			ticks = append(ticks, plot.Tick{Value: float64(d), Label: decadeLabel(d)})
		} else {
			ticks = append(ticks, plot.Tick{Value: float64(d)})
		}
		if hi-lo <= 4 && d < hi {
			for k := 2; k <= 9; k++ {
				ticks = append(ticks, plot.Tick{Value: float64(d) + math.Log10(float64(k))})
			}
		}
	}
	return ticks
}

// decadeLabel formats 10^d: "0.01", "1", "1000" near one, "1e-30" far away.
func decadeLabel(d int) string {
	if d >= -3 && d <= 4 {
		return strconv.FormatFloat(math.Pow(10, float64(d)), 'f', -1, 64)
	}
	return "1e" + strconv.Itoa(d)
}

// setLogY makes p's y axis logarithmic over [min, max], both > 0, rounded out
// to whole decades. gonum/plot's LogScale panics on values <= 0 and
// mis-pads a log axis's label, so tsf draws log axes as linear axes of log10
// values: callers clamp their data to at least min and pass it through log10s.
func setLogY(p *plot.Plot, min, max float64) {
	p.Y.Tick.Marker = logTicks{}
	p.Y.Min = math.Floor(math.Log10(min))
	p.Y.Max = math.Ceil(math.Log10(max))
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min + 1
	}
}

// log10s returns log10 of each value of v, which must be > 0.
func log10s(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Log10(x)
	}
	return out
}

// niceTicks labels a linear axis at multiples of 1, 2, 2.5 or 5 × 10^k, at
// most maxTicks of them, with unlabelled minor ticks halfway between.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return []plot.Tick{{Value: min, Label: strconv.FormatFloat(min, 'g', 4, 64)}}
	}
	mag := math.Pow(10, math.Floor(math.Log10(max-min)))
	var step float64
	for _, m := range []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10} {
		step = m * mag
		if (max-min)/step < maxTicks {
			break
		}
	}
	e := math.Floor(math.Log10(step) + 1e-9)
	decimals := int(math.Max(0, -e))
	if r := step / math.Pow(10, e); math.Abs(r-2.5) < 1e-9 && e <= 0 {
		decimals++
	}
	var ticks []plot.Tick
	first := math.Ceil(min/step - 1e-9)
	if h := (first - 0.5) * step; h >= min {
		ticks = append(ticks, plot.Tick{Value: h})
	}
	for i := first; i*step <= max+step*1e-9; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
		if h := v + step/2; h <= max {
			ticks = append(ticks, plot.Tick{Value: h})
		}
	}
	return ticks
}
