package dataset

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func read(t *testing.T, csv string, o Options) (*Frame, error) {
	t.Helper()
	return Read(strings.NewReader(csv), "t.csv", o)
}

// TestReadErrors checks every loader error: its exact message (file, row,
// column, text), its sentinel, and for cell errors the typed fields.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		opts Options
		want string // exact message
		is   error
		row  int    // CellError.Row, 0 if not a CellError
		col  string // CellError.Column
	}{
		{"non-numeric", "month,passengers\n1949-01,112\n1949-02,12x\n", Options{},
			`t.csv: row 3, column "passengers": cannot parse "12x" as a number: not a number`, ErrNotNumber, 3, "passengers"},
		{"infinite", "d,v\n2020-01-01,1\n2020-01-02,+Inf\n", Options{},
			`t.csv: row 3, column "v": "+Inf" is not a finite number: not a number`, ErrNotNumber, 3, "v"},
		{"out of range", "d,v\n2020-01-01,1e999\n", Options{},
			`t.csv: row 2, column "v": "1e999" is out of the float64 range: not a number`, ErrNotNumber, 2, "v"},
		{"covariate non-numeric", "d,v,c\n2020-01-01,1,2\n2020-01-02,1,abc\n", Options{Targets: []string{"v"}, Covariates: []string{"c"}},
			`t.csv: row 3, column "c": cannot parse "abc" as a number: not a number`, ErrNotNumber, 3, "c"},
		{"blank line counted", "d,v\n\n2020-01-01,1\n2020-01-02,x\n", Options{},
			`t.csv: row 4, column "v": cannot parse "x" as a number: not a number`, ErrNotNumber, 4, "v"},
		{"unsorted", "d,v\n2020-01-01,1\n2020-01-03,2\n2020-01-02,3\n", Options{},
			`t.csv: row 4, column "d": timestamp "2020-01-02" is before the previous timestamp "2020-01-03" (row 3); the time index must be strictly increasing: time index not strictly increasing`, ErrUnsorted, 4, "d"},
		{"duplicate", "d,v\n2020-01-01,1\n2020-01-01,2\n", Options{},
			`t.csv: row 3, column "d": timestamp "2020-01-01" duplicates the previous timestamp "2020-01-01" (row 2); the time index must be strictly increasing: time index not strictly increasing`, ErrUnsorted, 3, "d"},
		{"duplicate in long file", "id,d,v\na,2020-01-01,1\na,2020-01-01,3\n", Options{IDColumn: "id"},
			`t.csv: series "a": row 3, column "d": timestamp "2020-01-01" duplicates the timestamp "2020-01-01" of row 2; each series' times must be distinct: time index not strictly increasing`, ErrUnsorted, 3, "d"},
		{"bad time", "d,v\n2020-01-01,1\n2020-13-01,2\n", Options{},
			`t.csv: row 3, column "d": cannot parse "2020-13-01" as a time in layout "2006-01-02": not a time`, ErrBadTime, 3, "d"},
		{"missing time", "d,v\n2020-01-01,1\n,2\n", Options{},
			`t.csv: row 3, column "d": missing timestamp: not a time`, ErrBadTime, 3, "d"},
		{"missing first time", "d,v\nNA,1\n2020-01-02,2\n", Options{},
			`t.csv: row 2, column "d": missing timestamp: not a time`, ErrBadTime, 2, "d"},
		{"huge gap", "t,v\n1700000000,1\n1700000001,2\n1799999999,3\n", Options{},
			`t.csv: 99999997 absent timestamps in the fixed(1s) time index: 1700000002 to 1799999998 (99999997 steps) before row 4; choose a gap policy: fill or keep`, ErrGaps, 0, ""},
		{"huge gap fill", "t,v\n1700000000,1\n1700000001,2\n1799999999,3\n", Options{Gaps: GapFill},
			`t.csv: 99999997 absent timestamps in the fixed(1s) time index: 1700000002 to 1799999998 (99999997 steps) before row 4; filling would insert 99999997 rows into 3; fix the timestamps or use the gap policy keep`, ErrGaps, 0, ""},
		{"off grid monthly", "d,v\n2020-01-15,1\n2020-02-15,2\n2020-03-15,3\n2020-05-20,4\n", Options{},
			`t.csv: row 5, column "d": timestamp is off the monthly grid (previous row 4 at 2020-03-15); use the gap policy keep to accept an irregular index: gaps in the time index`, ErrGaps, 5, "d"},
		{"layout given", "d,v\n2020-01,1\n2020-02,2\n2020-03,2\n2020-04-15,3\n", Options{TimeLayout: "2006-01-02", TimeColumn: "d"},
			`t.csv: row 2, column "d": cannot parse "2020-01" as a time in layout "2006-01-02": not a time`, ErrBadTime, 2, "d"},
		{"bad time, given column", "when,v\nyesterday,1\n", Options{TimeColumn: "when"},
			`t.csv: row 2, column "when": cannot parse "yesterday" as a time in any known layout: not a time`, ErrBadTime, 2, "when"},
		{"unknown target", "month,passengers\n1949-01,112\n", Options{Targets: []string{"pax"}},
			`t.csv: target column "pax" does not exist; columns are "month", "passengers": bad column`, ErrColumn, 0, ""},
		{"unknown covariate", "month,passengers\n1949-01,112\n", Options{Covariates: []string{"temp"}},
			`t.csv: covariate column "temp" does not exist; columns are "month", "passengers": bad column`, ErrColumn, 0, ""},
		{"unknown time column", "month,passengers\n1949-01,112\n", Options{TimeColumn: "date"},
			`t.csv: time column "date" does not exist; columns are "month", "passengers": bad column`, ErrColumn, 0, ""},
		{"duplicate header", "d,v,v\n2020-01-01,1,2\n", Options{},
			`t.csv: row 1: columns 2 and 3 are both named "v": bad column`, ErrColumn, 0, ""},
		{"empty header name", "d,,v\n2020-01-01,1,2\n", Options{},
			`t.csv: row 1: column 2 has an empty name: bad column`, ErrColumn, 0, ""},
		{"only a time column", "d\n2020-01-01\n", Options{},
			`t.csv: no value columns: the file has only "d": bad column`, ErrColumn, 0, ""},
		{"empty file", "", Options{}, `t.csv: empty input, no header: no data`, ErrEmpty, 0, ""},
		{"header only", "month,passengers\n", Options{}, `t.csv: header only, no data rows: no data`, ErrEmpty, 0, ""},
		{"ragged long", "d,v\n2020-01-01,1\n2020-01-02,1,3\n", Options{},
			`t.csv: row 3: has 3 fields, the header has 2: wrong number of fields`, ErrRagged, 0, ""},
		{"ragged short", "d,v\n2020-01-01\n", Options{},
			`t.csv: row 2: has 1 fields, the header has 2: wrong number of fields`, ErrRagged, 0, ""},
		{"bare quote", "d,v\n2020-01-01,1\n2020-01-02,1\"2\n", Options{},
			`t.csv: row 3: column 13: bare " in non-quoted-field: malformed csv`, ErrCSV, 0, ""},
		{"missing values named", "d,v\n2020-01-01,1\n2020-01-02,\n2020-01-03,NA\n2020-01-04,4\n2020-01-05,null\n", Options{},
			`t.csv: 3 missing values (3 in column "v"): rows 3-4 column "v", row 6 column "v"; choose a missing-value policy: drop, ffill or interpolate`, ErrMissing, 0, ""},
		{"gap", "d,v\n2020-01-01,1\n2020-01-02,2\n2020-01-04,4\n2020-01-05,5\n", Options{},
			`t.csv: 1 absent timestamps in the daily time index: 2020-01-03 before row 4; choose a gap policy: fill or keep`, ErrGaps, 0, ""},
		{"long gap", "d,v\n2020-01,1\n2020-02,2\n2020-06,4\n2020-07,5\n", Options{},
			`t.csv: 3 absent timestamps in the monthly time index: 2020-03 to 2020-05 (3 steps) before row 4; choose a gap policy: fill or keep`, ErrGaps, 0, ""},
		{"off grid", "d,v\n2020-01-01 00:00:00,1\n2020-01-01 01:00:00,2\n2020-01-01 01:30:00,3\n2020-01-01 02:30:00,4\n2020-01-01 03:30:00,4\n", Options{},
			`t.csv: row 4, column "d": timestamp is off the hourly grid (previous row 3 at 2020-01-01 01:00:00); use the gap policy keep to accept an irregular index: gaps in the time index`, ErrGaps, 4, "d"},
		{"empty id", "id,d,v\n,2020-01-02,2\n", Options{IDColumn: "id"},
			`t.csv: row 2, column "id": empty series id (1 row without an id)`, ErrNoID, 2, "id"},
		{"all missing with fill", "d,v\n2020-01-01,\n2020-01-02,NA\n", Options{Missing: MissingFFill},
			`t.csv: column "v" has no values at all: missing values`, ErrMissing, 0, ""},
		{"semicolon file read with commas", "d;v\n2020-01-01;1,5\n", Options{},
			`t.csv: row 2: has 2 fields, the header has 1: wrong number of fields`, ErrRagged, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fr, err := read(t, tc.csv, tc.opts)
			if err == nil {
				t.Fatalf("Read(%q) = %d series, nil error; want %q", tc.csv, len(fr.Series), tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("Read(%q) error\n got: %s\nwant: %s", tc.csv, err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.is)
			}
			var ce *CellError
			if tc.row > 0 {
				if !errors.As(err, &ce) {
					t.Fatalf("error %T is not a *CellError", err)
				}
				if ce.Row != tc.row || ce.Column != tc.col || ce.File != "t.csv" {
					t.Errorf("CellError at %s row %d column %q; want t.csv row %d column %q", ce.File, ce.Row, ce.Column, tc.row, tc.col)
				}
			}
		})
	}
}

