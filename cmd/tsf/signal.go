package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/urfave/cli/v2"
)

// exitInterrupted is the exit status of a run stopped by SIGINT or SIGTERM:
// 128 + SIGINT, the shell's convention for Ctrl-C.
const exitInterrupted = 130

// interrupt is the cause of a context cancelled by a signal.
type interrupt struct{ sig os.Signal }

func (i interrupt) Error() string { return "interrupted by " + i.sig.String() }

// interrupted reports whether ctx was cancelled by a signal, as opposed to
// any other cancellation.
func interrupted(ctx context.Context) bool {
	var i interrupt
	return errors.As(context.Cause(ctx), &i)
}

// withInterrupt returns a context that the first SIGINT or SIGTERM cancels
// with an interrupt as its cause: training loops notice it between two
// mini-batches and the command returns. A second signal does not wait: it
// prints "tsf: interrupted" to stderr and calls exit(130). stop releases
// the signals; call it once the run has returned.
func withInterrupt(parent context.Context, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cancel(interrupt{sig})
		case <-done:
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "tsf: interrupted")
			exit(exitInterrupted)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// outputFlags name the flags whose value is a file a command writes.
var outputFlags = []string{"out", "save", "plot"}

// removeOutputsOnInterrupt wraps a command's action so that an interrupted
// run leaves no output behind: every regular file at an output path (--out,
// --save, --plot) that did not exist when the command started is removed
// once the action returns. Files are written whole or not at all (to a
// temporary file, then renamed), so what is removed is always a complete
// file written from an interrupted run, e.g. a forecast from the best
// weights so far. A directory output (tsf demo --out DIR) is left as it is:
// each file in it is complete and the demo says which were written.
func removeOutputsOnInterrupt(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		var fresh []string
		for _, f := range c.Command.Flags {
			if _, ok := f.(*cli.StringFlag); !ok || !slices.ContainsFunc(outputFlags, func(n string) bool { return slices.Contains(f.Names(), n) }) {
				continue
			}
			p := c.String(f.Names()[0])
			if p == "" || p == "-" {
				continue
			}
			if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
				fresh = append(fresh, p)
			}
		}
		err := action(c)
		if interrupted(c.Context) {
			for _, p := range fresh {
				if st, statErr := os.Lstat(p); statErr == nil && st.Mode().IsRegular() {
					os.Remove(p)
				}
			}
		}
		return err
	}
}
