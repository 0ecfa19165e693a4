// Command tsf-beam runs tsf's many-series forecasts and backtests as an
// Apache Beam pipeline: in process on Prism (the default), on a Prism, Flink
// or Spark job server (--runner universal --endpoint HOST:PORT), or on
// Google Cloud Dataflow (--runner dataflow). It reads long CSV files
// (series id, time, values), fits the model `tsf forecast --id` fits with
// the same flags (by default ONE hybrid model on every series, on one
// worker; with --model NAME a model per series), and writes the forecasts
// in the format of `tsf forecast --id`, in shards; series that fail go to
// an errors file.
//
//	tsf-beam forecast --id series --horizon 12 --out fc 'data/*.csv'
//	tsf-beam forecast --id series --model ets --out fc 'data/*.csv'
//	tsf-beam forecast --id series --model-file global.tsf --out fc data.csv
//	tsf-beam backtest --id series --models ets,theta,snaive --folds 3 --out bt data.csv
//
// Run `tsf-beam --help` for the commands and flags, and see beam/README.md
// for the runners' commands.
package main

import (
	"context"
	"flag"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/core/runtime/exec/optimized"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
)

func main() {
	// A remote Beam worker runs this binary with Beam's flags only
	// (--worker=true --id=... --control_endpoint=...): beam.Init runs the
	// worker harness and exits.
	if isWorker(os.Args[1:]) {
		flag.Parse()
		beam.Init()
		os.Exit(0)
	}
	ctx, stop := withInterrupt(context.Background(), os.Stderr, os.Exit)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// isWorker reports whether args start a Beam worker: no command, and the
// --worker flag that Beam's container boot code passes.
func isWorker(args []string) bool {
	if len(args) == 0 || isCommand(args[0]) {
		return false
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "worker" {
			return true
		}
	}
	return false
}
