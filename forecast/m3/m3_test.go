package m3

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// dataDir returns ../shared/data/m3 relative to the repository root, or
// skips the test when it is absent.
func dataDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "..", "shared", "data", "m3")
	if _, err := os.Stat(filepath.Join(dir, TrainFile)); err != nil {
		t.Skipf("M3 data not found at %s (the shared data directory beside the repository): %v", dir, err)
	}
	return dir
}

var (
	loadOnce sync.Once
	loaded   *Data
	loadErr  error
)

// shared loads the M3 data once for all tests.
func shared(t testing.TB) *Data {
	dir := dataDir(t)
	loadOnce.Do(func() { loaded, loadErr = Load(dir) })
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

// referenceTable is the README's table (../shared/data/m3/README.md),
// "sMAPE / MASE" per group, then all 3003.
var referenceTable = map[string][5]string{
	"NAIVE2":      {"17.88 / 3.172", "9.95 / 1.238", "16.89 / 1.037", "6.30 / 3.089", "14.74 / 1.665"},
	"SINGLE":      {"17.82 / 3.171", "9.72 / 1.229", "15.30 / 0.974", "6.29 / 3.091", "13.91 / 1.633"},
	"DAMPEN":      {"17.36 / 3.032", "9.36 / 1.126", "14.58 / 0.908", "4.61 / 2.036", "13.28 / 1.484"},
	"COMB S-H-D":  {"17.07 / 2.876", "9.22 / 1.105", "14.47 / 0.896", "4.56 / 2.045", "13.13 / 1.441"},
	"B-J auto":    {"17.73 / 3.165", "10.26 / 1.188", "14.80 / 0.914", "5.06 / 2.259", "13.72 / 1.544"},
	"Auto-ANN":    {"18.57 / 3.058", "10.20 / 1.241", "15.03 / 0.928", "4.80 / 2.083", "13.98 / 1.531"},
	"ForecastPro": {"17.27 / 3.026", "9.82 / 1.204", "13.90 / 0.848", "4.60 / 1.920", "13.06 / 1.467"},
	"THETA":       {"16.97 / 2.806", "8.96 / 1.087", "13.89 / 0.858", "4.41 / 1.904", "12.76 / 1.395"},
}

// TestReferenceTable reproduces every digit of the README's reference
// table from m3_forecasts.csv with the package's scorer.
func TestReferenceTable(t *testing.T) {
	d := shared(t)
	runs, err := ReadForecasts(filepath.Join(dataDir(t), ForecastsFile), d)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 24 {
		t.Errorf("ReadForecasts: %d methods; want the competition's 24", len(runs))
	}
	found := 0
	for _, r := range runs {
		want, ok := referenceTable[r.Method]
		if !ok {
			continue
		}
		found++
		scores, errs := d.Scores(r)
		for i, err := range errs {
			if err != nil {
				t.Errorf("%s: series %s: %v", r.Method, d.Series[i].ID, err)
			}
		}
		for k, sm := range d.Summarize(r, scores, Groups) {
			if sm.Scored != sm.Series {
				t.Errorf("%s %s: %d of %d series scored", r.Method, sm.Group, sm.Scored, sm.Series)
			}
			if got := fmt.Sprintf("%.2f / %.3f", sm.Mean.SMAPE, sm.Mean.MASE); got != want[k] {
				t.Errorf("%s %s: sMAPE / MASE = %s; want %s (sMAPE %.6f, MASE %.6f)", r.Method, sm.Group, got, want[k], sm.Mean.SMAPE, sm.Mean.MASE)
			}
		}
	}
	if found != len(referenceTable) {
		t.Errorf("found %d of the %d reference methods in %s", found, len(referenceTable), ForecastsFile)
	}
}

func TestLoad(t *testing.T) {
	d := shared(t)
	counts := map[Group]int{}
	for _, s := range d.Series {
		counts[s.Group]++
		if len(s.Test) != s.Horizon {
			t.Errorf("%s: %d test values; want %d", s.ID, len(s.Test), s.Horizon)
		}
		if !(s.Scale > 0) {
			t.Errorf("%s: seasonal-naive scale %g; want > 0", s.ID, s.Scale)
		}
	}
	want := map[Group]int{Yearly: 645, Quarterly: 756, Monthly: 1428, Other: 174}
	for g, n := range want {
		if counts[g] != n {
			t.Errorf("%s: %d series; want %d", g, counts[g], n)
		}
	}
	// Spot checks against the files' first and last rows.
	y1 := d.Series[0]
	if y1.ID != "Y1" || y1.History.Values[0] != 940.66 || y1.History.Format(y1.History.Time[0]) != "1975" || y1.Test[0] != 5379.75 {
		t.Errorf("Y1 = %s, first value %v at %v, first test %v; want Y1, 940.66 at 1975, 5379.75", y1.ID, y1.History.Values[0], y1.History.Time[0], y1.Test[0])
	}
	i, ok := d.Index("Q1")
	if q := d.Series[i]; !ok || q.History.Freq.Season() != 4 || q.History.Format(q.History.Time[1]) != "1984-04" {
		t.Errorf("Q1: season %d, second time %v; want 4, 1984-04", q.History.Freq.Season(), q.History.Time[1])
	}
	i, _ = d.Index("O1")
	if o := d.Series[i]; o.History.Time != nil || o.History.Values[1] != 3021.19 || o.Season != 1 {
		t.Errorf("O1: times %v, second value %v, season %d; want an integer index, 3021.19, 1", o.History.Time != nil, o.History.Values[1], o.Season)
	}
	if m := d.InGroup(Monthly); len(m) != 1428 || d.Series[m[0]].ID != "M1" {
		t.Errorf("InGroup(Monthly) has %d series starting with %s; want 1428 from M1", len(m), d.Series[m[0]].ID)
	}
}

// TestLoadErrors checks that bad files give errors naming file, row,
// column and series.
func TestLoadErrors(t *testing.T) {
	head := "series,period,type,time,value\n"
	good := head + "Y1,YEARLY,MICRO,1975,1\nY1,YEARLY,MICRO,1976,2\nY1,YEARLY,MICRO,1977,3\n"
	goodTest := head
	for y := 1978; y < 1984; y++ {
		goodTest += fmt.Sprintf("Y1,YEARLY,MICRO,%d,4\n", y)
	}
	lateTest := head
	for y := 1979; y < 1985; y++ {
		lateTest += fmt.Sprintf("Y1,YEARLY,MICRO,%d,4\n", y)
	}
	tests := []struct {
		name, train, test, want string
	}{
		{"bad value", head + "Y1,YEARLY,MICRO,1975,x\n", goodTest, `m3_train.csv: series "Y1": row 2, column "value": cannot parse "x" as a number`},
		{"bad period", head + "Y1,WEEKLY,MICRO,1975,1\n", goodTest, `m3_train.csv: row 2: series "Y1": column "period": unknown period "WEEKLY"`},
		{"mixed period", good + "Y1,MONTHLY,MICRO,1978,1\n", goodTest, `m3_train.csv: row 5: series "Y1": period MONTHLY and type MICRO differ from its first row's (YEARLY, MICRO)`},
		{"gap", head + "Y1,YEARLY,MICRO,1975,1\nY1,YEARLY,MICRO,1977,1\nY1,YEARLY,MICRO,1978,1\n", goodTest, `m3_train.csv: series "Y1"`},
		{"times not the period", head + "M1,MONTHLY,MICRO,1975,1\nM1,MONTHLY,MICRO,1976,1\n", goodTest, `m3_train.csv: series "M1": period MONTHLY but its times are annual`},
		{"too short", head + "Y1,YEARLY,MICRO,1975,1\n", goodTest, `m3_train.csv: series "Y1": 1 history values; the seasonal naive scale (lag 1) needs at least 2`},
		{"short test", good, head + "Y1,YEARLY,MICRO,1978,4\n", `m3_test.csv: series "Y1" has 1 test values; want 6 (yearly)`},
		{"late test", good, lateTest, `m3_test.csv: series "Y1": test starts at 1979; want 1978, the step after the history`},
		{"no test", good + "Y2,YEARLY,MICRO,1975,1\nY2,YEARLY,MICRO,1976,1\n", goodTest, `m3_test.csv: series "Y2" has no test values; want 6 (yearly)`},
		{"unknown test series", good, head + "Y9,YEARLY,MICRO,1979,4\n", `m3_test.csv: series "Y9" is not in m3_train.csv`},
		{"header", "id,period,type,time,value\n", goodTest, `m3_train.csv: header column 1 is "id"; want "series"`},
		{"ragged", head + "Y1,YEARLY,1975,1\n", goodTest, `m3_train.csv: record on line 2: wrong number of fields`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, TrainFile), []byte(tt.train), 0o644)
			os.WriteFile(filepath.Join(dir, TestFile), []byte(tt.test), 0o644)
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestReadForecastsErrors(t *testing.T) {
	dir := t.TempDir()
	head := "series,period,type,time,value\n"
	train := head + "Y1,YEARLY,MICRO,1975,1\nY1,YEARLY,MICRO,1976,2\n"
	test := head
	for y := 1977; y < 1983; y++ {
		test += fmt.Sprintf("Y1,YEARLY,MICRO,%d,4\n", y)
	}
	os.WriteFile(filepath.Join(dir, TrainFile), []byte(train), 0o644)
	os.WriteFile(filepath.Join(dir, TestFile), []byte(test), 0o644)
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	fh := "method,series,step,forecast\n"
	tests := []struct{ name, body, want string }{
		{"unknown series", fh + "A,Y2,1,3\n", `row 2, column "series": unknown series "Y2"`},
		{"step", fh + "A,Y1,7,3\n", `row 2, column "step": series "Y1": step "7"; want 1..6`},
		{"value", fh + "A,Y1,1,NaN\n", `row 2, column "forecast": series "Y1": cannot parse "NaN" as a finite number`},
		{"twice", fh + "A,Y1,1,3\nA,Y1,1,3\n", `row 3: A forecasts step 1 of series "Y1" twice`},
		{"part", fh + "A,Y1,1,3\nA,Y1,2,3\n", `A forecasts 2 of the 6 steps of series "Y1"`},
		{"fields", fh + "A,Y1,1\n", `row 2: want 4 fields`},
		{"header", "m,s,t,f\n", `header "m,s,t,f"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".csv")
			os.WriteFile(p, []byte(tt.body), 0o644)
			_, err := ReadForecasts(p, d)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadForecasts: %v; want an error containing %q", err, tt.want)
			}
		})
	}
}
