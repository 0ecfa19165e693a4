// Command tsf-beam runs tsf's many-series forecasts and backtests as an
// Apache Beam pipeline: in process on Prism (the default), on a Prism, Flink
// or Spark job server (--runner universal --endpoint HOST:PORT), or on
// Google Cloud Dataflow (--runner dataflow). It reads long CSV files
// (series id, time, values), fits a model per series with the flags of
// `tsf forecast`, and writes the forecasts in the format of
// `tsf forecast --id`, in shards; series that fail go to an errors file.
//
//	tsf-beam forecast --id series --model ets --out fc 'data/*.csv'
//	tsf-beam forecast --id series --model-file global.tsf --out fc data.csv
//	tsf-beam backtest --id series --models ets,theta,snaive --folds 3 --out bt data.csv
//
// See beam/README.md for the runners' commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/core/runtime/exec/optimized"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
)

func main() {
	// A remote Beam worker runs this binary with Beam's flags only
	// (--worker ...): beam.Init then runs the worker harness and exits.
	if len(os.Args) < 2 || !isCommand(os.Args[1]) {
		flag.CommandLine.SetOutput(io.Discard)
		flag.Parse()
		beam.Init()
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1], os.Args[2:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: tsf-beam forecast|backtest [flags] FILE.csv|GLOB ...

  forecast   fit a model per series (or apply --model-file) and forecast
  backtest   backtest --models per series, with an aggregate table

Run 'tsf-beam forecast --help' for the flags. Beam's own flags (--runner,
--endpoint, --environment_type, --project, --region, ...) are accepted too.
`

func isCommand(s string) bool { return s == "forecast" || s == "backtest" }

// run runs one command and returns the exit code: 0 success, 1 a failed
// run or failed series, 2 a bad command line.
func run(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) int {
	o, err := parse(cmd, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "tsf-beam: error: %v\n", err)
		var u *usageError
		if errors.As(err, &u) {
			if u.hint != "" {
				fmt.Fprintf(stderr, "tsf-beam: hint: %s\n", u.hint)
			}
			return 2
		}
		return 1
	}
	// Beam's and Prism's log lines (slog, set up by beam.Init) only with
	// --verbose; warnings and errors always.
	beamlog.LogLevel = "warn"
	if o.verbose {
		beamlog.LogLevel = "info"
	}
	beam.Init()
	return execute(ctx, o, stdout, stderr)
}
