package m3

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// The file names Load reads from the data directory.
const (
	TrainFile     = "m3_train.csv"
	TestFile      = "m3_test.csv"
	ForecastsFile = "m3_forecasts.csv"
)

// Group is one of the four M3 subsets, or All.
type Group string

// The M3 groups, and All for every series.
const (
	Yearly    Group = "yearly"
	Quarterly Group = "quarterly"
	Monthly   Group = "monthly"
	Other     Group = "other"
	All       Group = "all"
)

// Groups lists the four groups in the competition's order.
var Groups = []Group{Yearly, Quarterly, Monthly, Other}

// Horizon returns the group's forecast horizon: 6, 8, 18 or 8 (0 for All).
func (g Group) Horizon() int {
	switch g {
	case Yearly:
		return 6
	case Quarterly, Other:
		return 8
	case Monthly:
		return 18
	}
	return 0
}

// Season returns the group's seasonal period, the lag of MASE's scale:
// 12 monthly, 4 quarterly, 1 yearly and other (0 for All).
func (g Group) Season() int {
	switch g {
	case Monthly:
		return 12
	case Quarterly:
		return 4
	case Yearly, Other:
		return 1
	}
	return 0
}

// ParseGroup returns the group named s ("yearly", "quarterly", "monthly",
// "other" or "all", case-insensitive).
func ParseGroup(s string) (Group, error) {
	g := Group(strings.ToLower(strings.TrimSpace(s)))
	if g == All || g.Horizon() > 0 {
		return g, nil
	}
	return "", fmt.Errorf("m3: unknown group %q (want yearly, quarterly, monthly, other or all)", s)
}

// groupOfPeriod maps the period column to a Group.
func groupOfPeriod(p string) (Group, bool) {
	switch p {
	case "YEARLY":
		return Yearly, true
	case "QUARTERLY":
		return Quarterly, true
	case "MONTHLY":
		return Monthly, true
	case "OTHER":
		return Other, true
	}
	return "", false
}

// Series is one M3 series: its history, ready for any forecast.Forecaster,
// and the test values a forecast is scored against.
type Series struct {
	// ID is the competition's name, e.g. "M1".
	ID string
	// Group is the subset, Type the domain (MICRO, INDUSTRY, MACRO,
	// FINANCE, DEMOGRAPHIC or OTHER).
	Group Group
	Type  string
	// Horizon and Season are the group's (see Group.Horizon, Group.Season).
	Horizon, Season int
	// History is the training part, named by ID. Monthly, quarterly and
	// yearly histories have calendar times; other ones are integer-indexed.
	History *dataset.Series
	// Test holds the Horizon values after History.
	Test []float64
	// Scale is the in-sample MAE of the seasonal naive forecast (lag
	// Season) on History: the denominator of MASE and MSIS.
	Scale float64
}

// Data is the loaded M3 set.
type Data struct {
	// Series in the competition's order.
	Series []*Series
	byID   map[string]int
}

// Index returns the position of series id in Series.
func (d *Data) Index(id string) (int, bool) {
	i, ok := d.byID[id]
	return i, ok
}

// InGroup returns the positions in Series of the series of group g (every
// position for All), in order.
func (d *Data) InGroup(g Group) []int {
	var out []int
	for i, s := range d.Series {
		if g == All || s.Group == g {
			out = append(out, i)
		}
	}
	return out
}

