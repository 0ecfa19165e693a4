package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// monthly returns n rows id,YYYY-MM,value of a monthly series starting in
// January 2000, values 10, 11, ..., as lines.
func monthly(id string, n int) []string {
	rows := make([]string, n)
	for k := range n {
		rows[k] = fmt.Sprintf("%s,%d-%02d,%d", id, 2000+k/12, k%12+1, 10+k%7)
	}
	return rows
}

// lines joins rows into a file's text, a header first.
func lines(header string, rows ...[]string) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	for _, r := range rows {
		for _, l := range r {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestAgreesWithTSF runs `tsf forecast FILE --id ...` and `tsf-beam
// forecast --id ... FILE` on the same odd inputs and compares what a user
// sees: the exit code, the messages and the forecast file.
//
// What the two print differs by design, and is normalised here:
//   - The prefixes "tsf: " and "tsf-beam: ".
//   - tsf names every series that failed on standard error; tsf-beam writes
//     them to PREFIX-errors.csv: the errors file's messages are compared
//     with tsf's `error:` lines, as sets (tsf lists the series that failed
//     to load before those that failed to forecast; the errors file orders
//     all by their first row).
//   - The summaries: tsf's closing "N of M series could not be forecast" /
//     "none of the N series ..." line and its hint, tsf-beam's "N series
//     forecast, M failed; ..." and "the failed series ... are in" lines.
//   - Hints are compared when tsf-beam stops on an error of its own (a
//     file it cannot start on, a bad command line); for failed series it
//     gives none (the errors file has the messages).
//   - The forecast file: tsf's --out against tsf-beam's one shard,
//     PREFIX-00000-of-00001.csv; when no series was forecast neither is
//     written.
//   - tsf reads one file: where tsf-beam reads several, tsf reads their
//     concatenation (in argument order, one header), so its row numbers
//     are those of the concatenation; those rows say in want what tsf-beam
//     prints instead.
func TestAgreesWithTSF(t *testing.T) {
	const h = "series,time,value"
	a, b := monthly("a", 14), monthly("b", 14)
	good := lines(h, a, b)
	shuffled := []string{a[3], b[0], a[0], b[13], a[13], b[2]}
	shuffled = append(shuffled, a[1:3]...)
	shuffled = append(shuffled, a[4:13]...)
	shuffled = append(shuffled, b[1])
	shuffled = append(shuffled, b[3:13]...)
	with := func(rows []string, k int, row string) []string { // rows with row k replaced
		return slices.Concat(rows[:k], []string{row}, rows[k+1:])
	}
	cases := []struct {
		name  string
		files []string // file texts, in1.csv, in2.csv, ...
		order []int    // the files' order in the arguments, from 1; default as in files
		flags string   // flags for both (after --id series --model naive --horizon 3 --quiet)
		// want, if set, is tsf-beam's message where tsf's differs by
		// design (several files); the exit codes and outputs still agree.
		want string
		// hints: tsf-beam's hint differs (tsf-beam reads no stdin).
		hints bool
		// design, if set, says why the two differ by design: then tsf-beam
		// says want, or (no want) exits as tsf and says what tsf says, and
		// more.
		design string
	}{
		{name: "two series", files: []string{good}},
		{name: "rows in any order", files: []string{lines(h, shuffled)}},
		{name: "CRLF", files: []string{strings.ReplaceAll(good, "\n", "\r\n")}},
		{name: "byte-order mark", files: []string{"\ufeff" + good}},
		{name: "BOM and CRLF", files: []string{"\ufeff" + strings.ReplaceAll(good, "\n", "\r\n")}},
		{name: "empty lines", files: []string{"\n" + strings.Replace(good, "a,2000-05", "\n\na,2000-05", 1) + "\n\n"}},
		{name: "quoted ids with a comma", files: []string{lines(h, a, []string{`"b,1",2000-01,3`, `"b,1",2000-02,"4"`, `"b,1",2000-03,5`})}},
		{name: "quoted value with a newline", files: []string{lines(h, a, []string{"b,2000-01,3", "b,2000-02,\"4\n\"", "b,2000-03,5"})}},
		{name: "ids differing by spaces", files: []string{lines(h, a, monthly(" a", 5), monthly("a ", 4))}},
		{name: "spaces around values", files: []string{lines(h, []string{"a,2000-01, 1 ", "a,2000-02,\t2", "a, 2000-03 ,3"})}},
		{name: "single-point series", files: []string{lines(h, a, monthly("one", 1))}},
		{name: "single-point series, theta", files: []string{lines(h, a, monthly("one", 1))}, flags: "--model theta"},
		{name: "negative values, ets", files: []string{lines(h, a, []string{"n,2000-01,-3", "n,2000-02,-1.5", "n,2000-03,-4", "n,2000-04,-2", "n,2000-05,-3.5", "n,2000-06,-1"})}, flags: "--model ets"},
		{name: "duplicate timestamp", files: []string{lines(h, a, b, []string{"b,2001-02,99"})}},
		{name: "NaN cell", files: []string{lines(h, with(a, 4, "a,2000-05,NaN"), b)}},
		{name: "NA cell, --missing ffill", files: []string{lines(h, with(a, 4, "a,2000-05,NA"), b)}, flags: "--missing ffill"},
		{name: "bad number cell", files: []string{lines(h, with(a, 2, "a,2000-03,n/a?"), b)}},
		{name: "infinite cell", files: []string{lines(h, with(a, 2, "a,2000-03,Inf"), b)}},
		{name: "missing target column", files: []string{good}, flags: "--target sales"},
		{name: "missing id column", files: []string{strings.Replace(good, "series,", "store,", 1)}},
		{name: "ragged row", files: []string{lines(h, with(a, 2, "a,2000-03,12,extra"), b)}},
		{name: "short row", files: []string{lines(h, a, with(b, 5, "b,2000-06"))}},
		{name: "empty id", files: []string{lines(h, a, []string{",2000-01,4"}, b)}},
		{name: "header only", files: []string{h + "\n"}},
		{name: "empty file", files: []string{""}},
		{name: "all-missing series", files: []string{lines(h, a, []string{"m,2000-01,", "m,2000-02,", "m,2000-03,"}, b)}},
		{name: "all-missing file", files: []string{lines(h, []string{"m,2000-01,", "m,2000-02,"})}},
		{name: "text in a number column", files: []string{lines("series,time,value,promo", []string{"a,2000-01,1,0", "a,2000-02,2,1", "a,2000-03,3,0", "t,2000-01,1,x", "t,2000-02,2,y", "t,2000-03,3,z"})}},
		{name: "text attribute column", files: []string{lines("series,kind,time,value", []string{"a,shop,2000-01,1", "a,shop,2000-02,2", "a,shop,2000-03,3", "b,web,2000-01,4", "b,web,2000-02,5", "b,web,2000-03,6"})}},
		{name: "two value columns", files: []string{lines("series,time,sales,returns", []string{"a,2000-01,1,0", "a,2000-02,2,1", "a,2000-03,3,0"})}},
		{name: "gap", files: []string{lines(h, slices.Concat(a[:5], a[6:]), b)}},
		{name: "gap, --gaps fill", files: []string{lines(h, slices.Concat(a[:5], a[6:]), b)}, flags: "--gaps fill"},
		{name: "integer time index", files: []string{lines("series,t,value", []string{"a,1,5", "a,2,6", "a,3,7", "b,1,1", "b,2,2"})}},
		{name: "yearly and daily series", files: []string{lines(h, []string{"y,2001,5", "y,2002,6", "y,2003,7", "d,2000-01-01,1", "d,2000-01-02,2", "d,2000-01-03,3"})}},
		{name: "bad timestamp", files: []string{lines(h, with(a, 3, "a,2000-13,4"), b)}},
		{name: "semicolons", files: []string{strings.ReplaceAll(good, ",", ";")}, flags: "--delimiter ;"},
		{name: "duplicate column names", files: []string{lines("series,value,value", []string{"a,1,2"})}},
		{name: "bare quote", files: []string{lines(h, with(a, 2, `a,2000-0"3,12`), b)},
			design: "a row that is not CSV fails tsf's whole file; tsf-beam reports it as a bad row and goes on (beam/README.md), so series a then has a gap and b is forecast"},
		{name: "row without its id field", files: []string{lines("time,value,series", []string{"2000-01,5,a", "2000-02,7,a", "2000-03,4", "2000-04,6,a", "2000-01,9,b", "2000-02,8,b"})},
			design: "as a bare quote: a row tsf-beam cannot key is a bad row of its own, not the file's failure"},
		// Both prefer the column of dates to one of integers (b's values
		// 1, 2 look like an integer index), so both forecast a and b.
		{name: "values that look like a time index", files: []string{lines("series,value,time", []string{"a,1,2000-01", "a,2,2000-02", "a,4,2000-03", "b,1,2000-01", "b,2,2000-02"})}},
		{name: "no such file", files: nil, hints: true},
		{name: "input order: the arguments', not the names'", files: []string{lines(h, a), lines(h, b)}, order: []int{2, 1}},
		{name: "a series in two files", files: []string{lines(h, a[:8], b), lines(h, a[6:])},
			want: `in2.csv: series "a": row 2, column "time": timestamp "2000-07" duplicates the timestamp "2000-07" of row 8 of in1.csv; ` +
				`each series' times must be distinct: time index not strictly increasing`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for i, text := range tc.files {
				writeFile(t, dir, fmt.Sprintf("in%d.csv", i+1), text)
			}
			order := tc.order
			if order == nil {
				for i := range tc.files {
					order = append(order, i+1)
				}
			}
			var inputs []string
			concat := ""
			for k, i := range order {
				inputs = append(inputs, fmt.Sprintf("in%d.csv", i))
				text := tc.files[i-1]
				if k > 0 {
					_, text, _ = strings.Cut(text, "\n")
				}
				concat += text
			}
			input := "in1.csv"
			switch len(tc.files) {
			case 0:
				inputs = []string{"in1.csv"} // not there
			case 1:
			default:
				input = "all.csv"
				writeFile(t, dir, input, concat)
			}
			common := append([]string{"--id", "series", "--model", "naive", "--horizon", "3", "--quiet"}, strings.Fields(tc.flags)...)
			tCode, _, tErr := runBin(t, dir, tsfBin, slices.Concat([]string{"forecast", input}, common, []string{"--out", "tsf.csv"})...)
			bCode, _, bErr := runBin(t, dir, tsfBeam, slices.Concat([]string{"forecast"}, common, []string{"--out", "beam"}, inputs)...)
			tMsgs, tHints := tsfMessages(tErr)
			bMsgs, bHints, own := beamMessages(t, bErr, filepath.Join(dir, "beam-errors.csv"))
			if tc.design != "" {
				t.Logf("differs by design: %s", tc.design)
				if tc.want != "" {
					tMsgs = []string{tc.want}
				} else if tCode != bCode {
					t.Errorf("exit code: tsf %d, tsf-beam %d\ntsf:\n%stsf-beam:\n%s", tCode, bCode, tErr, bErr)
				}
				for _, m := range tMsgs {
					if !slices.Contains(bMsgs, m) {
						t.Errorf("tsf-beam does not say %q\ntsf-beam: %q", m, bMsgs)
					}
				}
				return
			}
			if tCode != bCode {
				t.Errorf("exit code: tsf %d, tsf-beam %d\ntsf:\n%stsf-beam:\n%s", tCode, bCode, tErr, bErr)
			}
			if tc.want != "" {
				tMsgs = []string{tc.want}
			}
			if strings.Join(tMsgs, "\n") != strings.Join(bMsgs, "\n") {
				t.Errorf("messages differ\n     tsf: %q\ntsf-beam: %q\ntsf-beam's stderr:\n%s", tMsgs, bMsgs, bErr)
			}
			if own && !tc.hints && strings.Join(tHints, "\n") != strings.Join(bHints, "\n") {
				t.Errorf("hints differ\n     tsf: %q\ntsf-beam: %q", tHints, bHints)
			}

			tOut, tErrOut := os.ReadFile(filepath.Join(dir, "tsf.csv"))
			bOut, bErrOut := os.ReadFile(filepath.Join(dir, "beam-00000-of-00001.csv"))
			switch {
			case tErrOut != nil && bErrOut != nil: // neither wrote one
			case tErrOut != nil || bErrOut != nil:
				t.Errorf("forecast file: tsf's %v, tsf-beam's %v; want both or neither", tErrOut, bErrOut)
			case !bytes.Equal(tOut, bOut):
				t.Errorf("forecast files differ\n     tsf:\n%s\ntsf-beam:\n%s", tOut, bOut)
			}
			for _, name := range listDir(t, dir) {
				if strings.HasPrefix(name, ".") {
					t.Errorf("%s left in the output directory", name)
				}
			}
		})
	}
}

// tsfSummary matches tsf's closing lines about many series, whose hint
// follows them.
var tsfSummary = regexp.MustCompile(`^tsf: error: (\d+ of \d+ series could not be (forecast|loaded)|none of the \d+ series (of .+ )?could be (forecast|loaded)) \(each named above\)$`)

// tsfMessages returns tsf's error messages (sorted) and hints, without the
// prefix and the many-series summary.
func tsfMessages(stderr string) (msgs, hints []string) {
	skipHint := false
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		switch {
		case l == "":
		case tsfSummary.MatchString(l):
			skipHint = true
		case strings.HasPrefix(l, "tsf: error: "):
			msgs = append(msgs, strings.TrimPrefix(l, "tsf: error: "))
		case strings.HasPrefix(l, "tsf: hint: "):
			if !skipHint {
				hints = append(hints, strings.TrimPrefix(l, "tsf: hint: "))
			}
			skipHint = false
		default:
			msgs = append(msgs, "unexpected line: "+l)
		}
	}
	slices.Sort(msgs)
	return msgs, hints
}

