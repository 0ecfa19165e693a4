package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The binaries the tests run where a process of its own matters (signals,
// the version the go command stamps, a job server that is not there) and
// the comparison with tsf: tsf-beam and tsf, built by TestMain as a user
// builds them (go build, with version-control stamping in a git checkout).
// TSF_BEAM=PATH tests that tsf-beam binary instead, an older build say,
// and TSF=PATH compares with that tsf binary (CI's, built already).
var tsfBeam, tsfBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tsf-beam-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		tsfBeam, tsfBin = filepath.Join(dir, "tsf-beam"), filepath.Join(dir, "tsf")
		builds := []struct{ out, pkg, dir string }{
			{tsfBin, "./cmd/tsf", filepath.Join("..", "..", "..")}, // the core module's root
			{tsfBeam, ".", "."},
		}
		if bin := os.Getenv("TSF_BEAM"); bin != "" {
			tsfBeam, builds = bin, builds[:1]
		}
		if bin := os.Getenv("TSF"); bin != "" {
			if tsfBin, err = filepath.Abs(bin); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			builds = builds[1:]
		}
		for _, b := range builds {
			cmd := exec.Command("go", "build", "-buildvcs=auto", "-o", b.out, b.pkg)
			cmd.Dir = b.dir
			if out, err := cmd.CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "go build %s: %v\n%s", b.pkg, err, out)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// runBin runs a binary in dir and returns its exit code, stdout and stderr.
func runBin(t *testing.T, dir, bin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), stdout.String(), stderr.String()
	case err != nil:
		t.Fatalf("%s: %v", filepath.Base(bin), err)
	}
	return 0, stdout.String(), stderr.String()
}

// TestHelpAndFlags: the built binary prints its help on standard output
// (exit 0) and answers an unknown flag with an error and a hint (exit 2);
// TestCommandLine has the details.
func TestHelpAndFlags(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}} {
		code, stdout, stderr := runBin(t, ".", tsfBeam, args...)
		if code != 0 || !strings.Contains(stdout, "\nCommands:\n  forecast ") || !strings.Contains(stdout, "\nFlags:\n") || stderr != "" {
			t.Errorf("tsf-beam %s: exit %d, stdout %.100q, stderr %q; want the help on stdout, exit 0", args[0], code, stdout, stderr)
		}
	}
	code, stdout, stderr := runBin(t, ".", tsfBeam, "--bogus")
	if want := "tsf-beam: error: unknown flag --bogus\ntsf-beam: hint: run 'tsf-beam --help' for the commands and flags\n"; code != 2 || stdout != "" || stderr != want {
		t.Errorf("tsf-beam --bogus: exit %d, stdout %q, stderr %q; want exit 2, stderr %q", code, stdout, stderr, want)
	}
}

// TestVersion: tsf-beam --version names the module version and the commit
// of the checkout it was built from, as tsf --version does.
func TestVersion(t *testing.T) {
	code, stdout, stderr := runBin(t, ".", tsfBeam, "--version")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "tsf-beam version ") || strings.Count(stdout, "\n") != 1 {
		t.Fatalf("tsf-beam --version: exit %d, stdout %q, stderr %q; want one line \"tsf-beam version ...\" and exit 0", code, stdout, stderr)
	}
	if err := exec.Command("git", "rev-parse", "HEAD").Run(); err != nil {
		t.Logf("no git checkout (%v): %s", err, stdout)
		return
	}
	if out, err := exec.Command("git", "rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) == 2 && f[0] != f[1] {
			// A linked worktree (git worktree add), whose .git is a file:
			// the go command looks for a .git directory and stamps no VCS
			// information there (golang/go#58218).
			t.Logf("a linked git worktree, where the go command stamps no commit: %s", stdout)
			return
		}
	}
	// The commit of the build, HEAD or (others commit while the tests
	// run) one of its ancestors.
	m := regexp.MustCompile(`\(commit ([0-9a-f]{40})[,;]`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("tsf-beam --version = %q; want it to name the commit", stdout)
	}
	if err := exec.Command("git", "merge-base", "--is-ancestor", m[1], "HEAD").Run(); err != nil {
		t.Errorf("tsf-beam --version names commit %s, not HEAD or an ancestor of it: %v", m[1], err)
	}
}

