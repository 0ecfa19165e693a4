package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

func TestMain(m *testing.M) {
	beamlog.LogLevel = "warn" // Prism's progress lines only in a failure's output
	beam.Init()
	// Beam's universal runner leaves a beamloopbackworker-* file in the
	// temporary directory: give the tests one of their own.
	tmp, err := os.MkdirTemp("", "tsf-beam-pipeline-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TMPDIR", tmp)
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// writeLong writes n ManySines series of length points as a long CSV
// (series,time,value) with the rows of all series shuffled when shuffle
// is set, and returns its path.
func writeLong(t *testing.T, dir string, n, length int, shuffle bool) string {
	t.Helper()
	cfg := dataset.ManySinesConfig{Series: n, N: length, Seed: 7}
	var rows []string
	for i := range n {
		s := dataset.ManySines(cfg, i)
		for k, v := range s.Values {
			rows = append(rows, fmt.Sprintf("%s,%s,%s\n", s.ID, s.Format(s.Time[k]), strconv.FormatFloat(v, 'g', 8, 64)))
		}
	}
	if shuffle {
		rng := rand.New(rand.NewPCG(1, 2))
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	path := filepath.Join(dir, "long.csv")
	if err := os.WriteFile(path, []byte("series,time,value\n"+strings.Join(rows, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, cfg Config) Counts {
	t.Helper()
	c, err := Run(context.Background(), "prism", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// m3Subset writes the first n monthly M3 series of ../shared/data/m3 with
// at least 90 points (rows as they are, columns
// series,period,type,time,value; the local LSTM's default window and
// horizon 18 need about 60) to dir, or skips the test when the shared data
// is absent.
func m3Subset(t *testing.T, dir string, n int) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "data", "m3", "m3_train.csv"))
	if err != nil {
		t.Skipf("M3 data not found beside the repository (../shared/data/m3): %v", err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	var b strings.Builder
	b.WriteString(lines[0])
	rows := map[string][]string{}
	var ids []string
	for _, l := range lines[1:] {
		id, _, _ := strings.Cut(l, ",")
		if !strings.HasPrefix(id, "M") {
			continue
		}
		if rows[id] == nil {
			ids = append(ids, id)
		}
		rows[id] = append(rows[id], l)
	}
	for _, id := range ids {
		if n > 0 && len(rows[id]) >= 90 {
			b.WriteString(strings.Join(rows[id], ""))
			n--
		}
	}
	path := filepath.Join(dir, "m3_monthly.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// modelFile trains a small global LSTM on all series of path (as
// `tsf train --id --global` does), saves it and returns the file's path.
func modelFile(t *testing.T, path string, read dataset.Options, h int) string {
	t.Helper()
	fr, err := dataset.ReadCSV(path, read)
	if err != nil {
		t.Fatal(err)
	}
	m, err := forecast.New("lstm", forecast.Options{Global: true, Horizon: h, Seed: 5, Params: map[string]string{"epochs": "2", "hidden": "8"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.(forecast.GlobalFitter).FitGlobal(context.Background(), fr.Series); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "model.tsf")
	if err := forecast.Save(file, m.(forecast.Persistent)); err != nil {
		t.Fatal(err)
	}
	return file
}

// reference returns what `tsf forecast --id` (or, with a model file,
// `tsf predict --id`) writes for the file: ForecastEach (PredictEach) on
// the series dataset.Read loads, then WriteLongCSV; for a global model,
// FitGlobal of the model on every series, then PredictEach.
func reference(t *testing.T, path string, read dataset.Options, m Model, file string) []byte {
	t.Helper()
	fr, err := dataset.ReadCSV(path, read)
	if err != nil {
		t.Fatal(err)
	}
	h := m.HorizonFor(fr.Series[0])
	var res []forecast.SeriesForecast
	switch {
	case file != "":
		f, err := forecast.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		if m.Horizon == 0 {
			h = forecast.TrainedHorizon(f)
		}
		res = forecast.PredictEach(context.Background(), f.(forecast.HistoryPredictor), fr.Series, h, 2, nil)
	case m.IsGlobal():
		f, err := forecast.New(m.Name, m.Options(m.Name, h))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.(forecast.GlobalFitter).FitGlobal(context.Background(), fr.Series); err != nil {
			t.Fatal(err)
		}
		res = forecast.PredictEach(context.Background(), f.(forecast.HistoryPredictor), fr.Series, h, 2, nil)
	default:
		newModel, err := forecast.IntervalFactory(m.Name, m.Options(m.Name, h), forecast.ConformalConfig{Horizon: h, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		res = forecast.ForecastEach(context.Background(), fr.Series, newModel, h, 2, nil)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("reference: %v", r.Err)
		}
	}
	var buf bytes.Buffer
	if err := forecast.WriteLongCSV(&buf, read.IDColumn, res); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestForecastMatchesForecastEach: the pipeline's forecast file (one
// shard) is byte for byte what ForecastEach + WriteLongCSV write (the code
// path of `tsf forecast --id`), and with a model file what PredictEach +
// WriteLongCSV write (`tsf predict --id`): on a generated long file whose
// rows are shuffled, and on monthly M3 series, for ets, theta, a local
// LSTM and a global LSTM's model file.
func TestForecastMatchesForecastEach(t *testing.T) {
	lstm := Model{Name: "lstm", Seed: 3, Params: map[string]string{"epochs": "2", "hidden": "8"}}
	inputs := []struct {
		name   string
		series int
		path   func(t *testing.T, dir string) string
		read   dataset.Options
		h      int
	}{
		{"generated", 6, func(t *testing.T, dir string) string { return writeLong(t, dir, 6, 48, true) }, dataset.Options{IDColumn: "series"}, 0},
		{"m3", 4, func(t *testing.T, dir string) string { return m3Subset(t, dir, 4) },
			dataset.Options{IDColumn: "series", TimeColumn: "time", Targets: []string{"value"}}, 18},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			dir := t.TempDir()
			path := in.path(t, dir)
			for _, m := range []Model{{Name: "ets"}, {Name: "theta"}, lstm, {Name: "file"}} {
				m.Horizon = in.h
				var file string
				if m.Name == "file" {
					file = modelFile(t, path, in.read, max(in.h, 12))
				}
				if !slices.Contains(forecast.Names(), m.Name) && file == "" {
					t.Logf("model %s is not registered: skipped", m.Name)
					continue
				}
				t.Run(m.Name, func(t *testing.T) {
					out := filepath.Join(dir, m.Name)
					c := run(t, Config{Inputs: []string{path}, Read: in.read, Model: m, ModelFile: file, Workers: 2, Out: out})
					got, want := read(t, ShardName(out, 0, 1)), reference(t, path, in.read, m, file)
					if !bytes.Equal(got, want) {
						t.Errorf("pipeline forecast differs from the many-series functions':\n got %.300s\nwant %.300s", got, want)
					}
					if n := bytes.Count(want, []byte("\n")); n < in.series*max(in.h, 12)+1 {
						t.Errorf("reference has %d lines; want a header and %d steps for each of %d series", n, max(in.h, 12), in.series)
					}
					if c.Series != int64(in.series) || c.Failed != 0 {
						t.Errorf("counts %+v; want %d series, 0 failed", c, in.series)
					}
				})
			}
		})
	}
}

// TestBadRowsAndFailingSeries: bad rows and series that cannot be loaded or
// forecast go to the errors file, each named with its reason and its row
// in the input file, and cost nothing else: the good series' forecasts are
// the bytes ForecastEach + WriteLongCSV writes for them alone.
func TestBadRowsAndFailingSeries(t *testing.T) {
	dir := t.TempDir()
	good := writeLong(t, dir, 4, 36, false)
	clean := strings.Split(strings.TrimSpace(string(read(t, good))), "\n")
	// Interleave bad series between the good ones (line numbers in the
	// comments count the header as line 1).
	var b strings.Builder
	b.WriteString(clean[0] + "\n")
	lines := 1
	add := func(rows ...string) {
		for _, r := range rows {
			b.WriteString(r + "\n")
			lines++
		}
	}
	add(clean[1:37]...) // s1
	add("notanumber,2000-01,1", "notanumber,2000-02,x", "notanumber,2000-03,3")
	badCell := lines - 1
	add(clean[37:73]...) // s2
	add("short,2000-01,5")
	add("ragged,2000-01,1", "ragged,2000-02,2,extra", "ragged,2000-03,3")
	raggedRow := lines - 1
	add(",2000-01,4")
	emptyID := lines
	add(clean[73:]...) // s3, s4
	add("dup,2000-01,1", "dup,2000-01,2")
	dupRow := lines
	path := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	m := Model{Name: "theta"}
	c := run(t, Config{Inputs: []string{path}, Read: dataset.Options{IDColumn: "series"}, Model: m, Workers: 2, Shards: 1, Out: out})
	if got, want := read(t, ShardName(out, 0, 1)), reference(t, good, dataset.Options{IDColumn: "series"}, m, ""); !bytes.Equal(got, want) {
		t.Errorf("the good series' forecasts changed beside the bad ones:\n got %.300s\nwant %.300s", got, want)
	}
	want := map[string][]string{
		"notanumber": {fmt.Sprintf(`bad.csv: series "notanumber": row %d, column "value"`, badCell), `"x"`},
		"short":      {`series "short"`, "1 point"},
		"ragged":     {fmt.Sprintf(`bad.csv: series "ragged": row %d: has 4 fields, the header has 3`, raggedRow)},
		"":           {fmt.Sprintf(`bad.csv: row %d, column "series": empty series id`, emptyID)},
		"dup":        {fmt.Sprintf(`bad.csv: series "dup": row %d, column "time"`, dupRow), fmt.Sprintf("of row %d", dupRow-1)},
	}
	recs := readCSV(t, ErrorsName(out))
	if len(recs) != len(want)+1 || strings.Join(recs[0], ",") != "series,error" {
		t.Fatalf("errors file:\n%v\nwant a header and %d rows", recs, len(want))
	}
	for _, r := range recs[1:] {
		subs, ok := want[r[0]]
		if !ok {
			t.Errorf("unexpected error row %q", r)
			continue
		}
		for _, sub := range subs {
			if !strings.Contains(r[1], sub) {
				t.Errorf("error of series %q = %q; want it to contain %q", r[0], r[1], sub)
			}
		}
	}
	if c.Series != 4 || c.Failed != int64(len(want)) || c.BadRows != 1 || c.Rows != int64(lines-1) {
		t.Errorf("counts %+v; want 4 series, %d failed, 1 bad row, %d rows", c, len(want), lines-1)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(read(t, path))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