// beamSummary matches tsf-beam's summary lines.
var beamSummary = regexp.MustCompile(`^tsf-beam: (\d+ series forecast, \d+ failed; .*|the failed series and bad rows, with their reasons, are in .*)$`)

// beamMessages returns tsf-beam's error messages: those on stderr and the
// errors file's (sorted), its hints, and whether it stopped on an error of
// its own (an error line on stderr).
func beamMessages(t *testing.T, stderr, errorsFile string) (msgs, hints []string, own bool) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		switch {
		case l == "" || beamSummary.MatchString(l):
		case strings.HasPrefix(l, "tsf-beam: error: "):
			msgs = append(msgs, strings.TrimPrefix(l, "tsf-beam: error: "))
			own = true
		case strings.HasPrefix(l, "tsf-beam: hint: "):
			hints = append(hints, strings.TrimPrefix(l, "tsf-beam: hint: "))
		default:
			msgs = append(msgs, "unexpected line: "+l)
		}
	}
	if b, err := os.ReadFile(errorsFile); err == nil {
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("errors file: %v", err)
		}
		for _, r := range recs[1:] {
			msgs = append(msgs, r[1])
		}
	}
	slices.Sort(msgs)
	return msgs, hints, own
}

// TestBacktestAgreesWithTSF runs `tsf backtest FILE --id ...` and `tsf-beam
// backtest --id ...` on the same long file, where one model (mlp) fails on
// a series too short for its windows and another series cannot be loaded,
// and compares their aggregate tables: both average every model over the
// same series, those every model with scores backtested
// (forecast.AggregateBacktests), so the tables agree model by model. The
// seconds, a wall time, are not compared, nor the columns one of them
// lacks (tsf's table has no failed, mae or rmse).
func TestBacktestAgreesWithTSF(t *testing.T) {
	dir := t.TempDir()
	var rows []string
	for _, s := range []struct {
		id string
		n  int
	}{{"a", 40}, {"short", 14}, {"b", 30}} {
		for k := range s.n {
			rows = append(rows, fmt.Sprintf("%s,%d-%02d,%g", s.id, 2000+k/12, k%12+1, 10+float64(k%7)+float64(k%5)/4))
		}
	}
	rows = append(rows, "bad,2000-01,1", "bad,2000-02,n/a?", "bad,2000-03,3")
	writeFile(t, dir, "in.csv", lines("series,time,value", rows))
	common := []string{"--id", "series", "--models", "naive,mlp", "--horizon", "3", "--folds", "2", "--epochs", "3"}
	tCode, tOut, tErr := runBin(t, dir, tsfBin, slices.Concat([]string{"backtest", "in.csv", "--json", "--quiet"}, common)...)
	bCode, _, bErr := runBin(t, dir, tsfBeam, slices.Concat([]string{"backtest", "--quiet", "--out", "bt"}, common, []string{"in.csv"})...)
	if tCode != 1 || bCode != 1 {
		t.Fatalf("exit codes: tsf %d, tsf-beam %d; want 1 (a series failed)\ntsf:\n%stsf-beam:\n%s", tCode, bCode, tErr, bErr)
	}
	if !strings.Contains(tErr, `series "short": backtest mlp`) {
		t.Fatalf("mlp did not fail on series short:\n%s", tErr)
	}
	f := func(v *float64) string {
		if v == nil || math.IsNaN(*v) {
			return "-"
		}
		return strconv.FormatFloat(*v, 'g', 6, 64)
	}
	var doc struct {
		Models []struct {
			Model                               string
			SMAPE, MASE, Cover80, Cover95, MSIS *float64
			Series                              int
		}
	}
	if err := json.Unmarshal([]byte(tOut), &doc); err != nil {
		t.Fatalf("tsf --json: %v\n%s", err, tOut)
	}
	var tsfTable []string
	for _, m := range doc.Models {
		tsfTable = append(tsfTable, strings.Join([]string{m.Model, strconv.Itoa(m.Series), f(m.SMAPE), f(m.MASE), f(m.Cover80), f(m.Cover95), f(m.MSIS)}, " "))
	}
	b, err := os.ReadFile(filepath.Join(dir, "bt-aggregate.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var beamTable []string
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	for _, r := range recs[1:] {
		num := func(name string) string {
			if r[col[name]] == "" {
				return "-"
			}
			v, err := strconv.ParseFloat(r[col[name]], 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return f(&v)
		}
		beamTable = append(beamTable, strings.Join([]string{r[col["model"]], r[col["series"]], num("smape"), num("mase"), num("cover80"), num("cover95"), num("msis95")}, " "))
	}
	if strings.Join(tsfTable, "\n") != strings.Join(beamTable, "\n") {
		t.Errorf("aggregate tables differ (model series smape mase cover80 cover95 msis)\n     tsf:\n%s\ntsf-beam:\n%s",
			strings.Join(tsfTable, "\n"), strings.Join(beamTable, "\n"))
	}
}
