package pipeline

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths are always readable
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/tsf-go/tsf/forecast"
)

func init() {
	beam.RegisterType(reflect.TypeOf((*inputFile)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*chunk)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*block)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*modelMetrics)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*tally)(nil)).Elem())
	register.DoFn5x1[context.Context, inputFile, func(string, chunk), func(int, block), func(int, tally), error](&readFn{})
	register.DoFn6x0[context.Context, string, func(*chunk) bool, func(int, block), func(int, block), func(int, tally)](&forecastFn{})
	register.DoFn7x0[context.Context, string, func(*chunk) bool, func(int, block), func(int, block), func(string, modelMetrics), func(int, tally)](&backtestFn{})
	register.DoFn3x0[int, func(*tally) bool, func(int, block)](&sumTallies{})
	register.DoFn3x0[string, func(*modelMetrics) bool, func(int, block)](&aggregateFn{})
	register.DoFn3x1[context.Context, int, func(*block) bool, error](&writeFn{})
	register.DoFn2x0[[]byte, func(int, block)](&shardMarkers{})
	register.Emitter2[string, chunk]()
	register.Emitter2[int, block]()
	register.Emitter2[string, modelMetrics]()
	register.Emitter2[int, tally]()
	register.Iter1[tally]()
	register.Iter1[chunk]()
	register.Iter1[block]()
	register.Iter1[modelMetrics]()
}

// Expand returns the files matched by the input paths and globs, each
// glob's matches sorted, in the order of the globs, without duplicates. A
// glob that matches nothing is an error.
func Expand(ctx context.Context, globs []string) ([]string, error) {
	var out []string
	for _, g := range globs {
		fs, err := filesystem.New(ctx, g)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", g, err)
		}
		files, err := fs.List(ctx, g)
		fs.Close()
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", g, err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("input %s: no such file", g)
		}
		slices.Sort(files)
		for _, f := range files {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// CheckHeader reads the header of file and checks that it has the columns
// cfg.Read names, so that a misspelt column is one clear error before the
// pipeline starts rather than one error per series.
func CheckHeader(ctx context.Context, file string, cfg Config) error {
	fs, err := filesystem.New(ctx, file)
	if err != nil {
		return err
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, file)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	defer rc.Close()
	r := csv.NewReader(bufio.NewReader(rc))
	if cfg.Read.Delimiter != 0 {
		r.Comma = cfg.Read.Delimiter
	}
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", file, err)
	}
	for j := range header {
		header[j] = strings.TrimSpace(strings.TrimPrefix(header[j], "\ufeff"))
	}
	need := append([]string{cfg.Read.IDColumn, cfg.Read.TimeColumn}, cfg.Read.Targets...)
	need = append(need, cfg.Read.Covariates...)
	for _, c := range need {
		if c != "" && !slices.Contains(header, c) {
			return fmt.Errorf("%s: no column %q (the header has %s)", file, c, strings.Join(header, ", "))
		}
	}
	return nil
}

// Build adds the pipeline of cfg, reading files (expanded paths, see
// Expand), to s.
func Build(s beam.Scope, cfg Config, files []string) error {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return err
	}
	in := make([]inputFile, len(files))
	for i, f := range files {
		in[i] = inputFile{Index: int32(i), Path: f}
	}
	keyed, readErrs, readTally := beam.ParDo3(s.Scope("read"), &readFn{Read: cfg.Read, ChunkRows: 100000}, beam.CreateList(s, in))
	grouped := beam.GroupByKey(s.Scope("group by series"), keyed)
	var out, errs, tallies beam.PCollection
	header := func(cols ...string) string {
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write(cols)
		w.Flush()
		return b.String()
	}
	switch cfg.Mode {
	case Forecast:
		out, errs, tallies = beam.ParDo3(s.Scope("forecast"), &forecastFn{Cfg: cfg}, grouped)
		writeShards(s, &writeFn{Prefix: cfg.Out, Shards: cfg.Shards, Header: header(append([]string{cfg.Read.IDColumn}, forecast.CSVHeader...)...)}, out)
	case Backtest:
		var ms beam.PCollection
		out, errs, ms, tallies = beam.ParDo4(s.Scope("backtest"), &backtestFn{Cfg: cfg}, grouped)
		writeShards(s, &writeFn{Prefix: cfg.Out, Shards: cfg.Shards, Header: header(append([]string{cfg.Read.IDColumn, "model"}, metricNames...)...)}, out)
		agg := beam.ParDo(s.Scope("aggregate"), &aggregateFn{Models: cfg.Backtest.Models}, beam.GroupByKey(s, ms))
		writeShards(s, &writeFn{Path: AggregateName(cfg.Out), Header: header(append([]string{"model", "series", "failed"}, metricNames...)...)}, agg)
	}
	writeShards(s, &writeFn{Path: ErrorsName(cfg.Out), Header: header(cfg.Read.IDColumn, "error")}, beam.Flatten(s, readErrs, errs))
	sum := beam.ParDo(s.Scope("count"), &sumTallies{}, beam.GroupByKey(s, beam.Flatten(s, readTally, tallies)))
	writeShards(s, &writeFn{Path: CountsName(cfg.Out), Header: countsHeader}, sum)
	return nil
}

const countsHeader = "rows,bad_rows,series,failed,model_failures\n"

// Counts are the pipeline's counters at the end of a run.
type Counts struct {
	// Rows is the number of data rows read; BadRows those that could not
	// be used (wrong number of fields, malformed CSV).
	Rows, BadRows int64
	// Series were forecast (or backtested) and written; Failed went to the
	// errors output.
	Series, Failed int64
	// ModelFailures counts, in a backtest, the (series, model) pairs that
	// failed.
	ModelFailures int64
}

// Run builds the pipeline of cfg and runs it on runner ("prism",
// "universal", "dataflow", ... as Beam's --runner), waiting for the end.
// It calls beam.Init if the program has not (a program that may run as a
// remote Beam worker must call it itself, at the start of main).
func Run(ctx context.Context, runner string, cfg Config) (Counts, error) {
	if !beam.Initialized() {
		beam.Init()
	}
	files, err := Expand(ctx, cfg.Inputs)
	if err != nil {
		return Counts{}, err
	}
	if err := CheckHeader(ctx, files[0], cfg); err != nil {
		return Counts{}, err
	}
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, cfg, files); err != nil {
		return Counts{}, err
	}
	if _, err := beam.Run(ctx, runner, p); err != nil {
		return Counts{}, err
	}
	return ReadCounts(ctx, cfg.Out)
}

// ReadCounts reads the counts a run of output prefix out wrote
// (CountsName).
func ReadCounts(ctx context.Context, out string) (Counts, error) {
	path := CountsName(out)
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return Counts{}, err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		return Counts{}, err
	}
	defer r.Close()
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil || len(recs) != 2 || len(recs[1]) != 5 {
		return Counts{}, fmt.Errorf("%s: not a counts file (%v)", path, err)
	}
	var v [5]int64
	for j, f := range recs[1] {
		if v[j], err = strconv.ParseInt(f, 10, 64); err != nil {
			return Counts{}, fmt.Errorf("%s: %w", path, err)
		}
	}
	return Counts{Rows: v[0], BadRows: v[1], Series: v[2], Failed: v[3], ModelFailures: v[4]}, nil
}
