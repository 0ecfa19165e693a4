package signals_test

import (
	"context"
	"fmt"
	"syscall"

	"github.com/tsf-go/tsf/internal/signals"
)

// A context cancelled by a signal is told from one cancelled otherwise.
func Example() {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(signals.Interrupt{Signal: syscall.SIGINT})
	other, stop := context.WithCancel(context.Background())
	stop()
	fmt.Println(signals.Interrupted(ctx), signals.Interrupted(other), context.Cause(ctx))
	// Output:
	// true false interrupted by interrupt
}
