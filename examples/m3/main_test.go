package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// writeTiny writes an M3-shaped data set of two yearly series and one
// other series, with NAIVE2 and THETA rows of forecasts.
func writeTiny(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	head := "series,period,type,time,value\n"
	var train, test, fc strings.Builder
	train.WriteString(head)
	test.WriteString(head)
	fc.WriteString("method,series,step,forecast\n")
	for _, id := range []string{"Y1", "Y2"} {
		for y := range 15 {
			fmt.Fprintf(&train, "%s,YEARLY,MICRO,%d,%d\n", id, 1980+y, 100+y*y%9)
		}
		for k := range 6 {
			fmt.Fprintf(&test, "%s,YEARLY,MICRO,%d,%d\n", id, 1995+k, 110+k)
			fmt.Fprintf(&fc, "NAIVE2,%s,%d,105\nTHETA,%s,%d,%d\n", id, k+1, id, k+1, 108+k)
		}
	}
	for i := range 30 {
		fmt.Fprintf(&train, "O1,OTHER,MICRO,%d,%d\n", i+1, 50+i%4)
	}
	for k := range 8 {
		fmt.Fprintf(&test, "O1,OTHER,MICRO,%d,52\n", 31+k)
		fmt.Fprintf(&fc, "NAIVE2,O1,%d,53\nTHETA,O1,%d,52.5\n", k+1, k+1)
	}
	for name, body := range map[string]string{"m3_train.csv": train.String(), "m3_test.csv": test.String(), "m3_forecasts.csv": fc.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunWithoutData(t *testing.T) {
	var stdout, stderr bytes.Buffer
	dir := filepath.Join(t.TempDir(), "absent")
	if err := run(context.Background(), []string{"-data", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("run without data = %v; want nil (skip)", err)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "not found") {
		t.Errorf("without data: stdout %q, stderr %q; want nothing and a message", stdout.String(), stderr.String())
	}
}

func TestRunUsage(t *testing.T) {
	dir := writeTiny(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown model", []string{"-models", "prophet"}, `unknown model "prophet"`},
		{"unknown group", []string{"-groups", "weekly"}, `-groups: unknown group "weekly"`},
		{"all is no group", []string{"-groups", "all"}, `-groups: unknown group "all"`},
		{"short combo", []string{"-models", "combo:ets"}, `a combination needs at least two members`},
		{"unknown competitor", []string{"-competitors", "PROPHET"}, `-competitors: unknown M3 method "PROPHET" (have NAIVE2, THETA)`},
		{"workers", []string{"-workers", "-1"}, `-workers -1`},
		{"extra argument", []string{"x"}, `unexpected argument "x"`},
		{"bad param", []string{"-p", "lstm"}, `"lstm" is not MODEL:key=value`},
		{"param of no model", []string{"-models", "naive", "-p", "lstm:epochs=2"}, `-p: model "lstm" is not among -models`},
		{"unknown param", []string{"-models", "naive", "-p", "naive:epochs=2"}, `naive: unknown parameter "epochs"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), append([]string{"-data", dir}, tc.args...), &stdout, &stderr)
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%v) = %v; want a usage error containing %q", tc.args, err, tc.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("run(%v) printed %q; want nothing on a usage error", tc.args, stdout.String())
			}
		})
	}
}

func TestRunTiny(t *testing.T) {
	dir := writeTiny(t)
	out := t.TempDir()
	per := filepath.Join(out, "per.csv")
	var stdout, stderr bytes.Buffer
	args := []string{"-data", dir, "-models", "naive,combo:naive+drift", "-competitors", "THETA", "-per-series", per, "-plot", out}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	got := stdout.String()
	for _, want := range []string{
		"M3 yearly: 2 series, horizon 6",
		"M3 other: 1 series, horizon 8",
		"M3 all 3 series (plain mean over series)",
		"tsf naive ", "tsf drift ", "tsf combo:naive+drift ", "submitted to M3", "THETA",
		"| method | yearly | other | all |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	// drift, a member of the combination, is shown before it.
	if strings.Index(got, "tsf drift") > strings.Index(got, "tsf combo") {
		t.Errorf("the member drift comes after the combination:\n%s", got)
	}
	raw, err := os.ReadFile(per)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if want := 1 + 3*4; len(lines) != want || lines[0] != "series,group,type,method,smape,mase,cover80,cover95,msis,error" {
		t.Errorf("per-series file: %d lines, header %q; want %d lines (3 series × 4 methods)", len(lines), lines[0], want)
	}
	for _, g := range []string{"yearly", "other", "all"} {
		if _, err := os.Stat(filepath.Join(out, "m3-"+g+"-mase.png")); err != nil {
			t.Errorf("plot for %s: %v", g, err)
		}
	}
}

// shortModel refuses every series shorter than 20 points (the yearly
// series of writeTiny have 15).
type shortModel struct{ forecast.Forecaster }

func (m shortModel) Fit(ctx context.Context, s *dataset.Series) error {
	if s.Len() < 20 {
		return &forecast.ShortError{What: "series", Have: s.Len(), Need: 20, Why: "the test model"}
	}
	return m.Forecaster.Fit(ctx, s)
}

func init() {
	forecast.Register("m3cmdtest-short", func(forecast.Options) (forecast.Forecaster, error) {
		return shortModel{forecast.NewNaive()}, nil
	})
}

// TestRunFailures checks that a series a model cannot forecast is named
// on stderr, the others are scored, and the exit is an error.
func TestRunFailures(t *testing.T) {
	dir := writeTiny(t)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-data", dir, "-models", "naive,m3cmdtest-short", "-groups", "yearly", "-competitors", "none"}, &stdout, &stderr)
	if !errors.Is(err, errFailed) {
		t.Fatalf("run = %v; want errFailed\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), `m3: m3cmdtest-short: 2 yearly series could not be forecast`) || !strings.Contains(stderr.String(), `series "Y1"`) {
		t.Errorf("stderr does not name the failures:\n%s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "0/2") || !strings.Contains(stdout.String(), "tsf naive ") {
		t.Errorf("stdout lacks the naive row or lstm's 0/2:\n%s", stdout.String())
	}
}

// TestRunM3 runs the command on the real data for the cheap models on
// the yearly and other groups, where tsf's naive is the competition's
// NAIVE2: its row must print NAIVE2's digits.
func TestRunM3(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "m3")
	if _, err := os.Stat(filepath.Join(dir, "m3_train.csv")); err != nil {
		t.Skipf("M3 data not found at %s: %v", dir, err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-data", dir, "-models", "naive", "-groups", "other,yearly", "-competitors", "NAIVE2"}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "| tsf naive | 17.88 / 3.172 | 6.30 / 3.089 |") || !strings.Contains(stdout.String(), "| NAIVE2 | 17.88 / 3.172 | 6.30 / 3.089 |") {
		t.Errorf("overview lacks naive and NAIVE2 at 17.88 / 3.172 and 6.30 / 3.089:\n%s", stdout.String())
	}
}
