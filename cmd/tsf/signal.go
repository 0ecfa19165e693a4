package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/tsf-go/tsf/internal/signals"
	"github.com/urfave/cli/v2"
)

// exitInterrupted is the exit status of a run stopped by SIGINT or SIGTERM
// (signals.ExitCode, 130).
const exitInterrupted = signals.ExitCode

// interrupt is the cause of a context cancelled by a signal.
type interrupt = signals.Interrupt

// interrupted reports whether ctx was cancelled by a signal, as opposed to
// any other cancellation.
func interrupted(ctx context.Context) bool { return signals.Interrupted(ctx) }

// withInterrupt returns a context that the first SIGINT or SIGTERM cancels
// with an interrupt as its cause: training loops notice it between two
// mini-batches and the command returns. A second signal does not wait: it
// prints "tsf: interrupted" and exits 130 (signals.Notify).
func withInterrupt(parent context.Context, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	return signals.Notify(parent, stderr, "tsf", exit)
}

// outputFlags name the flags whose value is a file a command writes.
var outputFlags = []string{"out", "save", "plot"}

// removeOutputsOnInterrupt wraps a command's action so that an interrupted
// run leaves its output paths (--out, --save, --plot) as they were before it
// started: a file it created is removed, a file it replaced is put back.
// Files are written whole or not at all (to a temporary file, then
// renamed), so what is undone is always a complete file written from an
// interrupted run, e.g. a forecast from the best weights so far. A
// directory output (tsf demo --out DIR) is left as it is: each file in it
// is complete and the demo says which were written.
func removeOutputsOnInterrupt(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		var guards []outputGuard
		for _, f := range c.Command.Flags {
			if _, ok := f.(*cli.StringFlag); !ok || !slices.ContainsFunc(outputFlags, func(n string) bool { return slices.Contains(f.Names(), n) }) {
				continue
			}
			if p := c.String(f.Names()[0]); p != "" && p != "-" {
				guards = append(guards, guardOutput(p))
			}
		}
		err := action(c)
		undo := interrupted(c.Context)
		for _, g := range guards {
			g.release(undo)
		}
		return err
	}
}

// outputGuard remembers what was at an output path before a command ran.
type outputGuard struct {
	path string
	// fresh says that nothing was there.
	fresh bool
	// backup is a hard link to the regular file that was there, beside it,
	// or "" (nothing to restore, or the file system refused the link).
	backup string
}

// guardOutput records what is at path now.
func guardOutput(path string) outputGuard {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return outputGuard{path: path, fresh: true}
	case err != nil || !st.Mode().IsRegular():
		return outputGuard{path: path} // a directory or a device: left alone
	}
	backup := filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.tsf-keep-%d", filepath.Base(path), os.Getpid()))
	if os.Link(path, backup) != nil {
		return outputGuard{path: path}
	}
	return outputGuard{path: path, backup: backup}
}

// release drops the record; with undo, it first puts the path back as it
// was: it removes a regular file that was not there, or renames the old
// file back over the one that replaced it.
func (g outputGuard) release(undo bool) {
	if g.fresh {
		if st, err := os.Lstat(g.path); undo && err == nil && st.Mode().IsRegular() {
			os.Remove(g.path)
		}
		return
	}
	if g.backup == "" {
		return
	}
	now, err1 := os.Lstat(g.path)
	old, err2 := os.Lstat(g.backup)
	if undo && err2 == nil && (err1 != nil || !os.SameFile(now, old)) {
		os.Rename(g.backup, g.path) // atomic: a reader sees the new file or the old one
		return
	}
	os.Remove(g.backup)
}