func TestReadOptionErrors(t *testing.T) {
	for _, o := range []Options{{Missing: "zero"}, {Gaps: "ignore"}, {Delimiter: 'x'}, {AllCovariates: true}} {
		if _, err := read(t, "d,v\n2020-01-01,1\n", o); err == nil {
			t.Errorf("Read with %+v: nil error", o)
		}
	}
}

func TestTimeLayouts(t *testing.T) {
	tests := []struct {
		name, csv, layout string
		freq              Freq
		next              string
	}{
		{"rfc3339", "t,v\n2020-01-01T00:00:00Z,1\n2020-01-01T01:00:00Z,2\n", time.RFC3339Nano, Freq{Kind: Hourly, Step: time.Hour}, "2020-01-01T02:00:00Z"},
		{"rfc3339 offset", "t,v\n2020-01-01T00:00:00+02:00,1\n2020-01-01T00:15:00+02:00,2\n", time.RFC3339Nano, Freq{Kind: Fixed, Step: 15 * time.Minute}, "2020-01-01T00:30:00+02:00"},
		{"datetime", "t,v\n2020-01-01 00:00:00,1\n2020-01-01 01:00:00,2\n", "2006-01-02 15:04:05", Freq{Kind: Hourly, Step: time.Hour}, "2020-01-01 02:00:00"},
		{"datetime T", "t,v\n2020-01-01T00:00:00,1\n2020-01-01T01:00:00,2\n", "2006-01-02T15:04:05", Freq{Kind: Hourly, Step: time.Hour}, "2020-01-01T02:00:00"},
		{"minutes", "t,v\n2020-01-01 00:00,1\n2020-01-01 00:10,2\n", "2006-01-02 15:04", Freq{Kind: Fixed, Step: 10 * time.Minute}, "2020-01-01 00:20"},
		{"date", "t,v\n2020-02-28,1\n2020-02-29,2\n", "2006-01-02", Freq{Kind: Daily, Step: 24 * time.Hour}, "2020-03-01"},
		{"weekly", "t,v\n2020-01-06,1\n2020-01-13,2\n", "2006-01-02", Freq{Kind: Weekly, Step: 7 * 24 * time.Hour}, "2020-01-20"},
		{"monthly", "t,v\n1960-11,1\n1960-12,2\n", "2006-01", Freq{Kind: Monthly}, "1961-01"},
		{"month ends", "t,v\n1960-11-30,1\n1960-12-31,2\n1961-01-31,3\n", "2006-01-02", Freq{Kind: Monthly}, "1961-02-28"},
		{"quarterly", "t,v\n1960-01,1\n1960-04,2\n1960-07,3\n", "2006-01", Freq{Kind: Quarterly}, "1960-10"},
		{"quarter ends", "t,v\n1960-03-31,1\n1960-06-30,2\n1960-09-30,3\n", "2006-01-02", Freq{Kind: Quarterly}, "1960-12-31"},
		{"annual", "year,v\n1999,1\n2000,2\n", "2006", Freq{Kind: Annual}, "2001"},
		{"unix", "ts,v\n1700000000,1\n1700003600,2\n", LayoutUnix, Freq{Kind: Hourly, Step: time.Hour}, "1700007200"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fr, err := read(t, tc.csv, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := fr.Series[0]
			if s.Layout != tc.layout || s.Freq != tc.freq {
				t.Errorf("layout %q freq %v; want %q %v", s.Layout, s.Freq, tc.layout, tc.freq)
			}
			if got := s.Format(s.Future(1)[0]); got != tc.next {
				t.Errorf("next timestamp %q; want %q", got, tc.next)
			}
			// Round trip: every timestamp formats back to its input text.
			lines := strings.Split(strings.TrimSpace(tc.csv), "\n")[1:]
			for i, ln := range lines {
				want := strings.Split(ln, ",")[0]
				if got := s.Format(s.Time[i]); got != want {
					t.Errorf("Format(Time[%d]) = %q; want %q", i, got, want)
				}
			}
		})
	}
}

