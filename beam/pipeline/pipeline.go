package pipeline

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths are always readable
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/all"
)

func init() {
	beam.RegisterType(reflect.TypeOf((*inputFile)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*chunk)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*block)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*modelMetrics)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*tally)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*fitted)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*seriesRows)(nil)).Elem())
	register.DoFn6x1[context.Context, inputFile, func(string, chunk), func(int, block), func(int, tally), func(string), error](&readFn{})
	register.DoFn8x0[context.Context, string, func(*chunk) bool, func(*string) bool, func(*fitted) bool, func(int, block), func(int, block), func(int, tally)](&forecastFn{})
	register.DoFn3x0[string, func(*chunk) bool, func(int, seriesRows)](&gatherFn{})
	register.DoFn2x0[string, func(int, seriesRows)](&gatherNumbersFn{})
	register.DoFn4x0[context.Context, int, func(*seriesRows) bool, func(fitted)](&fitGlobalFn{})
	register.DoFn3x0[context.Context, []byte, func(fitted)](&readModelFn{})
	register.DoFn2x0[fitted, func(int, block)](&reportFn{})
	register.DoFn8x0[context.Context, string, func(*chunk) bool, func(*string) bool, func(int, block), func(int, block), func(string, modelMetrics), func(int, tally)](&backtestFn{})
	register.DoFn3x0[int, func(*tally) bool, func(int, block)](&sumTallies{})
	register.DoFn3x0[string, func(*modelMetrics) bool, func(int, block)](&aggregateFn{})
	register.DoFn3x1[context.Context, int, func(*block) bool, error](&writeFn{})
	register.DoFn2x0[[]byte, func(int, block)](&shardMarkers{})
	register.Emitter2[string, chunk]()
	register.Emitter2[int, block]()
	register.Emitter2[string, modelMetrics]()
	register.Emitter2[int, tally]()
	register.Emitter2[int, seriesRows]()
	register.Emitter1[fitted]()
	register.Emitter1[string]()
	register.Iter1[string]()
	register.Iter1[tally]()
	register.Iter1[chunk]()
	register.Iter1[block]()
	register.Iter1[modelMetrics]()
	register.Iter1[seriesRows]()
	register.Iter1[fitted]()
}

// Expand returns the files matched by the input paths and globs, in the
// order of the arguments, each glob's matches sorted by path, without
// duplicates (a file matched twice keeps its first place). A glob that
// matches nothing is an error. This order is the order of the series in the
// output: by the file of their first row, then by line.
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
			return nil, fmt.Errorf("%s: %w", g, syscall.ENOENT) // tsf's "no such file or directory"
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

// CheckInputs reads the header of every file (and its first data record)
// and returns the error `tsf` gives for a file it cannot start on, before
// the pipeline runs rather than once per series: an empty file, a header
// that is not CSV, empty or duplicate column names, a column cfg.Read
// names that the header lacks. The header checks are the core loader's
// (dataset.ReadRecords on the header and a row of zeros), so their
// messages are tsf's. A file with a header and no data rows is no error
// unless every file is one: then the run has nothing to read, and the
// error is tsf's for the first of them.
func CheckInputs(ctx context.Context, files []string, cfg Config) error {
	var headerOnly []string
	for _, file := range files {
		header, data, err := readHeader(ctx, file, cfg.Read.Delimiter)
		if err != nil {
			return err
		}
		if !data {
			headerOnly = append(headerOnly, file)
			continue
		}
		if err := checkColumns(file, header, cfg.Read); err != nil {
			return err
		}
	}
	if len(headerOnly) == len(files) {
		err := error(&dataset.FileError{File: files[0], Err: fmt.Errorf("header only, no data rows: %w", dataset.ErrEmpty)})
		if len(files) > 1 {
			err = fmt.Errorf("%w (and so are the other %d input files)", err, len(files)-1)
		}
		return err
	}
	return nil
}

