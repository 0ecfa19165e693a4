package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// Prism's "Control done" warning at a job's shutdown is dropped; other
// warnings and errors are not.
func TestShutdownNoiseDropped(t *testing.T) {
	var buf bytes.Buffer
	h := quietOnInterrupt{slog.NewTextHandler(&buf, nil), context.Background()}
	log := slog.New(h)
	log.Warn("Control done", "error", context.Canceled)
	if buf.Len() != 0 {
		t.Errorf("the shutdown warning was written: %q", buf.String())
	}
	log.Warn("something else")
	log.Error("Control done")
	if got := strings.Count(buf.String(), "\n"); got != 2 {
		t.Errorf("%d lines written; want the other warning and the error: %q", got, buf.String())
	}
}