func TestNumericColumnsAreNotTimes(t *testing.T) {
	// PRES-like 4-digit values that do not increase are data, not years.
	fr, err := read(t, "pres,v\n1021,1\n1020,2\n1022,3\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fr.TimeColumn != "" || len(fr.Series) != 2 || fr.Series[0].Freq.Kind != Index || fr.Series[0].Time != nil {
		t.Errorf("time column %q, %d series, freq %v; want an integer index with 2 series", fr.TimeColumn, len(fr.Series), fr.Series[0].Freq)
	}
	fr, err = read(t, "d,v\n2020-01-01,1\n2020-01-02,2\n", Options{NoTime: true, Targets: []string{"v"}})
	if err != nil {
		t.Fatal(err)
	}
	if s := fr.Series[0]; s.Time != nil || s.Freq.Kind != Index {
		t.Errorf("NoTime: Time %v freq %v; want nil index", s.Time, s.Freq)
	}
}

func TestFreqAdd(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse("2006-01-02", s); return x }
	tests := []struct {
		f    Freq
		from string
		k    int
		want string
	}{
		{Freq{Kind: Monthly}, "1961-01-31", 1, "1961-02-28"},
		{Freq{Kind: Monthly}, "1961-01-31", 2, "1961-03-31"},
		{Freq{Kind: Monthly}, "1961-02-28", 1, "1961-03-31"},
		{Freq{Kind: Monthly}, "1960-01-30", 1, "1960-02-29"},
		{Freq{Kind: Monthly}, "1961-01-15", 1, "1961-02-15"},
		{Freq{Kind: Monthly}, "1961-01-15", -1, "1960-12-15"},
		{Freq{Kind: Monthly}, "1960-12-01", 1, "1961-01-01"},
		{Freq{Kind: Quarterly}, "1960-11-30", 1, "1961-02-28"},
		{Freq{Kind: Annual}, "1960-02-29", 1, "1961-02-28"},
		{Freq{Kind: Daily, Step: 24 * time.Hour}, "1960-02-28", 2, "1960-03-01"},
		{Freq{Kind: Weekly, Step: 7 * 24 * time.Hour}, "1960-02-28", 1, "1960-03-06"},
	}
	for _, tc := range tests {
		if got := tc.f.Add(d(tc.from), tc.k).Format("2006-01-02"); got != tc.want {
			t.Errorf("%v.Add(%s, %d) = %s; want %s", tc.f, tc.from, tc.k, got, tc.want)
		}
	}
}

