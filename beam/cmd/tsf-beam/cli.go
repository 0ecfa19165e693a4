package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/util/grpcx"
	"github.com/tsf-go/tsf/internal/flagspec"
)

// Exit codes, as tsf's: 0 success, 1 failed series or a failed run, 2 a bad
// command line, 130 interrupted (exitInterrupted).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usageError is a bad command line (exit code 2), with a hint.
type usageError struct {
	msg, hint string
}

func (e *usageError) Error() string { return e.msg }

func usagef(hint, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// hintError is a failed run (exit code 1) with a hint for the user.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// report prints err as one `tsf-beam: error:` line and an optional
// `tsf-beam: hint:` line, as tsf does, and returns the exit code for it.
func report(w io.Writer, err error) int {
	msg := strings.ReplaceAll(strings.TrimSpace(flagspec.Message(err)), "\n", "; ")
	fmt.Fprintf(w, "tsf-beam: error: %s\n", msg)
	var u *usageError
	var h *hintError
	switch {
	case errors.As(err, &u):
		if u.hint != "" {
			fmt.Fprintf(w, "tsf-beam: hint: %s\n", u.hint)
		}
		return exitUsage
	case errors.As(err, &h):
		if h.hint != "" {
			fmt.Fprintf(w, "tsf-beam: hint: %s\n", h.hint)
		}
	}
	return exitError
}

// help is `tsf-beam --help`.
const help = `tsf-beam runs tsf's many-series forecasts and backtests as an Apache Beam
pipeline: in process on Prism (the default), on a Prism, Flink or Spark job
server, or on Google Cloud Dataflow. It reads long CSV files (series id, time,
values) and writes what 'tsf forecast --id' writes, in shards; the series that
fail go to PREFIX-errors.csv with the message tsf gives.

Usage:
  tsf-beam forecast [flags] FILE.csv|GLOB ...
  tsf-beam backtest [flags] FILE.csv|GLOB ...

Commands:
  forecast   fit ONE global model on every series (the default, hybrid, or
             --global), a model per series (--model NAME), or apply
             --model-file, and forecast every series
  backtest   backtest --models per series, with an aggregate table

Flags:
  -h, --help   this help; 'tsf-beam COMMAND --help' lists a command's flags
  --version    print the version and the commit tsf-beam was built from

The commands take the data and model flags of tsf (--id, required, --target,
--time, --model, --horizon, ...), the pipeline's own (--out PREFIX, required,
--shards, --workers, --dial-timeout, --quiet, --verbose) and Beam's (--runner
prism|universal|flink|spark|dataflow, --endpoint HOST:PORT, --environment_type,
--job_name, --parallelism, --project, --region, --temp_location, ...).

Exit status: 0 success, 1 failed series or a failed run, 2 a bad command
line, 130 interrupted.

Examples:
  tsf-beam forecast --id series --horizon 12 --out fc 'data/*.csv'
  tsf-beam forecast --id series --model theta --out fc 'data/*.csv'
  tsf-beam forecast --id series --model lstm --global --horizon 18 --out fc data.csv
  tsf-beam forecast --id series --model-file global.tsf --out fc data.csv
  tsf-beam backtest --id series --models ets,theta,snaive --folds 3 --horizon 12 --out bt data.csv
  tsf-beam forecast --id series --model ets --runner universal --endpoint localhost:8073 --out fc data.csv
`

func isCommand(s string) bool { return s == "forecast" || s == "backtest" }

// run is the whole program: it parses args (the command line without the
// program name), runs the command and returns the exit code. Nothing below
// it exits the process. A run that a signal interrupted (ctx cancelled by
// withInterrupt) writes no output, says "tsf-beam: interrupted" and returns
// 130.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, help)
		return exitUsage
	}
	switch a := args[0]; {
	case a == "-h" || a == "-help" || a == "--help" || a == "help":
		if len(args) > 1 && isCommand(args[1]) {
			return run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, help)
		return exitOK
	case a == "-version" || a == "--version":
		fmt.Fprintf(stdout, "tsf-beam version %s\n", version())
		return exitOK
	case isCommand(a):
	case strings.HasPrefix(a, "-"):
		return report(stderr, usagef("run 'tsf-beam --help' for the commands and flags", "unknown flag %s", a))
	default:
		return report(stderr, usagef("run 'tsf-beam --help' for the list of commands", "unknown command %q", a))
	}
	o, err := parse(args[0], args[1:])
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(stdout, args[0])
		return exitOK
	}
	if err != nil {
		return report(stderr, err)
	}
	// Beam's and Prism's log lines (slog, set up by beam.Init) only with
	// --verbose; warnings and errors always, until an interruption.
	beamlog.LogLevel = "warn"
	if o.verbose {
		beamlog.LogLevel = "info"
	}
	beam.Init()
	slog.SetDefault(slog.New(quietOnInterrupt{slog.Default().Handler(), ctx}))
	grpcx.Dial = dialer(o.dialTimeout)
	code := execute(ctx, o, stdout, stderr)
	if code == exitInterrupted {
		fmt.Fprintln(stderr, "tsf-beam: interrupted")
	}
	return code
}
