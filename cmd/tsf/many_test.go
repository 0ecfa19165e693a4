package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runTSF runs the CLI in-process and returns its exit code, stdout and stderr.
func runTSF(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"tsf"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// writeLong writes a long file of generated series plus one with a bad
// cell ("bad", at row 1 + series·n + 2) and returns its path.
func writeLong(t *testing.T, series, n int) string {
	t.Helper()
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.csv")
	if code, _, stderr := runTSF(t, "generate", "--kind", "sine", "--series", itoa(series), "--n", itoa(n), "--seed", "3", "--out", gen); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	b, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, "bad,2000-01,1\nbad,2000-02,oops\nbad,2000-03,2\n"...)
	path := filepath.Join(dir, "long.csv")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func itoa(n int) string { return strconv.Itoa(n) }

// The --json document of forecast --id: a record per series, failed ones
// with their error and no forecast.
func TestManyJSON(t *testing.T) {
	path := writeLong(t, 3, 40)
	code, stdout, stderr := runTSF(t, "forecast", path, "--id", "series", "--model", "theta", "--horizon", "5", "--json", "-q")
	if code != 1 {
		t.Fatalf("exit %d; want 1 for the bad series (stderr %s)", code, stderr)
	}
	if !strings.Contains(stderr, `series "bad": row 123, column "value": cannot parse "oops"`) {
		t.Errorf("stderr does not name the bad cell:\n%s", stderr)
	}
	var doc struct {
		IDColumn string `json:"id_column"`
		Model    string `json:"model"`
		Horizon  int    `json:"horizon"`
		Series   []struct {
			ID       string                       `json:"id"`
			Model    string                       `json:"model"`
			Strategy string                       `json:"strategy"`
			Forecast []map[string]json.RawMessage `json:"forecast"`
			Error    string                       `json:"error"`
		} `json:"series"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("--json: %v\n%s", err, stdout)
	}
	if doc.IDColumn != "series" || doc.Model != "theta" || doc.Horizon != 5 || len(doc.Series) != 4 {
		t.Fatalf("document %+v; want id_column series, model theta, horizon 5, 4 series", doc)
	}
	for i, s := range doc.Series[:3] {
		if s.ID != "s"+itoa(i+1) || s.Error != "" || s.Model != "theta" || len(s.Forecast) != 5 {
			t.Errorf("series %d: %+v", i, s)
			continue
		}
		for _, k := range []string{"time", "value", "lo80", "hi80", "lo95", "hi95"} {
			if v, ok := s.Forecast[0][k]; !ok || string(v) == "null" {
				t.Errorf("series %s step 1: %s = %s", s.ID, k, v)
			}
		}
	}
	if bad := doc.Series[3]; bad.ID != "bad" || !strings.Contains(bad.Error, `row 123, column "value"`) || bad.Forecast != nil {
		t.Errorf("bad series record %+v", bad)
	}
}

// Local neural models per series: the same bytes with 1 and 2 workers.
func TestManyWorkersSameOutput(t *testing.T) {
	path := writeLong(t, 4, 60)
	var outs []string
	for _, w := range []string{"1", "2"} {
		code, stdout, stderr := runTSF(t, "forecast", path, "--id", "series", "--model", "lstm", "--epochs", "2", "--hidden", "4",
			"--horizon", "3", "--workers", w, "-q")
		if code != 1 || strings.Count(stderr, "tsf: error: ") != 2 {
			t.Fatalf("workers %s: exit %d, stderr %s; want the bad series and the summary", w, code, stderr)
		}
		if n := strings.Count(stdout, "\n"); n != 1+4*3 {
			t.Fatalf("workers %s: %d lines; want a header and 12 rows:\n%s", w, n, stdout)
		}
		outs = append(outs, stdout)
	}
	if outs[0] != outs[1] {
		t.Errorf("output differs with 1 and 2 workers:\n%s\n%s", outs[0], outs[1])
	}
}
