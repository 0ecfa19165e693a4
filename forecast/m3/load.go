package m3

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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

// Load reads m3_train.csv and m3_test.csv from dir with dataset.ReadCSV
// (Options{IDColumn: "series", TimeColumn: "time", Targets: ["value"]}), so
// every history is the *dataset.Series `tsf --id series` would see, and
// the period and type columns with a light pass of its own. The benchmark
// needs every series: any series the loader could not read, a period that
// does not match the times, or a test that does not continue its history
// with Horizon values is an error naming the file and series (and row and
// column where the loader names them).
func Load(dir string) (*Data, error) {
	train := filepath.Join(dir, TrainFile)
	d, err := readMeta(train)
	if err != nil {
		return nil, err
	}
	opts := dataset.Options{IDColumn: "series", TimeColumn: "time", Targets: []string{"value"}}
	hist, err := readFrame(train, opts)
	if err != nil {
		return nil, err
	}
	if len(hist.Series) != len(d.Series) {
		return nil, fmt.Errorf("%s: the loader found %d series; the series column has %d ids", train, len(hist.Series), len(d.Series))
	}
	for i, h := range hist.Series {
		s := d.Series[i]
		if h.ID != s.ID {
			return nil, fmt.Errorf("%s: series %d is %q in the loader's order, %q in the file's", train, i+1, h.ID, s.ID)
		}
		if want := s.Group.freq(); h.Freq.Kind != want {
			return nil, fmt.Errorf("%s: series %q: period %s but its times are %s", train, s.ID, strings.ToUpper(string(s.Group)), h.Freq)
		}
		s.History = h
		if err := s.finish(); err != nil {
			return nil, fmt.Errorf("%s: %w", train, err)
		}
	}
	test := filepath.Join(dir, TestFile)
	tf, err := readFrame(test, opts)
	if err != nil {
		return nil, err
	}
	seen := make([]bool, len(d.Series))
	for _, t := range tf.Series {
		i, ok := d.byID[t.ID]
		if !ok {
			return nil, fmt.Errorf("%s: series %q is not in %s", test, t.ID, TrainFile)
		}
		s := d.Series[i]
		if err := s.setTest(t); err != nil {
			return nil, fmt.Errorf("%s: %w", test, err)
		}
		seen[i] = true
	}
	for i, s := range d.Series {
		if !seen[i] {
			return nil, fmt.Errorf("%s: series %q has no test values; want %d (%s)", test, s.ID, s.Horizon, s.Group)
		}
	}
	return d, nil
}

// readFrame reads a long file, failing on any series the loader could not
// read.
func readFrame(path string, opts dataset.Options) (*dataset.Frame, error) {
	fr, err := dataset.ReadCSV(path, opts)
	if err != nil {
		return nil, err
	}
	if n := len(fr.Failed); n > 0 {
		errs := make([]error, 0, min(n, 5))
		for _, f := range fr.Failed[:min(n, 5)] {
			errs = append(errs, f)
		}
		if n > 5 {
			errs = append(errs, fmt.Errorf("and %d other series", n-5))
		}
		return nil, errors.Join(errs...)
	}
	return fr, nil
}

// freq is the time-index kind of the group's series.
func (g Group) freq() dataset.FreqKind {
	switch g {
	case Yearly:
		return dataset.Annual
	case Quarterly:
		return dataset.Quarterly
	case Monthly:
		return dataset.Monthly
	}
	return dataset.Index
}

// setTest checks that t continues the history with Horizon values and
// keeps its values.
func (s *Series) setTest(t *dataset.Series) error {
	h := s.History
	if t.Len() != s.Horizon {
		return fmt.Errorf("series %q has %d test values; want %d (%s)", s.ID, t.Len(), s.Horizon, s.Group)
	}
	if t.Freq.Kind != h.Freq.Kind {
		return fmt.Errorf("series %q: test times are %s, history times %s", s.ID, t.Freq, h.Freq)
	}
	if h.Time != nil {
		if want := h.Future(1)[0]; !t.Time[0].Equal(want) {
			return fmt.Errorf("series %q: test starts at %s; want %s, the step after the history", s.ID, t.Format(t.Time[0]), h.Format(want))
		}
	} else if want := h.FutureIndex(1)[0]; t.Origin != want {
		return fmt.Errorf("series %q: test starts at step %d; want %d, the step after the history", s.ID, t.Origin, want)
	}
	s.Test = t.Values
	return nil
}

// readMeta reads the series, period and type columns of m3_train.csv: one
// Series (without history yet) per id, in order of first appearance.
func readMeta(path string) (*Data, error) {
	d := &Data{byID: map[string]int{}}
	err := readLong(path, func(r longRow) error {
		i, ok := d.byID[r.id]
		if !ok {
			g, known := groupOfPeriod(r.period)
			if !known {
				return fmt.Errorf("series %q: column \"period\": unknown period %q (want YEARLY, QUARTERLY, MONTHLY or OTHER)", r.id, r.period)
			}
			i = len(d.Series)
			d.byID[r.id] = i
			d.Series = append(d.Series, &Series{ID: r.id, Group: g, Type: r.typ, Horizon: g.Horizon(), Season: g.Season()})
		}
		s := d.Series[i]
		if string(s.Group) != strings.ToLower(r.period) || s.Type != r.typ {
			return fmt.Errorf("series %q: period %s and type %s differ from its first row's (%s, %s)", r.id, r.period, r.typ, strings.ToUpper(string(s.Group)), s.Type)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(d.Series) == 0 {
		return nil, fmt.Errorf("%s: no series", path)
	}
	return d, nil
}

// longRow is one row of m3_train.csv: the columns readMeta needs.
type longRow struct {
	id, period, typ string
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
	var last longRow // strings are reused while they repeat
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		row := last
		if rec[0] != last.id {
			row.id = strings.Clone(rec[0])
		}
		if rec[1] != last.period {
			row.period = strings.Clone(rec[1])
		}
		if rec[2] != last.typ {
			row.typ = strings.Clone(rec[2])
		}
		if err := add(row); err != nil {
			return fmt.Errorf("%s: row %d: %w", path, line, err)
		}
		last = row
	}
}

// finish checks a loaded history and computes its MASE scale.
func (s *Series) finish() error {
	h := s.History
	if len(h.Values) <= s.Season {
		return fmt.Errorf("series %q: %d history values; the seasonal naive scale (lag %d) needs at least %d", s.ID, len(h.Values), s.Season, s.Season+1)
	}
	s.Scale = scaleOf(h.Values, s.Season)
	return nil
}
