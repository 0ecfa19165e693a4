package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLongAnyOrderAndLayouts: a long file's rows may come in any order and
// each series gets its own layout: years, months, an integer index.
func TestLongAnyOrderAndLayouts(t *testing.T) {
	csv := "series,period,time,value\n" +
		"M1,MONTHLY,1990-03,3\n" +
		"Y1,YEARLY,1976,20\n" +
		"M1,MONTHLY,1990-01,1\n" +
		"O1,OTHER,2,200\n" +
		"Y1,YEARLY,1975,10\n" +
		"M1,MONTHLY,1990-02,2\n" +
		"O1,OTHER,1,100\n" +
		"O1,OTHER,3,300\n" +
		"Q1,QUARTERLY,1990-04,5\n" +
		"Q1,QUARTERLY,1990-01,4\n" +
		"Q1,QUARTERLY,1990-07,6\n"
	fr, err := read(t, csv, Options{IDColumn: "series"})
	if err != nil {
		t.Fatal(err)
	}
	if fr.TimeColumn != "time" {
		t.Errorf("TimeColumn = %q; want time (detected)", fr.TimeColumn)
	}
	want := []struct {
		id     string
		kind   FreqKind
		layout string
		values []float64
		first  string
		origin int
	}{
		{"M1", Monthly, "2006-01", []float64{1, 2, 3}, "1990-01", 0},
		{"Y1", Annual, "2006", []float64{10, 20}, "1975", 0},
		{"O1", Index, "", []float64{100, 200, 300}, "", 1},
		{"Q1", Quarterly, "2006-01", []float64{4, 5, 6}, "1990-01", 0},
	}
	if len(fr.Series) != len(want) || len(fr.Failed) != 0 {
		t.Fatalf("%d series, %d failed; want %d, 0", len(fr.Series), len(fr.Failed), len(want))
	}
	for i, w := range want {
		s := fr.Series[i]
		if s.ID != w.id || s.Name != w.id || s.Freq.Kind != w.kind || s.Layout != w.layout || !slices.Equal(s.Values, w.values) || s.Origin != w.origin {
			t.Errorf("series %d = %s %v %q %v origin %d; want %s %v %q %v origin %d", i, s.ID, s.Freq, s.Layout, s.Values, s.Origin, w.id, w.kind, w.layout, w.values, w.origin)
		}
		if w.first != "" && s.Format(s.Time[0]) != w.first {
			t.Errorf("series %s starts %s; want %s", w.id, s.Format(s.Time[0]), w.first)
		}
	}
	o := fr.Get("O1")
	if o.Time != nil || !slices.Equal(o.FutureIndex(2), []int{4, 5}) || !slices.Equal(o.Slice(1, 3).FutureIndex(1), []int{4}) {
		t.Errorf("O1: Time %v, FutureIndex(2) %v, Slice(1,3).FutureIndex(1) %v; want nil, [4 5], [4]", o.Time, o.FutureIndex(2), o.Slice(1, 3).FutureIndex(1))
	}
	if got := fr.Get("Q1").Future(1)[0]; !got.Equal(time.Date(1990, 10, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Q1 next step %v; want 1990-10", got)
	}
}

// TestLongFailedSeries: each bad series is named with its reason, in order
// of first appearance, and the others load.
func TestLongFailedSeries(t *testing.T) {
	csv := "id,d,v\n" +
		"a,2020-01-01,1\n" + // row 2
		"b,2020-01-01,1\n" + // row 3
		"c,2020-01-01,1\n" +
		"b,2020-01-02,x\n" + // row 5: bad cell in b
		"a,2020-01-02,2\n" +
		"d,2020-01-01,1\n" +
		"c,2020-01-01,2\n" + // row 8: duplicate in c
		",2020-01-01,1\n" + // row 9: no id
		"e,2020-01-01,1\n" +
		"e,2020-01-02,2\n" +
		"e,2020-01-04,2\n" + // row 12: gap in e
		"f,2020-01-01,\n" + // row 13: missing in f
		"d,2020-01-02,2\n"
	fr, err := read(t, csv, Options{IDColumn: "id"})
	if err != nil {
		t.Fatal(err)
	}
	var ok []string
	for _, s := range fr.Series {
		ok = append(ok, s.ID)
	}
	if !slices.Equal(ok, []string{"a", "d"}) {
		t.Errorf("loaded %v; want [a d]", ok)
	}
	want := []struct {
		id, msg string
		is      error
	}{
		{"b", `t.csv: series "b": row 5, column "v": cannot parse "x" as a number: not a number`, ErrNotNumber},
		{"c", `t.csv: series "c": row 8, column "d": timestamp "2020-01-01" duplicates the timestamp "2020-01-01" of row 4; each series' times must be distinct: time index not strictly increasing`, ErrUnsorted},
		{"", `t.csv: row 9, column "id": empty series id (1 row without an id)`, ErrNoID},
		{"e", `t.csv: series "e": 1 absent timestamps in the daily time index: 2020-01-03 before row 12; choose a gap policy: fill or keep`, ErrGaps},
		{"f", `t.csv: series "f": 1 missing values (1 in column "v"): row 13 column "v"; choose a missing-value policy: drop, ffill or interpolate`, ErrMissing},
	}
	if len(fr.Failed) != len(want) {
		t.Fatalf("%d failed; want %d: %v", len(fr.Failed), len(want), fr.Failed)
	}
	for i, w := range want {
		f := fr.Failed[i]
		if f.Series != w.id || f.Error() != w.msg {
			t.Errorf("failed[%d] = %q: %s\nwant %q: %s", i, f.Series, f, w.id, w.msg)
		}
		if w.is != nil && !errors.Is(f, w.is) {
			t.Errorf("errors.Is(%v, %v) = false", f, w.is)
		}
	}
}

func TestLongAllFailed(t *testing.T) {
	csv := "id,d,v\na,2020-01-01,x\nb,2020-01-01,y\nb,2020-01-02,2\n"
	fr, err := read(t, csv, Options{IDColumn: "id"})
	want := `t.csv: series "a": row 2, column "v": cannot parse "x" as a number: not a number (and 1 other series failed)`
	if err == nil || err.Error() != want || !errors.Is(err, ErrNotNumber) {
		t.Fatalf("Read = %v; want %s", err, want)
	}
	if fr == nil || len(fr.Failed) != 2 || len(fr.Series) != 0 {
		t.Fatalf("Frame with the failures: %+v", fr)
	}
}

// TestLongTextColumnsAreNotTargets: without Targets, a long file's text
// columns (categories) are left out; with nothing numeric left, the error
// says which columns hold no numbers.
func TestLongTextColumnsAreNotTargets(t *testing.T) {
	_, err := read(t, "id,t,kind\na,2020-01,x\na,2020-02,y\n", Options{IDColumn: "id"})
	want := `t.csv: no value columns: the file has only "id", "t", "kind" ("kind" holds no numbers): bad column`
	if err == nil || err.Error() != want {
		t.Errorf("Read = %v\nwant %s", err, want)
	}
	_, err = read(t, "id,t,v\na,2020-01,x\na,2020-02,y\n", Options{IDColumn: "id", Targets: []string{"v"}})
	if !errors.Is(err, ErrNotNumber) {
		t.Errorf("a named target of text: %v; want ErrNotNumber", err)
	}
}

func TestLongIndexErrors(t *testing.T) {
	for _, tc := range []struct{ name, csv, want string }{
		{"jump", "id,t,v\na,1,1\na,2,2\na,4,3\n",
			`t.csv: series "a": row 4, column "t": integer time index jumps from 2 (row 3) to 4; an integer index counts up by 1: gaps in the time index`},
		{"missing time", "id,t,v\na,1990-01,1\na,,2\n",
			`t.csv: series "a": row 3, column "t": missing timestamp: not a time`},
		{"mixed in one series", "id,t,v\na,1990-01,1\na,1991,2\n",
			`t.csv: series "a": row 3, column "t": cannot parse "1991" as a time in layout "2006-01": not a time`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(t, tc.csv, Options{IDColumn: "id", TimeColumn: "t"})
			if err == nil || err.Error() != tc.want {
				t.Errorf("Read = %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestLongIntegersAreDataUnlessIncreasing: an integer column that does not
// count up within each series is a value column, not time.
func TestLongIntegersAreDataUnlessIncreasing(t *testing.T) {
	fr, err := read(t, "id,v\na,5\na,3\nb,7\n", Options{IDColumn: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if fr.TimeColumn != "" || fr.Get("a").Len() != 2 || fr.Get("a").Values[1] != 3 {
		t.Errorf("time column %q, a = %v; want none and [5 3] in file order", fr.TimeColumn, fr.Get("a").Values)
	}
}

func m3Train(tb testing.TB) string {
	p := filepath.Join("..", "..", "shared", "data", "m3", "m3_train.csv")
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("M3 data %s absent (../shared not mounted)", p)
	}
	return p
}

// TestReadM3: the 3003 M3 series load from one long file that mixes yearly,
// quarterly, monthly and integer-indexed series.
func TestReadM3(t *testing.T) {
	fr, err := ReadCSV(m3Train(t), Options{IDColumn: "series", TimeColumn: "time", Targets: []string{"value"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Series) != 3003 || len(fr.Failed) != 0 {
		t.Fatalf("%d series, %d failed; want 3003, 0", len(fr.Series), len(fr.Failed))
	}
	count := map[FreqKind]int{}
	for _, s := range fr.Series {
		count[s.Freq.Kind]++
		want := map[byte]FreqKind{'Y': Annual, 'Q': Quarterly, 'M': Monthly, 'O': Index}[s.ID[0]]
		if s.Freq.Kind != want {
			t.Fatalf("series %s: frequency %v; want %v", s.ID, s.Freq, want)
		}
	}
	if count[Annual] != 645 || count[Quarterly] != 756 || count[Monthly] != 1428 || count[Index] != 174 {
		t.Errorf("counts %v; want 645 yearly, 756 quarterly, 1428 monthly, 174 other", count)
	}
	if s := fr.Get("N1"); s != nil {
		t.Errorf("unexpected series N1")
	}
	if s := fr.Get("O1"); s.Origin != 1 || !strings.HasPrefix(s.Name, "O") {
		t.Errorf("O1 origin %d; want 1", s.Origin)
	}
}

// BenchmarkReadM3 measures loading the 3003 M3 series (issue: under a
// second): go test -run '^$' -bench ReadM3 ./dataset/
func BenchmarkReadM3(b *testing.B) {
	p := m3Train(b)
	for b.Loop() {
		if _, err := ReadCSV(p, Options{IDColumn: "series", TimeColumn: "time", Targets: []string{"value"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// A value column of consecutive integers before the date column is a value,
// not the time: a column of text times is preferred to an integer index
// (it was taken as the time, and the file had "no value columns").
func TestLongDatesBeatIntegerValues(t *testing.T) {
	fr, err := read(t, "series,value,time\nb,1,2000-01\nb,2,2000-02\nb,3,2000-03\nc,5,2001-01\nc,6,2001-02\n", Options{IDColumn: "series"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Series) != 2 || fr.Series[0].Freq.Kind != Monthly || fr.Series[0].Values[2] != 3 || fr.Series[1].Time[0].Year() != 2001 {
		t.Errorf("series %+v; want b and c, monthly, valued 1, 2, 3 and 5, 6", fr.Series)
	}
	// Integers as the only time-like column are still an index.
	fr, err = read(t, "series,step,value\nb,1,10.5\nb,2,11.5\nb,3,12.5\n", Options{IDColumn: "series"})
	if err != nil || fr.Series[0].Freq.Kind != Index || fr.Series[0].Values[0] != 10.5 {
		t.Errorf("index file: %v, %+v", err, fr)
	}
}