// TestDialTimeout: a job server that is not there (a port of 127.0.0.1
// nobody listens on) is one clear error naming it, after --dial-timeout,
// with exit code 1 and no output files; Beam itself would wait two
// minutes per connection, in silence.
func TestDialTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	writeFile(t, dir, "s.csv", "series,time,value\na,2000-01,1\na,2000-02,2\na,2000-03,3\n")
	start := time.Now()
	code, stdout, stderr := runBin(t, dir, tsfBeam, "forecast", "--id", "series", "--model", "naive", "--out", "fc",
		"--runner", "universal", "--endpoint", endpoint, "--dial-timeout", "2s", "s.csv")
	took := time.Since(start)
	want := "tsf-beam: error: cannot connect to " + endpoint + ": no answer within 2s\n" +
		"tsf-beam: hint: start the job server first (beam/README.md shows how), check --endpoint, or wait longer with --dial-timeout\n"
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and stderr:\n%s", code, stdout, stderr, want)
	}
	if took > 20*time.Second {
		t.Errorf("took %v with --dial-timeout 2s", took.Round(time.Millisecond))
	}
	if left := listDir(t, dir); len(left) != 1 {
		t.Errorf("files after the failed run: %v; want s.csv only", left)
	}
}

// TestInterrupt starts a forecast that trains for a long time, signals it
// once the pipeline runs, and checks the shell's convention as tsf keeps
// it: exit status 130 soon after the signal, one line "tsf-beam:
// interrupted" and nothing else on stderr (no Beam or Prism log lines about
// the cancelled bundles), and the output paths as they were: no forecast
// or errors file of the interrupted run, the errors file of an earlier run
// untouched, no staged file.
func TestInterrupt(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			if code, _, stderr := runBin(t, dir, tsfBin, "generate", "--kind", "sine", "--series", "4", "--n", "200", "--seed", "1", "--out", "s.csv"); code != 0 {
				t.Fatalf("tsf generate: %s", stderr)
			}
			writeFile(t, dir, "fc-errors.csv", "an earlier run's\n")
			cmd := exec.Command(tsfBeam, "forecast", "--id", "series", "--model", "lstm", "--epochs", "100000", "--patience", "100000",
				"--out", "fc", "s.csv")
			cmd.Dir = dir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			time.Sleep(2 * time.Second) // Prism runs the pipeline; the series train
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			sent := time.Now()
			err := cmd.Wait()
			took := time.Since(sent)
			t.Logf("exited %v after %v", took.Round(time.Millisecond), sig)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
				t.Errorf("after %v: %v; want exit status %d", sig, err, exitInterrupted)
			}
			if took > 5*time.Second {
				t.Errorf("exited %v after %v; want within seconds", took.Round(time.Millisecond), sig)
			}
			if stderr.String() != "tsf-beam: interrupted\n" {
				t.Errorf("stderr:\n%s\nwant the one line \"tsf-beam: interrupted\"", stderr.String())
			}
			if b, err := os.ReadFile(filepath.Join(dir, "fc-errors.csv")); string(b) != "an earlier run's\n" {
				t.Errorf("after an interrupted run, fc-errors.csv holds %.40q, %v; want the earlier run's file", b, err)
			}
			if left := listDir(t, dir); strings.Join(left, " ") != "fc-errors.csv s.csv" {
				t.Errorf("files after the interrupted run: %v; want fc-errors.csv and s.csv only", left)
			}
		})
	}
}

// TestFilesWritten: a run writes its outputs and nothing else: no staged
// file beside them, nothing in the temporary directory (Beam's universal
// runner leaves a file there at every run); when no series can be
// forecast, no forecast file, as tsf.
func TestFilesWritten(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	writeFile(t, dir, "s.csv", lines("series,time,value", monthly("a", 5), []string{"b,2000-01,x"}))
	writeFile(t, dir, "bad.csv", lines("series,time,value", []string{"b,2000-01,x"}))
	for _, tc := range []struct {
		input, summary string
		files          []string
	}{
		{"s.csv", "1 series forecast, 1 failed; 6 rows read, 0 bad; fc-00000-of-00001.csv on prism in ", []string{"fc-00000-of-00001.csv", "fc-counts.csv", "fc-errors.csv"}},
		{"bad.csv", "0 series forecast, 1 failed; 1 rows read, 0 bad; no forecasts written on prism in ", []string{"fc-counts.csv", "fc-errors.csv"}},
	} {
		for _, name := range listDir(t, dir) {
			if strings.HasPrefix(name, "fc") {
				os.Remove(filepath.Join(dir, name))
			}
		}
		cmd := exec.Command(tsfBeam, "forecast", "--id", "series", "--model", "naive", "--horizon", "2", "--out", "fc", tc.input)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
		out, err := cmd.CombinedOutput()
		if !strings.Contains(string(out), "tsf-beam: "+tc.summary) || err == nil {
			t.Errorf("%s: %v, output:\n%s\nwant exit 1 and the summary %q", tc.input, err, out, tc.summary)
		}
		want := append([]string{"bad.csv"}, tc.files...)
		want = append(want, "s.csv")
		if got := listDir(t, dir); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: files %v; want %v", tc.input, got, want)
		}
		if got := listDir(t, tmp); len(got) > 0 {
			t.Errorf("%s: left %v in the temporary directory", tc.input, got)
		}
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// listDir lists the names in dir, hidden ones included, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
