package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// TestIsNumberIsTheLoaders holds isNumber, which finds the target columns
// of the whole input in the read stage, to the core loader's decision: a
// column of one cell is a target exactly when that cell is a number.
func TestIsNumberIsTheLoaders(t *testing.T) {
	for _, v := range []string{
		"1", "-1", "+1", " 2 ", "\t3\t", "1.5", ".5", "5.", "1e3", "1E-3", "-1.5e+300", "1e400", "-1e400", "1e-400",
		"0x1p-2", "0x1P+4", "0x10", "0X1p0", "1_000", "0x_1p0", "Inf", "-inf", "+Infinity", "NaN", "nan", "NA", "N/A",
		"null", "None", "", " ", "-", "+", ".", "e5", "1e", "1-2", "2000-01", "2000-01-01", "12:30", "1,5", "1 2",
		"abc", "ff", "0xZ", "\u00a01\u00a0", "\u20031", "١", "1\u00a0", "--1", "+-1", "1e+-2", "0x1p--2", "\u00a0-1",
	} {
		_, err := dataset.ReadRecords("x.csv", []string{"id", "v"}, [][]string{{"a", v}}, nil,
			dataset.Options{IDColumn: "id", NoTime: true, Missing: dataset.MissingDrop})
		loader := !errors.Is(err, dataset.ErrColumn) // "no value columns" when v holds no number
		if got := isNumber(v); got != loader {
			t.Errorf("isNumber(%q) = %v; the loader says %v (%v)", v, got, loader, err)
		}
		if got := isNumber([]byte(v)); got != loader {
			t.Errorf("isNumber([]byte(%q)) = %v; the loader says %v", v, got, loader)
		}
	}
}

// TestReadFindsNumberColumns: the read stage reports the columns with a
// number in some well-formed row, leaving out the id, time and covariate
// columns the options name, on both of its paths (plain lines and
// encoding/csv after the first quote).
func TestReadFindsNumberColumns(t *testing.T) {
	text := "series,kind,time,value,promo,extra\n" +
		"a,shop,2000-01,,,\n" +
		"a,shop,2000-02,1,,\n" +
		"a,shop,2000-03,2,,5,ragged\n" +
		"b,\"web\",2000-01,3,\"4\",\n"
	for _, tc := range []struct {
		o    dataset.Options
		want string
	}{
		{dataset.Options{IDColumn: "series"}, "value promo"},
		{dataset.Options{IDColumn: "series", Covariates: []string{"promo"}}, "value"},
		{dataset.Options{IDColumn: "value"}, "promo"},
	} {
		n := &numberScan{}
		err := readRows(strings.NewReader(text), inputFile{Path: "in.csv"}, tc.o, 10, n, func(string, chunk) {}, func(int32, string, string) {})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(n.found, " "); got != tc.want {
			t.Errorf("%+v: number columns %q; want %q", tc.o, got, tc.want)
		}
	}
}

// TestCheckInputs: a file the pipeline cannot start on is tsf's error for
// it (the core loader's, on the whole file), before the pipeline runs; a
// header-only file is no error beside a file with data.
func TestCheckInputs(t *testing.T) {
	dir := t.TempDir()
	file := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	data := file("data.csv", "series,time,value\na,2000-01,1\na,2000-02,2\n")
	header := file("header.csv", "\ufeffseries,time,value\r\n")
	for _, tc := range []struct {
		name string
		text string
		o    dataset.Options
	}{
		{"empty", "", dataset.Options{}},
		{"blank lines", "\n\n", dataset.Options{}},
		{"header only", "series,time,value\n", dataset.Options{}},
		{"bad quote in the header", "series,ti\"me,value\na,1,2\n", dataset.Options{}},
		{"no id column", "store,time,value\na,2000-01,1\n", dataset.Options{}},
		{"no target column", "series,time,value\na,2000-01,1\n", dataset.Options{Targets: []string{"sales"}}},
		{"no time column", "series,time,value\na,2000-01,1\n", dataset.Options{TimeColumn: "date"}},
		{"no covariate column", "series,time,value\na,2000-01,1\n", dataset.Options{Covariates: []string{"promo"}}},
		{"duplicate names", "series,value,value\na,1,2\n", dataset.Options{}},
		{"empty name", "series,,value\na,1,2\n", dataset.Options{}},
		{"target is the id", "series,time,value\na,2000-01,1\n", dataset.Options{Targets: []string{"series"}}},
		{"only an id", "series\na\n", dataset.Options{}},
	} {
		tc.o.IDColumn = "series"
		path := file(tc.name+".csv", tc.text)
		_, want := dataset.ReadCSV(path, tc.o)
		err := CheckInputs(context.Background(), []string{path}, Config{Read: tc.o})
		if err == nil || want == nil || err.Error() != want.Error() {
			t.Errorf("%s: CheckInputs = %v; want the loader's %v", tc.name, err, want)
		}
	}
	if err := CheckInputs(context.Background(), []string{header, data}, Config{Read: dataset.Options{IDColumn: "series"}}); err != nil {
		t.Errorf("a header-only file beside data: %v; want no error", err)
	}
	err := CheckInputs(context.Background(), []string{header, header}, Config{Read: dataset.Options{IDColumn: "series"}})
	if want := header + ": header only, no data rows: no data (and so are the other 1 input files)"; err == nil || err.Error() != want || !errors.Is(err, dataset.ErrEmpty) {
		t.Errorf("only header-only files: %v; want %q", err, want)
	}
}