// readHeader reads the header record of file, as the core loader reads it
// (a leading byte-order mark dropped), and whether a data record follows.
// Its errors are the loader's: an empty file, a header that is not CSV.
func readHeader(ctx context.Context, file string, delim rune) (header []string, data bool, err error) {
	fs, err := filesystem.New(ctx, file)
	if err != nil {
		return nil, false, err
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, false, fmt.Errorf("%s: %w", file, err)
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	if delim != 0 {
		r.Comma = delim
	}
	r.FieldsPerRecord = -1
	header, err = r.Read()
	if err == io.EOF {
		return nil, false, &dataset.FileError{File: file, Err: fmt.Errorf("empty input, no header: %w", dataset.ErrEmpty)}
	}
	if err != nil {
		return nil, false, csvError(file, err)
	}
	_, err = r.Read()
	return header, err != io.EOF, nil
}

// csvError is the loader's error for CSV that does not parse.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &dataset.FileError{File: file, Row: pe.Line, Err: fmt.Errorf("column %d: %v: %w", pe.Column, pe.Err, dataset.ErrCSV)}
	}
	return &dataset.FileError{File: file, Err: fmt.Errorf("%v: %w", err, dataset.ErrCSV)}
}

// checkColumns returns the core loader's error for a header that cannot be
// read under o whatever the data: empty or duplicate names, a named column
// (id, target, covariate, time) that is not there, no column left for a
// value. It loads one record of zeros, which no time column detection
// takes for a time (the time column is not detected, NoTime), so that
// every error about columns (dataset.ErrColumn) is one of the header's.
func checkColumns(file string, header []string, o dataset.Options) error {
	zeros := make([]string, len(header))
	for j := range zeros {
		zeros[j] = "0.5"
	}
	if o.TimeColumn == "" {
		o.NoTime = true
	}
	_, err := dataset.ReadRecords(file, header, [][]string{zeros}, nil, o)
	if errors.Is(err, dataset.ErrColumn) {
		return err
	}
	return nil
}

// Build adds the pipeline of cfg, reading files (expanded paths, see
// Expand), to s. Its outputs are written to their final names (see Run for
// a run that writes them whole or not at all). With one model for all
// series (a global model or a model file), it also writes the model
// stage's report, PREFIX-model.json: {"error": ...} when the stage failed
// (and then no series was forecast), nothing but a newline otherwise.
func Build(s beam.Scope, cfg Config, files []string) error {
	_, _, err := build(s, cfg, files, "")
	return err
}

