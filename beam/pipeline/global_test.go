package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// small are the training settings that keep the global models' tests fast.
var small = map[string]string{"epochs": "2", "hidden": "8"}

// TestGlobalMatchesPredictEach: with a global model (the default, hybrid,
// and a neural model with Global), the pipeline fits ONE model on every
// series and its forecast file is byte for byte what FitGlobal of the same
// model on the series dataset.Read loads, then PredictEach and
// WriteLongCSV write (the code path of `tsf forecast --id`): on a
// generated long file whose rows are shuffled (so the series' order is
// that of their first rows, not the file's blocks), and on monthly M3
// series.
func TestGlobalMatchesPredictEach(t *testing.T) {
	inputs := []struct {
		name   string
		series int
		path   func(t *testing.T, dir string) string
		read   dataset.Options
		h      int
	}{
		{"generated", 12, func(t *testing.T, dir string) string { return writeLong(t, dir, 12, 48, true) }, dataset.Options{IDColumn: "series"}, 6},
		{"generated, the season's horizon", 12, func(t *testing.T, dir string) string { return writeLong(t, dir, 12, 48, true) }, dataset.Options{IDColumn: "series"}, 0},
		{"m3", 4, func(t *testing.T, dir string) string { return m3Subset(t, dir, 4) },
			dataset.Options{IDColumn: "series", TimeColumn: "time", Targets: []string{"value"}}, 18},
	}
	models := []Model{
		{Name: "hybrid", Seed: 3, Params: small},
		{Name: "lstm", Global: true, Seed: 3, Params: small},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			dir := t.TempDir()
			path := in.path(t, dir)
			for _, m := range models {
				if in.h == 0 && m.Name != "hybrid" {
					continue
				}
				m.Horizon = in.h
				t.Run(m.Name, func(t *testing.T) {
					out := filepath.Join(dir, m.Name)
					c := run(t, Config{Inputs: []string{path}, Read: in.read, Model: m, Workers: 2, Out: out})
					got, want := read(t, ShardName(out, 0, 1)), reference(t, path, in.read, m, "")
					if !bytes.Equal(got, want) {
						t.Errorf("pipeline forecast differs from FitGlobal + PredictEach:\n got %.300s\nwant %.300s", got, want)
					}
					h := in.h
					if h == 0 {
						h = 12 // the monthly season
					}
					if n := bytes.Count(want, []byte("\n")); n != in.series*h+1 {
						t.Errorf("reference has %d lines; want a header and %d steps for each of %d series", n, h, in.series)
					}
					if c.Series != int64(in.series) || c.Failed != 0 {
						t.Errorf("counts %+v; want %d series, 0 failed", c, in.series)
					}
					if _, err := os.Stat(modelReportName(out)); !errors.Is(err, os.ErrNotExist) {
						t.Errorf("the model report was kept: %v", err)
					}
				})
			}
		})
	}
}

// TestGlobalLeavesOutFailedSeries: a series that cannot be loaded is not
// trained on and goes to the errors file; the others' forecasts are those
// of the model fitted on them alone.
func TestGlobalLeavesOutFailedSeries(t *testing.T) {
	dir := t.TempDir()
	good := writeLong(t, dir, 5, 40, false)
	text := strings.Replace(string(read(t, good)), "series,time,value\n", "series,time,value\nbad,2000-01,1\nbad,2000-02,x\n", 1)
	path := filepath.Join(dir, "with-bad.csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	m := Model{Name: "hybrid", Horizon: 4, Seed: 2, Params: small}
	out := filepath.Join(dir, "fc")
	c := run(t, Config{Inputs: []string{path}, Read: dataset.Options{IDColumn: "series"}, Model: m, Out: out})
	if got, want := read(t, ShardName(out, 0, 1)), reference(t, good, dataset.Options{IDColumn: "series"}, m, ""); !bytes.Equal(got, want) {
		t.Errorf("forecasts beside a bad series differ from the model fitted on the good ones:\n got %.300s\nwant %.300s", got, want)
	}
	recs := readCSV(t, ErrorsName(out))
	if len(recs) != 2 || recs[1][0] != "bad" || !strings.Contains(recs[1][1], `row 3, column "value"`) {
		t.Errorf("errors file %q; want the bad series with its row", recs)
	}
	if c.Series != 5 || c.Failed != 1 {
		t.Errorf("counts %+v; want 5 series, 1 failed", c)
	}
}

// TestModelStageFails: a global fit that fails, series of different
// seasons without a horizon, and a model file that cannot be read fail the
// run with tsf's message, as a *ModelError that wraps the failure's
// sentinel, and write nothing (an earlier run's files stay as they were).
func TestModelStageFails(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	short := write("short.csv", "series,time,value\na,2000-01,1\na,2000-02,2\na,2000-03,3\nb,2000-01,4\nb,2000-02,5\nb,2000-03,6\n")
	mixed := write("mixed.csv", "series,time,value\nm,2000-01,1\nm,2000-02,2\nm,2000-03,3\nd,2000-01-01,1\nd,2000-01-02,2\nd,2000-01-03,3\n")
	notModel := write("not-a-model.tsf", "hello\n")
	for _, tc := range []struct {
		name     string
		cfg      Config
		want     string
		sentinel error
	}{
		{"too short for the network", Config{Inputs: []string{short}, Model: Model{Name: "lstm", Global: true, Horizon: 2, Params: small}},
			short + ": ", forecast.ErrTooShort},
		{"different seasons", Config{Inputs: []string{mixed}, Model: Model{Name: "hybrid", Params: small}},
			mixed + `: series of different frequencies (daily (series "d"), monthly (series "m")): no common default horizon`, ErrNoHorizon},
		{"no model file", Config{Inputs: []string{short}, ModelFile: filepath.Join(dir, "nope.tsf")},
			"model file " + filepath.Join(dir, "nope.tsf") + ": no such file or directory", os.ErrNotExist},
		{"not a model file", Config{Inputs: []string{short}, ModelFile: notModel}, "model file " + notModel + ": ", forecast.ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "fc")
			write("fc-errors.csv", "earlier\n")
			tc.cfg.Read, tc.cfg.Out = dataset.Options{IDColumn: "series"}, out
			_, err := Run(context.Background(), "prism", tc.cfg)
			var me *ModelError
			if !errors.As(err, &me) || !strings.HasPrefix(err.Error(), tc.want) || !errors.Is(err, tc.sentinel) {
				t.Errorf("Run = %v; want a *ModelError starting %q, wrapping %v", err, tc.want, tc.sentinel)
			}
			if b, _ := os.ReadFile(ErrorsName(out)); string(b) != "earlier\n" {
				t.Errorf("the earlier errors file holds %q", b)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "fc") && e.Name() != "fc-errors.csv" || strings.HasPrefix(e.Name(), ".") {
					t.Errorf("a failed run left %s", e.Name())
				}
			}
		})
	}
}