// TestExpandKeepsArgumentOrder: the inputs are read in the order of the
// arguments, each glob's matches sorted, a file matched twice once.
func TestExpandKeepsArgumentOrder(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.csv", "a.csv", "c1.csv", "c0.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := func(names ...string) []string {
		for i, n := range names {
			names[i] = filepath.Join(dir, n)
		}
		return names
	}
	got, err := Expand(context.Background(), in("b.csv", "c*.csv", "a.csv", "c0.csv"))
	if want := in("b.csv", "c0.csv", "c1.csv", "a.csv"); err != nil || !slices.Equal(got, want) {
		t.Errorf("Expand = %v, %v; want %v", got, err, want)
	}
	if _, err := Expand(context.Background(), in("nope*.csv")); err == nil || !errors.Is(err, os.ErrNotExist) || !strings.HasSuffix(err.Error(), "nope*.csv: no such file or directory") {
		t.Errorf("a glob without matches: %v; want tsf's \"no such file or directory\"", err)
	}
}

// TestSeriesAcrossFiles: a series whose rows are in two files is one
// series, and its errors name each file a row they cite is in.
func TestSeriesAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	one := write("one.csv", "series,time,value\na,2000-01,1\na,2000-02,\nb,2000-01,1\nb,2000-02,2\nb,2000-03,3\n")
	two := write("two.csv", "series,time,value\nb,2000-03,4\na,2000-03,3\na,2000-04,\n")
	out := filepath.Join(dir, "fc")
	c := run(t, Config{Inputs: []string{one, two}, Read: dataset.Options{IDColumn: "series"}, Model: Model{Name: "naive", Horizon: 2}, Out: out})
	if c.Series != 0 || c.Failed != 2 {
		t.Errorf("counts %+v; want 2 failed", c)
	}
	want := map[string]string{
		"a": one + `: series "a": 1 missing values (1 in column "value"): row 3 column "value"; ` +
			two + `: series "a": 1 missing values (1 in column "value"): row 4 column "value"; choose a missing-value policy: drop, ffill or interpolate`,
		"b": two + `: series "b": row 2, column "time": timestamp "2000-03" duplicates the timestamp "2000-03" of row 6 of ` + one +
			`; each series' times must be distinct: time index not strictly increasing`,
	}
	for _, r := range readCSV(t, ErrorsName(out))[1:] {
		if r[1] != want[r[0]] {
			t.Errorf("series %s: %s\nwant %s", r[0], r[1], want[r[0]])
		}
	}
	if _, err := os.Stat(ShardName(out, 0, 1)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no series forecast, yet a forecast file: %v", err)
	}
}

// TestRunWritesWholeOrNothing: a cancelled run writes no output and leaves
// an earlier run's as they were, with no staged file beside them.
func TestRunWritesWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	path := writeLong(t, dir, 3, 24, false)
	out := filepath.Join(dir, "fc")
	if err := os.WriteFile(ErrorsName(out), []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, "prism", Config{Inputs: []string{path}, Read: dataset.Options{IDColumn: "series"}, Model: Model{Name: "naive"}, Out: out}); err == nil {
		t.Fatal("Run with a cancelled context succeeded")
	}
	if b, _ := os.ReadFile(ErrorsName(out)); string(b) != "earlier\n" {
		t.Errorf("the earlier errors file holds %q", b)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "long.csv" && e.Name() != "fc-errors.csv" {
			t.Errorf("a cancelled run left %s", e.Name())
		}
	}
}