func TestDelimiters(t *testing.T) {
	for _, d := range []rune{';', '\t', ','} {
		csv := strings.ReplaceAll("d,v,w\n2020-01-01,1.5,2\n2020-01-02,2.5,3\n", ",", string(d))
		fr, err := read(t, csv, Options{Delimiter: d})
		if err != nil {
			t.Fatalf("delimiter %q: %v", d, err)
		}
		if len(fr.Series) != 2 || fr.Series[0].Values[1] != 2.5 || fr.Series[1].Name != "w" {
			t.Errorf("delimiter %q: %d series %v", d, len(fr.Series), fr.Series[0].Values)
		}
	}
	// A UTF-8 byte order mark is not part of the first column's name.
	fr, err := read(t, "\ufeffd,v\n2020-01-01,1\n", Options{})
	if err != nil || fr.TimeColumn != "d" {
		t.Errorf("BOM: time column %q, err %v; want \"d\"", fr.TimeColumn, err)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMissingPolicies(t *testing.T) {
	// The 3rd hour is absent from 2020-01-01 02:00, so interpolation in
	// time weighs by hours, not rows.
	csv := "d,v,c\n" +
		"2020-01-01 00:00:00,,1\n" +
		"2020-01-01 01:00:00,1,2\n" +
		"2020-01-01 02:00:00,NaN,3\n" +
		"2020-01-01 04:00:00,4,NA\n" +
		"2020-01-01 05:00:00,5,5\n" +
		"2020-01-01 06:00:00,null,6\n"
	o := Options{Targets: []string{"v"}, Covariates: []string{"c"}, Gaps: GapKeep}
	tests := []struct {
		policy MissingPolicy
		v, c   []float64
		n      int
	}{
		{MissingDrop, []float64{1, 5}, []float64{2, 5}, 2},
		{MissingFFill, []float64{1, 1, 1, 4, 5, 5}, []float64{1, 2, 3, 3, 5, 6}, 6},
		{MissingInterpolate, []float64{1, 1, 2, 4, 5, 5}, []float64{1, 2, 3, 4.333333333333333, 5, 6}, 6},
	}
	for _, tc := range tests {
		t.Run(string(tc.policy), func(t *testing.T) {
			o.Missing = tc.policy
			fr, err := read(t, csv, o)
			if err != nil {
				t.Fatal(err)
			}
			s := fr.Series[0]
			if s.Len() != tc.n || len(s.Time) != tc.n {
				t.Fatalf("len %d (times %d); want %d", s.Len(), len(s.Time), tc.n)
			}
			for i := range tc.v {
				if !near(s.Values[i], tc.v[i]) || !near(s.Covariates[0][i], tc.c[i]) {
					t.Errorf("row %d: v=%g c=%g; want %g %g", i, s.Values[i], s.Covariates[0][i], tc.v[i], tc.c[i])
				}
			}
		})
	}
}

func TestGapFill(t *testing.T) {
	csv := "d,v\n2020-01-01,1\n2020-01-02,2\n2020-01-05,5\n2020-01-06,NA\n2020-01-07,7\n"
	fr, err := read(t, csv, Options{Gaps: GapFill, Missing: MissingInterpolate})
	if err != nil {
		t.Fatal(err)
	}
	s := fr.Series[0]
	want := []float64{1, 2, 3, 4, 5, 6, 7}
	if s.Len() != len(want) {
		t.Fatalf("len %d; want %d", s.Len(), len(want))
	}
	for i, w := range want {
		if !near(s.Values[i], w) || s.Format(s.Time[i]) != s.Format(s.Freq.Add(s.Time[0], i)) {
			t.Errorf("row %d: %s %g; want %s %g", i, s.Format(s.Time[i]), s.Values[i], s.Format(s.Freq.Add(s.Time[0], i)), w)
		}
	}
	// ffill fills inserted rows forward; keep leaves the index irregular.
	fr, err = read(t, csv, Options{Gaps: GapFill, Missing: MissingFFill})
	if err != nil || fr.Series[0].Values[3] != 2 {
		t.Errorf("ffill gap: %v %v; want row 3 = 2", fr.Series[0].Values, err)
	}
	fr, err = read(t, csv, Options{Gaps: GapKeep, Missing: MissingDrop})
	if err != nil || fr.Series[0].Len() != 4 || fr.Series[0].Freq.Kind != Daily {
		t.Errorf("keep+drop: %v %v; want 4 daily rows", fr.Series[0].Values, err)
	}
}

func TestCovariatesWideAndLong(t *testing.T) {
	wide := "d,a,b,x\n2020-01-01,1,10,100\n2020-01-02,2,20,200\n"
	fr, err := read(t, wide, Options{Targets: []string{"a", "b"}, Covariates: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Series) != 2 || fr.Get("b").Values[1] != 20 || fr.Get("a").CovariateNames[0] != "x" || fr.Get("a").Covariates[0][1] != 200 {
		t.Errorf("wide: %d series", len(fr.Series))
	}
	fr, err = read(t, wide, Options{Targets: []string{"a"}, AllCovariates: true})
	if err != nil || len(fr.Series) != 1 || strings.Join(fr.Series[0].CovariateNames, ",") != "b,x" {
		t.Errorf("AllCovariates: %v %v; want covariates b,x", fr.Series[0].CovariateNames, err)
	}
	long := "store,d,sales\nA,2020-01-01,1\nB,2020-01-01,10\nA,2020-01-02,2\nB,2020-01-02,20\nA,2020-01-03,3\n"
	fr, err = read(t, long, Options{IDColumn: "store"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Series) != 2 || fr.Get("A").Len() != 3 || fr.Get("B").Values[1] != 20 || fr.Get("B").ID != "B" {
		t.Errorf("long: %d series, A=%v", len(fr.Series), fr.Get("A"))
	}
}

func TestCheckLength(t *testing.T) {
	s := &Series{Name: "passengers", Values: make([]float64, 40)}
	err := CheckLength(s, 60, "window 48 + horizon 12")
	want := `series "passengers" has 40 observations; window 48 + horizon 12 needs at least 60: series too short`
	if err == nil || err.Error() != want || !errors.Is(err, ErrTooShort) {
		t.Errorf("CheckLength = %v; want %s", err, want)
	}
	if err := CheckLength(s, 40, ""); err != nil {
		t.Errorf("CheckLength(40) = %v; want nil", err)
	}
}

// FuzzRead: the loader never panics and never returns a NaN, whatever the
// input and policy.
func FuzzRead(f *testing.F) {
	seeds := []string{
		"", "a", "a,b\n", "d,v\n2020-01-01,1\n2020-01-02,2\n",
		"month,passengers\n1949-01,112\n1949-02,12x\n",
		"d,v\n2020-01-01,\n2020-01-02,NA\n2020-01-04,3\n",
		"d;v\n2020-01-01;1\n", "\"a\nb\",c\n1,2\n", "t,v\n1700000000,1\n1700000001,2\n",
		"year,v\n1999,1\n2001,2\n", "id,d,v\na,2020-01,1\nb,2020-01,2\na,2020-02,3\n",
		"d,v\n2020-01-01T00:00:00Z,1\n2020-01-01T00:00:00+01:00,2\n",
		"d,v,v\n1,2,3\n", "d,v\n0001-01-01,1\n9999-12-31,2\n", "x,y\n1e308,-1e308\n,\n",
	}
	for _, s := range seeds {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, csv string, p uint8) {
		o := Options{
			Missing: []MissingPolicy{"", MissingDrop, MissingFFill, MissingInterpolate}[p%4],
			Gaps:    []GapPolicy{"", GapKeep, GapFill}[(p/4)%3],
		}
		if p&16 != 0 {
			o.Delimiter = ';'
		}
		fr, err := Read(strings.NewReader(csv), "f.csv", o)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv: ") && !strings.HasPrefix(err.Error(), "dataset: ") {
				t.Errorf("error %q names no file", err)
			}
			return
		}
		for _, s := range fr.Series {
			for _, c := range append([][]float64{s.Values}, s.Covariates...) {
				if len(c) != s.Len() || hasNaN(c) {
					t.Fatalf("series %q: column of len %d (want %d) or NaN: %v", s.Name, len(c), s.Len(), c)
				}
			}
			for i := 1; i < len(s.Time); i++ {
				if !s.Time[i].After(s.Time[i-1]) {
					t.Fatalf("series %q: time %d not increasing", s.Name, i)
				}
			}
		}
	})
}
