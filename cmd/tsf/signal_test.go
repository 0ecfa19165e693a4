package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildTSF builds the tsf command into dir as a user would (go build, with
// version-control stamping where the source is a git checkout) and returns
// its path.
func buildTSF(t *testing.T, dir string) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build tsf: %v", err)
	}
	bin := filepath.Join(dir, "tsf")
	if out, err := exec.Command(goCmd, "build", "-buildvcs=auto", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestBinary runs the built binary where a process of its own matters:
// signals, the version stamped by the go command, shell completion.
func TestBinary(t *testing.T) {
	bin := buildTSF(t, t.TempDir())
	t.Run("interrupt", func(t *testing.T) { testInterrupt(t, bin) })
	t.Run("version", func(t *testing.T) { testVersion(t, bin) })
	t.Run("completion", func(t *testing.T) { testCompletion(t, bin) })
}

// testInterrupt starts the built binary on a forecast that trains for a
// long time, signals it once training has run a few epochs, and checks the
// shell's convention: exit status 130 within a second of the signal,
// "tsf: interrupted" on stderr, and the output paths as they were: no
// forecast that the run would have written from its best weights so far,
// the model file of an earlier run untouched, no temporary file.
func testInterrupt(t *testing.T, bin string) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			series := filepath.Join(dir, "s.csv")
			if out, err := exec.Command(bin, "generate", "--kind", "sine", "--n", "600", "--seed", "1", "--out", series).CombinedOutput(); err != nil {
				t.Fatalf("tsf generate: %v\n%s", err, out)
			}
			// No --plot: drawing the picture that is then removed is the
			// slowest part of stopping (see removeOutputsOnInterrupt), and
			// --plot is removed exactly like --out and --save.
			outs := []string{filepath.Join(dir, "fc.csv"), filepath.Join(dir, "m.tsf")}
			// A model file from an earlier run must survive.
			if err := os.WriteFile(outs[1], []byte("old model\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, "forecast", series, "--hidden", "16", "--epochs", "100000", "--patience", "100000", "--verbose",
				"--out", outs[0], "--save", outs[1])
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			// --verbose says "tsf: series ..." just before training starts.
			var errText bytes.Buffer
			lines := bufio.NewScanner(stderr)
			for lines.Scan() {
				errText.WriteString(lines.Text() + "\n")
				if strings.HasPrefix(lines.Text(), "tsf: series ") {
					break
				}
			}
			time.Sleep(1500 * time.Millisecond) // a few epochs: a best model exists
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			sent := time.Now()
			for lines.Scan() {
				errText.WriteString(lines.Text() + "\n")
			}
			err = cmd.Wait()
			took := time.Since(sent)
			t.Logf("exited %v after %v", took.Round(time.Millisecond), sig)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
				t.Errorf("after %v: exit %v; want status %d\nstderr:\n%s", sig, err, exitInterrupted, errText.String())
			}
			if took > time.Second {
				t.Errorf("exited %v after %v; want within a second", took.Round(time.Millisecond), sig)
			}
			if !strings.Contains(errText.String(), "tsf: interrupted\n") {
				t.Errorf("stderr does not say \"tsf: interrupted\":\n%s", errText.String())
			}
			if _, err := os.Stat(outs[0]); err == nil {
				t.Errorf("an interrupted run left %s", filepath.Base(outs[0]))
			}
			if b, err := os.ReadFile(outs[1]); err != nil || string(b) != "old model\n" {
				t.Errorf("after an interrupted run, %s holds %.20q, %v; want the earlier run's file", filepath.Base(outs[1]), b, err)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "s.csv" && e.Name() != "m.tsf" {
					t.Errorf("an interrupted run left %s in the output directory", e.Name())
				}
			}
		})
	}
}

