package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// exitInterrupted is the exit status of a run stopped by SIGINT or SIGTERM:
// 128 + SIGINT, the shell's convention for Ctrl-C, as tsf's.
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
// with an interrupt as its cause: the runner cancels the job, and the run
// returns without writing its outputs. A second signal does not wait: it
// prints "tsf-beam: interrupted" to stderr and calls exit(130). stop
// releases the signals; call it once the run has returned.
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
			fmt.Fprintln(stderr, "tsf-beam: interrupted")
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

// quietOnInterrupt is a log handler that drops every record once ctx is
// cancelled: a cancelled job makes Beam and Prism log each failing bundle
// as an error, which is no news to whoever pressed Ctrl-C.
type quietOnInterrupt struct {
	slog.Handler
	ctx context.Context
}

func (q quietOnInterrupt) Enabled(ctx context.Context, l slog.Level) bool {
	return q.ctx.Err() == nil && q.Handler.Enabled(ctx, l)
}

func (q quietOnInterrupt) Handle(ctx context.Context, r slog.Record) error {
	if q.ctx.Err() != nil || shutdownNoise(r) {
		return nil
	}
	return q.Handler.Handle(ctx, r)
}

// shutdownNoise reports whether r is Prism's warning that a worker's
// control stream ended (error "context canceled"), which it sometimes logs
// while shutting down a finished job: news to nobody, and it made the
// output of identical runs differ (about one run in a hundred).
func shutdownNoise(r slog.Record) bool {
	return r.Level < slog.LevelError && r.Message == "Control done"
}

func (q quietOnInterrupt) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietOnInterrupt{q.Handler.WithAttrs(attrs), q.ctx}
}

func (q quietOnInterrupt) WithGroup(name string) slog.Handler {
	return quietOnInterrupt{q.Handler.WithGroup(name), q.ctx}
}