// Load reads m3_train.csv and m3_test.csv from dir. Any malformed row is
// an error naming the file, row and column; a test that does not continue
// its history, or has other than Horizon values, is an error naming the
// series.
func Load(dir string) (*Data, error) {
	d := &Data{byID: map[string]int{}}
	train := filepath.Join(dir, TrainFile)
	if err := readLong(train, func(r longRow) error { return d.addTrain(r) }); err != nil {
		return nil, err
	}
	if len(d.Series) == 0 {
		return nil, fmt.Errorf("%s: no series", train)
	}
	for _, s := range d.Series {
		if err := s.finish(); err != nil {
			return nil, fmt.Errorf("%s: %w", train, err)
		}
	}
	test := filepath.Join(dir, TestFile)
	tests := make([][]float64, len(d.Series))
	err := readLong(test, func(r longRow) error {
		i, ok := d.byID[r.id]
		if !ok {
			return fmt.Errorf("series %q is not in %s", r.id, TrainFile)
		}
		s := d.Series[i]
		if err := s.checkStep(r.time, len(s.History.Values)+len(tests[i])); err != nil {
			return err
		}
		tests[i] = append(tests[i], r.value)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, s := range d.Series {
		if len(tests[i]) != s.Horizon {
			return nil, fmt.Errorf("%s: series %q has %d test values; want %d (%s)", test, s.ID, len(tests[i]), s.Horizon, s.Group)
		}
		s.Test = tests[i]
	}
	return d, nil
}

// longRow is one parsed row of m3_train.csv or m3_test.csv.
type longRow struct {
	id, period, typ, time string
	value                 float64
	line                  int
}

// readLong reads a series,period,type,time,value file and calls add for
// each row. Errors name the file and row (the header is row 1).
func readLong(path string, add func(longRow) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.ReuseRecord = true
	r.FieldsPerRecord = 5
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	want := []string{"series", "period", "type", "time", "value"}
	for j, c := range want {
		if head[j] != c {
			return fmt.Errorf("%s: header column %d is %q; want %q (header %s)", path, j+1, head[j], c, strings.Join(want, ","))
		}
	}
	var last longRow // strings are reused while the id repeats
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		row := longRow{line: line}
		if rec[0] == last.id {
			row.id = last.id
		} else {
			row.id = strings.Clone(rec[0])
		}
		if rec[1] == last.period {
			row.period = last.period
		} else {
			row.period = strings.Clone(rec[1])
		}
		if rec[2] == last.typ {
			row.typ = last.typ
		} else {
			row.typ = strings.Clone(rec[2])
		}
		row.time = rec[3]
		row.value, err = strconv.ParseFloat(rec[4], 64)
		if err != nil {
			return fmt.Errorf("%s: row %d, column \"value\": series %q: cannot parse %q as a number", path, line, row.id, rec[4])
		}
		if err := add(row); err != nil {
			return fmt.Errorf("%s: row %d: %w", path, line, err)
		}
		last = row
	}
}

// addTrain appends a training row to its series, starting a new series at
// a new id. The rows of one series must be consecutive and in time order.
func (d *Data) addTrain(r longRow) error {
	i, ok := d.byID[r.id]
	if ok && i != len(d.Series)-1 {
		return fmt.Errorf("series %q: rows are not together (it began earlier in the file)", r.id)
	}
	if !ok {
		g, known := groupOfPeriod(r.period)
		if !known {
			return fmt.Errorf("series %q: column \"period\": unknown period %q (want YEARLY, QUARTERLY, MONTHLY or OTHER)", r.id, r.period)
		}
		s := &Series{ID: r.id, Group: g, Type: r.typ, Horizon: g.Horizon(), Season: g.Season(),
			History: &dataset.Series{Name: r.id, ID: r.id}}
		switch g {
		case Yearly:
			s.History.Freq, s.History.Layout = dataset.Freq{Kind: dataset.Annual}, "2006"
		case Quarterly:
			s.History.Freq, s.History.Layout = dataset.Freq{Kind: dataset.Quarterly}, "2006-01"
		case Monthly:
			s.History.Freq, s.History.Layout = dataset.Freq{Kind: dataset.Monthly}, "2006-01"
		}
		d.byID[r.id] = len(d.Series)
		d.Series = append(d.Series, s)
	}
	s := d.Series[len(d.Series)-1]
	if string(s.Group) != strings.ToLower(r.period) || s.Type != r.typ {
		return fmt.Errorf("series %q: period %s and type %s differ from its first row's (%s, %s)", r.id, r.period, r.typ, strings.ToUpper(string(s.Group)), s.Type)
	}
	h := s.History
	if err := s.checkStep(r.time, len(h.Values)); err != nil {
		return err
	}
	if h.Freq.Kind != dataset.Index {
		t, _ := s.parseTime(r.time) // checked by checkStep
		h.Time = append(h.Time, t)
	}
	h.Values = append(h.Values, r.value)
	return nil
}

// parseTime parses a time cell of the series' group: YYYY for yearly,
// YYYY-MM for monthly and quarterly.
func (s *Series) parseTime(v string) (time.Time, error) {
	layout := s.History.Layout
	t, err := time.Parse(layout, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("series %q: column \"time\": cannot parse %q as %s (layout %s)", s.ID, v, s.Group, layout)
	}
	return t, nil
}

// checkStep checks that the time cell v is the step k of the series (k
// counted from 0 at the first history value): one calendar step after the
// previous one, or the integer k+1 for other series.
func (s *Series) checkStep(v string, k int) error {
	h := s.History
	if h.Freq.Kind == dataset.Index {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("series %q: column \"time\": cannot parse %q as an integer step", s.ID, v)
		}
		if n != k+1 {
			return fmt.Errorf("series %q: column \"time\": step %d; want %d (steps count 1, 2, 3, ...)", s.ID, n, k+1)
		}
		return nil
	}
	t, err := s.parseTime(v)
	if err != nil {
		return err
	}
	if k == 0 {
		return nil
	}
	if want := h.Freq.Add(h.Time[0], k); !t.Equal(want) {
		return fmt.Errorf("series %q: column \"time\": %s; want %s (the next %s step)", s.ID, v, h.Format(want), s.Group)
	}
	return nil
}

// finish checks a loaded history and computes its MASE scale.
func (s *Series) finish() error {
	h := s.History
	if len(h.Values) <= s.Season {
		return fmt.Errorf("series %q: %d history values; the seasonal naive scale (lag %d) needs at least %d", s.ID, len(h.Values), s.Season, s.Season+1)
	}
	h.Values = h.Values[:len(h.Values):len(h.Values)]
	if h.Time != nil {
		h.Time = h.Time[:len(h.Time):len(h.Time)]
	}
	s.Scale = scaleOf(h.Values, s.Season)
	return nil
}
