package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestCommandLine: help goes to standard output with exit 0 (the whole
// program's, or a command's flags), and a mistake in the command line is
// one `tsf-beam: error:` line and a `tsf-beam: hint:` line on standard
// error, exit 2, as tsf reports its own.
func TestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args   string
		code   int
		stdout string // a line that must be in stdout
		stderr string // stderr, exactly
	}{
		{"--help", 0, "  forecast   fit ONE global model on every series (the default, hybrid, or", ""},
		{"-h", 0, "  tsf-beam forecast [flags] FILE.csv|GLOB ...", ""},
		{"help", 0, "  --version    print the version and the commit tsf-beam was built from", ""},
		{"help backtest", 0, "  -folds FOLDS", ""},
		{"forecast --help", 0, "  -dial-timeout duration", ""},
		{"forecast -h", 0, "usage: tsf-beam forecast [flags] FILE.csv|GLOB ...", ""},
		{"--version", 0, "tsf-beam version ", ""},
		{"--bogus", 2, "", "tsf-beam: error: unknown flag --bogus\ntsf-beam: hint: run 'tsf-beam --help' for the commands and flags\n"},
		{"-x forecast", 2, "", "tsf-beam: error: unknown flag -x\ntsf-beam: hint: run 'tsf-beam --help' for the commands and flags\n"},
		{"predict a.csv", 2, "", "tsf-beam: error: unknown command \"predict\"\ntsf-beam: hint: run 'tsf-beam --help' for the list of commands\n"},
		{"forecast --bogus 1 a.csv", 2, "", "tsf-beam: error: unknown flag --bogus\ntsf-beam: hint: run 'tsf-beam forecast --help' for the flags\n"},
		{"forecast --id s --out fc --horizon x a.csv", 2, "",
			"tsf-beam: error: invalid value \"x\" for flag -horizon: parse error\ntsf-beam: hint: run 'tsf-beam forecast --help' for the flags\n"},
		{"forecast --id s --out fc --parallelism x a.csv", 2, "",
			"tsf-beam: error: invalid value \"x\" for flag -parallelism: parse error\ntsf-beam: hint: run 'tsf-beam --help' for Beam's flags\n"},
		{"forecast --id s --out fc --dial-timeout 0s a.csv", 2, "",
			"tsf-beam: error: invalid value 0s for flag --dial-timeout\ntsf-beam: hint: --dial-timeout is a positive duration, e.g. 30s\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), strings.Fields(tc.args), &stdout, &stderr)
		if code != tc.code || !strings.Contains(stdout.String(), tc.stdout) || stderr.String() != tc.stderr {
			t.Errorf("tsf-beam %s: exit %d, stdout %.200q, stderr %q; want exit %d, stdout with %q, stderr %q",
				tc.args, code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
	// No command: the help, on standard error, as a usage error.
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), nil, &stdout, &stderr); code != 2 || stdout.Len() != 0 || stderr.String() != help {
		t.Errorf("tsf-beam: exit %d, stdout %q, stderr %.80q; want exit 2 and the help on stderr", code, stdout.String(), stderr.String())
	}
}

// TestIsWorker: Beam's container boot runs the binary as a worker with
// --worker=true and no command; a command is never a worker.
func TestIsWorker(t *testing.T) {
	for args, want := range map[string]bool{
		"--worker=true --id=1 --logging_endpoint=a:1 --control_endpoint=a:2": true,
		"-worker --id 1":                   true,
		"forecast --worker --id s a.csv":   false,
		"--help":                           false,
		"--workers 2":                      false,
		"":                                 false,
		"--bogus -- --worker":              false,
		"--semi_persist_dir=/tmp --worker": true,
	} {
		if got := isWorker(strings.Fields(args)); got != want {
			t.Errorf("isWorker(%q) = %v; want %v", args, got, want)
		}
	}
}