// build is Build writing every output to stagedName(path, stage) when
// stage is not "", and returns the outputs' (final) paths and the model
// report's ("" without one), which Run reads and never commits.
func build(s beam.Scope, cfg Config, files []string, stage string) (outputs []string, report string, err error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, "", err
	}
	in := make([]inputFile, len(files))
	for i, f := range files {
		in[i] = inputFile{Index: int32(i), Path: f}
	}
	keyed, readErrs, readTally, numbers := beam.ParDo4(s.Scope("read"), &readFn{Read: cfg.Read, ChunkRows: 100000}, beam.CreateList(s, in))
	grouped := beam.GroupByKey(s.Scope("group by series"), keyed)
	var out, errs, tallies beam.PCollection
	header := func(cols ...string) string {
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write(cols)
		w.Flush()
		return b.String()
	}
	write := func(f *writeFn, col beam.PCollection) {
		f.Stage = stage
		writeShards(s, f, col)
		if f.Path != "" {
			outputs = append(outputs, f.Path)
			return
		}
		for i := range f.Shards {
			outputs = append(outputs, ShardName(f.Prefix, i, f.Shards))
		}
	}
	side := beam.SideInput{Input: numbers}
	switch cfg.Mode {
	case Forecast:
		model, rep := modelStage(s, cfg, grouped, numbers)
		if rep != nil {
			report = modelReportName(cfg.Out)
			writeShards(s, &writeFn{Path: report, Stage: stage}, *rep)
		}
		out, errs, tallies = beam.ParDo3(s.Scope("forecast"), &forecastFn{Cfg: cfg}, grouped, side, beam.SideInput{Input: model})
		write(&writeFn{Prefix: cfg.Out, Shards: cfg.Shards, Header: header(append([]string{cfg.Read.IDColumn}, forecast.CSVHeader...)...)}, out)
	case Backtest:
		var ms beam.PCollection
		out, errs, ms, tallies = beam.ParDo4(s.Scope("backtest"), &backtestFn{Cfg: cfg}, grouped, side)
		write(&writeFn{Prefix: cfg.Out, Shards: cfg.Shards, Header: header(append([]string{cfg.Read.IDColumn, "model"}, metricNames...)...)}, out)
		agg := beam.ParDo(s.Scope("aggregate"), &aggregateFn{Models: cfg.Backtest.Models}, beam.GroupByKey(s, ms))
		write(&writeFn{Path: AggregateName(cfg.Out), Header: header(append([]string{"model", "series", "failed"}, metricNames...)...)}, agg)
	}
	write(&writeFn{Path: ErrorsName(cfg.Out), Header: header(cfg.Read.IDColumn, "error")}, beam.Flatten(s, readErrs, errs))
	sum := beam.ParDo(s.Scope("count"), &sumTallies{}, beam.GroupByKey(s, beam.Flatten(s, readTally, tallies)))
	write(&writeFn{Path: CountsName(cfg.Out), Header: countsHeader}, sum)
	return outputs, report, nil
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
//
// The outputs are written whole or not at all: the pipeline writes them
// under staged names beside the final ones, and Run renames them once the
// run has succeeded; a run that fails or is cancelled (ctx) removes them,
// leaving the outputs of an earlier run as they were. When no series could
// be forecast (or backtested), only the errors and the counts are kept, as
// tsf writes no forecast file then.
func Run(ctx context.Context, runner string, cfg Config) (Counts, error) {
	if !beam.Initialized() {
		beam.Init()
	}
	files, err := Expand(ctx, cfg.Inputs)
	if err != nil {
		return Counts{}, err
	}
	if err := CheckInputs(ctx, files, cfg); err != nil {
		return Counts{}, err
	}
	p, s := beam.NewPipelineWithRoot()
	stage := newStage()
	outputs, report, err := build(s, cfg, files, stage)
	if err != nil {
		return Counts{}, err
	}
	// Renaming and removing outlive a cancellation: they are what leaves
	// the outputs whole.
	keep := context.WithoutCancel(ctx)
	if _, err := beam.Run(ctx, runner, p); err != nil || ctx.Err() != nil {
		discard(keep, outputs, stage)
		if report != "" {
			discard(keep, []string{report}, stage)
		}
		if err == nil {
			err = context.Cause(ctx)
		}
		return Counts{}, err
	}
	if report != "" {
		if err := readModelReport(keep, stagedName(report, stage)); err != nil {
			discard(keep, outputs, stage)
			return Counts{}, err
		}
	}
	c, err := readCounts(keep, stagedName(CountsName(cfg.Out), stage))
	if err != nil {
		discard(keep, outputs, stage)
		return Counts{}, err
	}
	var drop []string
	if c.Series == 0 {
		drop = outputs[:cfg.withDefaults().Shards]
		outputs = outputs[len(drop):]
		discard(keep, drop, stage)
	}
	if err := commit(keep, outputs, stage); err != nil {
		discard(keep, outputs, stage)
		return Counts{}, err
	}
	return c, nil
}

// newStage returns a name for one run's staged outputs, unique to it.
func newStage() string {
	var b [6]byte
	rand.Read(b[:])
	return "tsf-beam-" + hex.EncodeToString(b[:])
}

// stagedName is the name under which a run writes output path before it
// commits it: a hidden file beside it, .NAME.STAGE.
func stagedName(path, stage string) string {
	if stage == "" {
		return path
	}
	i := strings.LastIndexByte(path, '/') + 1
	return path[:i] + "." + path[i:] + "." + stage
}

// commit renames every output's staged file to its final name.
func commit(ctx context.Context, outputs []string, stage string) error {
	for _, path := range outputs {
		fs, err := filesystem.New(ctx, path)
		if err != nil {
			return err
		}
		err = filesystem.Rename(ctx, fs, stagedName(path, stage), path)
		fs.Close()
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
	}
	return nil
}

// discard removes the staged files of outputs, those that were written.
func discard(ctx context.Context, outputs []string, stage string) {
	for _, path := range outputs {
		fs, err := filesystem.New(ctx, path)
		if err != nil {
			continue
		}
		if rm, ok := fs.(filesystem.Remover); ok {
			rm.Remove(ctx, stagedName(path, stage))
		}
		fs.Close()
	}
}

// ReadCounts reads the counts a run of output prefix out wrote
// (CountsName).
func ReadCounts(ctx context.Context, out string) (Counts, error) {
	return readCounts(ctx, CountsName(out))
}

// readCounts reads a counts file.
func readCounts(ctx context.Context, path string) (Counts, error) {
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
