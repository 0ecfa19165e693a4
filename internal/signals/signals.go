// Package signals is how tsf and tsf-beam stop on Ctrl-C or SIGTERM: the
// first signal cancels the run's context with an Interrupt as its cause,
// the run returns and the program exits with ExitCode; a second signal
// does not wait.
package signals

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// ExitCode is the exit status of a run stopped by SIGINT or SIGTERM:
// 128 + SIGINT, the shell's convention for Ctrl-C.
const ExitCode = 130

// Interrupt is the cause of a context cancelled by a signal.
type Interrupt struct{ Signal os.Signal }

// Error says which signal interrupted the run.
func (i Interrupt) Error() string { return "interrupted by " + i.Signal.String() }

// Interrupted reports whether ctx was cancelled by a signal, as opposed to
// any other cancellation.
func Interrupted(ctx context.Context) bool {
	var i Interrupt
	return errors.As(context.Cause(ctx), &i)
}

// Notify returns a context that the first SIGINT or SIGTERM cancels with an
// Interrupt as its cause. A second signal does not wait: it prints
// "<program>: interrupted" to stderr and calls exit(ExitCode). stop
// releases the signals; call it once the run has returned.
func Notify(parent context.Context, stderr io.Writer, program string, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cancel(Interrupt{sig})
		case <-done:
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(stderr, program+": interrupted")
			exit(ExitCode)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}