// TestInterruptedContext checks the exit code's source: a context cancelled
// by a signal is an interruption (130), any other cancellation is not; and
// that an interrupted command's output paths are left as they were, while a
// finished one's are replaced with nothing left beside them.
func TestInterruptedContext(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(interrupt{Signal: syscall.SIGINT})
	if !interrupted(ctx) {
		t.Error("interrupted(ctx cancelled by SIGINT) = false; want true")
	}
	ctx, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if interrupted(ctx) {
		t.Error("interrupted(ctx cancelled without a signal) = true; want false")
	}
	var stdout, stderr bytes.Buffer
	ctx, cancel = context.WithCancelCause(context.Background())
	cancel(interrupt{Signal: syscall.SIGTERM})
	if code := run(ctx, []string{"tsf", "generate", "--kind", "sine", "--n", "100"}, strings.NewReader(""), &stdout, &stderr); code != exitInterrupted {
		t.Errorf("run after SIGTERM = %d; want %d", code, exitInterrupted)
	}
	if got := stderr.String(); got != "tsf: interrupted\n" {
		t.Errorf("stderr = %q; want \"tsf: interrupted\\n\"", got)
	}

	dir := t.TempDir()
	old, fresh := filepath.Join(dir, "old.csv"), filepath.Join(dir, "new.csv")
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		code  int
		old   string // what old.csv must hold afterwards
		fresh bool   // whether new.csv must exist
	}{
		{"interrupted", ctx, exitInterrupted, "old\n", false},
		{"finished", context.Background(), exitOK, "", true},
	} {
		if err := os.WriteFile(old, []byte("old\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Remove(fresh)
		for _, out := range []string{old, fresh} {
			if code := run(tc.ctx, []string{"tsf", "generate", "--kind", "sine", "--n", "50", "--out", out}, strings.NewReader(""), &stdout, &stderr); code != tc.code {
				t.Errorf("%s: run = %d; want %d", tc.name, code, tc.code)
			}
		}
		b, _ := os.ReadFile(old)
		if tc.old != "" && string(b) != tc.old || tc.old == "" && !strings.HasPrefix(string(b), "time,value\n") {
			t.Errorf("%s: old.csv holds %.30q afterwards", tc.name, b)
		}
		if _, err := os.Stat(fresh); (err == nil) != tc.fresh {
			t.Errorf("%s: new.csv exists: %v; want %v", tc.name, err == nil, tc.fresh)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != "old.csv" && e.Name() != "new.csv" {
				t.Errorf("%s: %s left beside the outputs", tc.name, e.Name())
			}
		}
	}
}

// An interrupted tsf train saves nothing and says nothing of saving: the
// old model file stays, and stderr has no "saved" line (it used to print
// "saved global lstm model" although the file was put back).
func TestInterruptedTrainSavesNothing(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, "long.csv")
	if code, _, stderr := runTSF(t, "generate", "--kind", "sine", "--series", "20", "--n", "200", "--seed", "1", "--out", long); code != 0 {
		t.Fatal(stderr)
	}
	for _, args := range [][]string{
		{"train", long, "--id", "series", "--model", "lstm", "--global", "--patience", "100000"},
		{"train", long, "--id", "series"},
	} {
		model := filepath.Join(dir, "m.tsf")
		if err := os.WriteFile(model, []byte("old model\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancelCause(context.Background())
		timer := time.AfterFunc(1500*time.Millisecond, func() { cancel(interrupt{Signal: syscall.SIGINT}) })
		var stdout, stderr bytes.Buffer
		code := run(ctx, append([]string{"tsf"}, append(args, "--epochs", "100000", "--horizon", "6", "--save", model)...), strings.NewReader(""), &stdout, &stderr)
		timer.Stop()
		if code != exitInterrupted || strings.Contains(stderr.String(), "saved") {
			t.Errorf("%v: exit %d, stderr %q; want %d and no word of saving", args, code, stderr.String(), exitInterrupted)
		}
		if b, _ := os.ReadFile(model); string(b) != "old model\n" {
			t.Errorf("%v: the model file holds %q; want the old one", args, b)
		}
	}
}
