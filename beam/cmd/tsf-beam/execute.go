package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/tsf-go/tsf/beam/pipeline"
)

// execute runs the pipeline and reports: counts on stderr, and for a
// backtest the aggregate table on stdout. Failed series make the exit
// code 1, as in `tsf forecast --id`; the others are still written. A
// global fit that fails is tsf's error and hint (exit 1; series of
// different seasons without --horizon, exit 2), and nothing is written. A run
// that a signal interrupted writes nothing and returns exitInterrupted,
// without a message (run prints one).
func execute(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	// Beam's universal runner (Prism in process too) leaves an empty
	// beamloopbackworker-* file in the temporary directory at every run
	// (runnerlib.Execute): give the run a temporary directory of its own.
	if tmp, err := os.MkdirTemp("", "tsf-beam-"); err == nil {
		defer os.RemoveAll(tmp)
		old, had := os.LookupEnv("TMPDIR")
		os.Setenv("TMPDIR", tmp)
		defer func() {
			if had {
				os.Setenv("TMPDIR", old)
			} else {
				os.Unsetenv("TMPDIR")
			}
		}()
	}
	start := time.Now()
	c, err := pipeline.Run(ctx, o.runner, o.cfg)
	if err != nil && interrupted(ctx) {
		return exitInterrupted
	}
	var de *dialError
	if errors.As(err, &de) {
		return report(stderr, &hintError{err: de, hint: "start the job server first (beam/README.md shows how), check --endpoint, or wait longer with --dial-timeout"})
	}
	var me *pipeline.ModelError
	switch {
	case errors.As(err, &me) && errors.Is(err, pipeline.ErrNoHorizon):
		return report(stderr, &usageError{msg: err.Error(), hint: "give the number of steps to forecast, the same for every series: --horizon N (or forecast each frequency from its own file)"})
	case errors.As(err, &me) && o.cfg.ModelFile != "":
		return report(stderr, &hintError{err: err, hint: modelFileHint(err)})
	case errors.As(err, &me):
		return report(stderr, &hintError{err: err, hint: fitHint(err)})
	case err != nil:
		return report(stderr, &hintError{err: err, hint: dataHint(err)})
	}
	cfg := o.cfg
	if cfg.Mode == pipeline.Backtest {
		if err := printAggregate(ctx, stdout, pipeline.AggregateName(cfg.Out)); err != nil {
			return report(stderr, err)
		}
	}
	if !o.quiet {
		verb := "forecast"
		if cfg.Mode == pipeline.Backtest {
			verb = "backtested"
		}
		shards := pipeline.ShardName(cfg.Out, 0, max(cfg.Shards, 1))
		switch {
		case c.Series == 0 && cfg.Mode == pipeline.Backtest:
			shards = "no metrics written"
		case c.Series == 0:
			shards = "no forecasts written"
		case cfg.Shards > 1:
			shards = pipeline.ShardName(cfg.Out, 0, cfg.Shards) + " ... " + pipeline.ShardName(cfg.Out, cfg.Shards-1, cfg.Shards)
		}
		fmt.Fprintf(stderr, "tsf-beam: %d series %s, %d failed; %d rows read, %d bad; %s on %s in %s\n",
			c.Series, verb, c.Failed, c.Rows, c.BadRows, shards, o.runner, time.Since(start).Round(10*time.Millisecond))
		if c.Failed > 0 || c.BadRows > 0 {
			fmt.Fprintf(stderr, "tsf-beam: the failed series and bad rows, with their reasons, are in %s\n", pipeline.ErrorsName(cfg.Out))
		}
	}
	if c.Failed > 0 || c.BadRows > 0 {
		return exitError
	}
	return exitOK
}

// printAggregate prints the backtest's aggregate CSV as a table.
func printAggregate(ctx context.Context, w io.Writer, path string) error {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		return err
	}
	defer r.Close()
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, rec := range recs {
		for i, v := range rec {
			if v == "" {
				rec[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(rec, "\t")+"\t")
	}
	return tw.Flush()
}
