package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown model", []string{"-data", dir, "-models", "prophet"}, `unknown model "prophet"`},
		{"bad param", []string{"-data", dir, "-p", "hidden"}, `"hidden" is not key=value`},
		{"no series", []string{"-data", dir, "-series", "nile"}, `matches none of the series`},
		{"extra argument", []string{"-data", dir, "x"}, `unexpected argument "x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr)
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) = %v; want a usage error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestRunAirline(t *testing.T) {
	data := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "airline_passengers.csv")); err != nil {
		data = filepath.Join("..", "data") // the copy in the repository
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-data", data, "-series", "airline", "-models", "snaive,ets"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	// The protocol's seasonal naive on airline, as the reference measured it.
	if !strings.Contains(stdout.String(), "| airline_passengers | 2.468 | 1.213 | 1.041 | 0.946 | 2.193 | 2.380 | 1.213 |") {
		t.Errorf("MASE table row does not show seasonal naive 1.213:\n%s", stdout.String())
	}
}
