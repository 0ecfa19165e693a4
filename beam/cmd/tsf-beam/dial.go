package main

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/util/grpcx"
	"google.golang.org/grpc"
)

// defaultDialTimeout is --dial-timeout's default: how long tsf-beam waits
// for a job server (or any other Beam endpoint) to answer.
const defaultDialTimeout = 30 * time.Second

// dialError is a Beam endpoint that did not answer in time.
type dialError struct {
	endpoint string
	timeout  time.Duration
	err      error
}

func (e *dialError) Error() string {
	return fmt.Sprintf("cannot connect to %s: no answer within %s", e.endpoint, e.timeout)
}

func (e *dialError) Unwrap() error { return e.err }

// dialer returns the gRPC dialer Beam uses for the job server and its
// artifact and worker endpoints (grpcx.Dial), waiting at most timeout for
// a connection: Beam's own waits two minutes per connection, in silence,
// for a job server that is not there. A connection that does not come up
// in time is a *dialError naming the endpoint.
func dialer(timeout time.Duration) func(ctx context.Context, endpoint string, wait time.Duration) (*grpc.ClientConn, error) {
	return func(ctx context.Context, endpoint string, wait time.Duration) (*grpc.ClientConn, error) {
		wait = min(wait, timeout)
		cc, err := grpcx.DefaultDial(ctx, endpoint, wait)
		if err != nil && ctx.Err() == nil {
			return nil, &dialError{endpoint: endpoint, timeout: wait, err: err}
		}
		return cc, err
	}
}
