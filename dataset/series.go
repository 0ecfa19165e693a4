package dataset

import (
	"fmt"
	"strconv"
	"time"
)

// FreqKind names the spacing of a time index.
type FreqKind int

// The frequencies tsf infers. Monthly, Quarterly and Annual steps are calendar
// steps (a month is not 30 days); Fixed is any other constant duration; Index
// means the series has no time column and is indexed 0, 1, 2, ...
const (
	Index FreqKind = iota
	Fixed
	Hourly
	Daily
	Weekly
	Monthly
	Quarterly
	Annual
)

// Freq is the spacing of a series' time index. The zero value is an integer
// index with step 1.
type Freq struct {
	Kind FreqKind
	// Step is the duration of one step for Fixed, Hourly, Daily and Weekly
	// (Hourly is always one hour, and so on). Unused for calendar kinds.
	Step time.Duration
}

// String returns a short name: "hourly", "monthly", "fixed(15m0s)", "index".
func (f Freq) String() string {
	switch f.Kind {
	case Hourly:
		return "hourly"
	case Daily:
		return "daily"
	case Weekly:
		return "weekly"
	case Monthly:
		return "monthly"
	case Quarterly:
		return "quarterly"
	case Annual:
		return "annual"
	case Fixed:
		return fmt.Sprintf("fixed(%s)", f.Step)
	default:
		return "index"
	}
}

// Season returns the conventional seasonal period of the frequency: 24 for
// hourly, 7 for daily, 52 for weekly, 12 for monthly, 4 for quarterly and 1
// (no season) for annual, fixed and index series.
func (f Freq) Season() int {
	switch f.Kind {
	case Hourly:
		return 24
	case Daily:
		return 7
	case Weekly:
		return 52
	case Monthly:
		return 12
	case Quarterly:
		return 4
	default:
		return 1
	}
}

// Add returns t advanced by k steps of the frequency. Calendar kinds add
// calendar months (Monthly 1, Quarterly 3, Annual 12); the others add k×Step.
// Calendar steps keep month ends at month ends (1961-01-31 + 1 month is
// 1961-02-28) and clamp other days to the length of the target month
// (1961-01-30 + 1 month is 1961-02-28), never spilling into the next month.
// For Index, t is returned unchanged.
func (f Freq) Add(t time.Time, k int) time.Time {
	switch f.Kind {
	case Monthly:
		return addMonths(t, k)
	case Quarterly:
		return addMonths(t, 3*k)
	case Annual:
		return addMonths(t, 12*k)
	case Hourly:
		return t.Add(time.Duration(k) * time.Hour)
	case Daily:
		return t.AddDate(0, 0, k)
	case Weekly:
		return t.AddDate(0, 0, 7*k)
	case Fixed:
		return t.Add(time.Duration(k) * f.Step)
	default:
		return t
	}
}

// Series is one univariate target series with optional past-observed
// covariates, aligned on one time index. A Series is a value: its slices are
// shared by views (Slice) and must not be modified after construction.
type Series struct {
	// Name is the target column's name, or the series id of a long file
	// ("id/target" when a long file has several target columns).
	Name string
	// ID is the series id of a long file (the IDColumn value), "" otherwise.
	ID string
	// Time holds one timestamp per value, strictly increasing. It is nil for
	// a series indexed 0, 1, 2, ... (Freq.Kind == Index).
	Time []time.Time
	// Values holds the target, len N. It never contains NaN once a Series
	// leaves the loader.
	Values []float64
	// Covariates holds past-observed columns, each of len N.
	Covariates [][]float64
	// CovariateNames names Covariates, one per column.
	CovariateNames []string
	// Freq is the inferred (or given) spacing of Time.
	Freq Freq
	// Layout is the Go time layout the timestamps were read with, so output
	// can be written in the input's own format; "" for an integer index, and
	// "unix" for unix seconds.
	Layout string
	// Origin is the integer time of the first observation of an
	// integer-indexed series whose file numbers its steps (LayoutIndex:
	// 1, 2, 3, ... gives Origin 1); 0 otherwise. FutureIndex counts from it.
	Origin int
}

// Len returns the number of observations.
func (s *Series) Len() int { return len(s.Values) }

// Slice returns the view of s holding observations [i, j). It shares memory
// with s. It panics if the bounds are out of range.
func (s *Series) Slice(i, j int) *Series {
	if i < 0 || j > len(s.Values) || i > j {
		panic(fmt.Sprintf("dataset: Slice [%d:%d] out of range for series of length %d", i, j, len(s.Values)))
	}
	v := *s
	v.Values = s.Values[i:j:j]
	if s.Time == nil {
		v.Origin = s.Origin + i
	}
	if s.Time != nil {
		v.Time = s.Time[i:j:j]
	}
	if len(s.Covariates) > 0 {
		v.Covariates = make([][]float64, len(s.Covariates))
		for k, c := range s.Covariates {
			v.Covariates[k] = c[i:j:j]
		}
	}
	return &v
}

// Future returns the timestamps of the h steps after the last observation.
// For an integer-indexed series it returns nil; use FutureIndex instead.
func (s *Series) Future(h int) []time.Time {
	if s.Time == nil || len(s.Time) == 0 {
		return nil
	}
	last := s.Time[len(s.Time)-1]
	out := make([]time.Time, h)
	for k := range out {
		out[k] = s.Freq.Add(last, k+1)
	}
	return out
}

// FutureIndex returns the integer positions of the h steps after the last
// observation: Origin+N, Origin+N+1, ..., Origin+N+h-1 (N, ..., N+h-1 for
// a series indexed from 0).
func (s *Series) FutureIndex(h int) []int {
	out := make([]int, h)
	for k := range out {
		out[k] = s.Origin + len(s.Values) + k
	}
	return out
}

// daysIn returns the number of days of month m in year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// addMonths adds k calendar months to t, keeping month ends at month ends
// and clamping the day to the target month's length.
func addMonths(t time.Time, k int) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	end := d == daysIn(y, m)
	// Normalise the target month without overflowing the day.
	tm := time.Date(y, m+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	ty, tmon := tm.Year(), tm.Month()
	n := daysIn(ty, tmon)
	if end || d > n {
		d = n
	}
	return time.Date(ty, tmon, d, hh, mm, ss, t.Nanosecond(), t.Location())
}

// Format returns t written in the series' own time layout (Layout), so
// output files look like the input: "1961-01" for a monthly file read as
// "2006-01", unix seconds for Layout "unix". For an integer-indexed series
// (Layout "") it returns RFC 3339.
func (s *Series) Format(t time.Time) string { return FormatTime(t, s.Layout) }

// FormatTime writes t in layout, where layout is a Go time layout, "unix"
// (unix seconds) or "" (RFC 3339).
func FormatTime(t time.Time, layout string) string {
	switch layout {
	case "unix":
		return strconv.FormatInt(t.Unix(), 10)
	case "":
		return t.Format(time.RFC3339)
	}
	return t.Format(layout)
}
