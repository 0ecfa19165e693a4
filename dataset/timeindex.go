package dataset

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// LayoutUnix is the Layout of a time column holding unix seconds.
const LayoutUnix = "unix"

// textLayouts are the time layouts auto-detection tries, in order. Numeric
// forms ("2006" years and unix seconds) are handled separately because a
// column of integers is usually data, not time.
var textLayouts = []string{
	time.RFC3339Nano, // 2016-07-01T00:00:00Z, 2016-07-01T00:00:00.5+02:00
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006-01",
}

// detectLayout returns the layout that parses v, and whether it is numeric
// (a bare year or unix seconds).
func detectLayout(v string) (layout string, numeric, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", false, false
	}
	if allDigits(v) {
		switch {
		case len(v) == 4:
			return "2006", true, true
		case len(v) >= 9 && len(v) <= 10:
			return LayoutUnix, true, true
		}
		return "", false, false
	}
	for _, l := range textLayouts {
		if _, err := time.Parse(l, v); err == nil {
			return l, false, true
		}
	}
	return "", false, false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseTime parses v in layout, where layout is a Go time layout or
// LayoutUnix. Times without a zone are UTC.
func ParseTime(v, layout string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if layout == LayoutUnix {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("cannot parse %q as unix seconds: %w", v, ErrBadTime)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if layout == "2006-01-02 15:04:05" || layout == "2006-01-02" {
		if t, ok := fastDate(v, layout); ok {
			return t, nil
		}
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("cannot parse %q as a time in layout %q: %w", v, layout, ErrBadTime)
	}
	return t, nil
}

// fastDate parses the two most common layouts without time.Parse; it
// reports false for anything it is not sure of, and the caller falls back.
func fastDate(v, layout string) (time.Time, bool) {
	if len(v) != len(layout) {
		return time.Time{}, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	if v[4] != '-' || v[7] != '-' {
		return time.Time{}, false
	}
	y, ok1 := num(v[0:4])
	mo, ok2 := num(v[5:7])
	d, ok3 := num(v[8:10])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, time.Month(mo)) {
		return time.Time{}, false
	}
	var h, mi, s int
	if len(v) > 10 {
		if v[10] != ' ' || v[13] != ':' || v[16] != ':' {
			return time.Time{}, false
		}
		var ok4, ok5, ok6 bool
		h, ok4 = num(v[11:13])
		mi, ok5 = num(v[14:16])
		s, ok6 = num(v[17:19])
		if !ok4 || !ok5 || !ok6 || h > 23 || mi > 59 || s > 59 {
			return time.Time{}, false
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC), true
}

// InferFreq infers the spacing of strictly increasing times. A calendar
// frequency (monthly, quarterly, annual) is chosen when at least half of the
// steps are exactly that many calendar months; otherwise the most common
// step decides: 1h hourly, 24h daily, 168h weekly, anything else Fixed.
// layout, if "2006-01" or "2006", is a hint used when there are fewer than
// two times. With fewer than two times and no hint, it returns Fixed with
// Step 0.
func InferFreq(times []time.Time, layout string) Freq {
	if len(times) < 2 {
		switch layout {
		case "2006-01":
			return Freq{Kind: Monthly}
		case "2006":
			return Freq{Kind: Annual}
		}
		return Freq{Kind: Fixed}
	}
	steps := len(times) - 1
	count := map[time.Duration]int{}
	var best time.Duration
	for i := 1; i < len(times); i++ {
		d := times[i].Sub(times[i-1])
		count[d]++
		if c := count[d]; c > count[best] || (c == count[best] && d < best) {
			best = d
		}
	}
	// Calendar steps are at least 28 days; shorter steps skip the check.
	if best >= 28*24*time.Hour {
		for _, k := range []FreqKind{Monthly, Quarterly, Annual} {
			f := Freq{Kind: k}
			n := 0
			for i := 1; i < len(times); i++ {
				if times[i].Equal(f.Add(times[i-1], 1)) {
					n++
				}
			}
			if 2*n >= steps {
				return f
			}
		}
	}
	switch best {
	case time.Hour:
		return Freq{Kind: Hourly, Step: time.Hour}
	case 24 * time.Hour:
		return Freq{Kind: Daily, Step: 24 * time.Hour}
	case 7 * 24 * time.Hour:
		return Freq{Kind: Weekly, Step: 7 * 24 * time.Hour}
	}
	return Freq{Kind: Fixed, Step: best}
}

// maxFill bounds how many absent timestamps a gap fill may insert, so a
// stray timestamp far in the future cannot exhaust memory.
const maxFill = 1_000_000

// gapScan walks a strictly increasing time index and returns its gaps
// (absent steps of f) and the first off-grid step (a step that is not a
// whole number of f steps), as an index into times, or -1.
// rows maps an index to its 1-based file row.
func gapScan(times []time.Time, f Freq, rows func(int) int) (gaps []Gap, offGrid int) {
	offGrid = -1
	if f.Kind == Index || (f.Kind == Fixed && f.Step <= 0) {
		return nil, -1
	}
	for i := 1; i < len(times); i++ {
		prev := times[i-1]
		next := f.Add(prev, 1)
		if times[i].Equal(next) {
			continue
		}
		if times[i].Before(next) {
			if offGrid < 0 {
				offGrid = i
			}
			continue
		}
		// Count the absent steps arithmetically; a step that is not a whole
		// number of frequency steps is off the grid.
		missing := -1
		switch f.Kind {
		case Monthly, Quarterly, Annual:
			per := map[FreqKind]int{Monthly: 1, Quarterly: 3, Annual: 12}[f.Kind]
			y1, m1, _ := prev.Date()
			y2, m2, _ := times[i].Date()
			months := (y2-y1)*12 + int(m2-m1)
			if months%per == 0 && f.Add(prev, months/per).Equal(times[i]) {
				missing = months/per - 1
			}
		default:
			d := times[i].Sub(prev)
			if d%f.Step == 0 {
				missing = int(d/f.Step) - 1
			}
		}
		if missing < 1 {
			if offGrid < 0 {
				offGrid = i
			}
			continue
		}
		gaps = append(gaps, Gap{Row: rows(i), First: next, Last: f.Add(prev, missing), Count: missing})
	}
	return gaps, offGrid
}
