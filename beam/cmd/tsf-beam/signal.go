package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/tsf-go/tsf/internal/signals"
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
// with an interrupt as its cause: the runner cancels the job, and the run
// returns without writing its outputs. A second signal does not wait: it
// prints "tsf-beam: interrupted" and exits 130 (signals.Notify).
func withInterrupt(parent context.Context, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	return signals.Notify(parent, stderr, "tsf-beam", exit)
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
