package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/tsf-go/tsf/dataset"
)

// inputFile is one matched input file and its rank in sorted path order,
// which orders the series of different files in the output.
type inputFile struct {
	Index int32
	Path  string
}

// chunk holds consecutive rows of one series id from one file: their CSV
// text (re-encoded records, header excluded) and the file line of each. A
// row the reader could not use (wrong number of fields) is a chunk with
// Bad set and no text: it makes its series fail with that reason.
type chunk struct {
	File   int32
	Path   string
	Header []string
	Lines  []int32
	Text   []byte
	Bad    string
}

// key orders chunks (and so series) by file rank, then line.
func (c *chunk) key() orderKey { return orderKey{c.File, c.Lines[0]} }

// orderKey is the position of a series' first row: file rank, then line.
type orderKey struct {
	File int32
	Line int32
}

func (a orderKey) less(b orderKey) bool {
	return a.File < b.File || (a.File == b.File && a.Line < b.Line)
}

// readFn reads one input file and emits its rows keyed by series id, the
// rows of a run of consecutive lines with the same id as one chunk (a
// partial grouping before the shuffle: a file sorted by id sends one
// element per series, not one per row). A row that cannot be keyed goes
// to the errors output; a row with the wrong number of fields goes to its
// series, which then fails naming it.
type readFn struct {
	Read dataset.Options
	// ChunkRows caps the rows of one chunk (memory per element).
	ChunkRows int
}

func (f *readFn) ProcessElement(ctx context.Context, in inputFile, emit func(string, chunk), emitErr func(int, block), emitTally func(int, tally)) error {
	fs, err := filesystem.New(ctx, in.Path)
	if err != nil {
		return err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, in.Path)
	if err != nil {
		return fmt.Errorf("%s: %w", in.Path, err)
	}
	defer r.Close()
	rows, bad := int64(0), int64(0)
	err = readRows(r, in, f.Read, max(f.ChunkRows, 1), func(id string, c chunk) {
		rows += int64(len(c.Lines))
		if c.Bad != "" {
			bad++
		}
		emit(id, c)
	}, func(line int32, id, reason string) {
		bad++
		emitErr(0, errorBlock(orderKey{in.Index, line}, id, reason))
	})
	rowsRead.Inc(ctx, rows)
	badRows.Inc(ctx, bad)
	emitTally(0, tally{Rows: rows, BadRows: bad})
	return err
}

// readRows parses the CSV in r and calls emit with chunks of rows keyed by
// id and bad with the rows that cannot be keyed. It returns an error only
// for a file that cannot be read at all (no header, no id column, an I/O
// error): that is a configuration error, not a bad row.
func readRows(r io.Reader, in inputFile, o dataset.Options, chunkRows int, emit func(string, chunk), bad func(line int32, id, reason string)) error {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	if o.Delimiter != 0 {
		cr.Comma = o.Delimiter
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return fmt.Errorf("%s: empty input, no header: %w", in.Path, dataset.ErrEmpty)
		}
		return fmt.Errorf("%s: header: %w", in.Path, err)
	}
	header = append([]string(nil), header...)
	idCol := -1
	for j, h := range header {
		header[j] = strings.TrimSpace(h)
		if header[j] == o.IDColumn {
			idCol = j
		}
	}
	if idCol < 0 {
		return fmt.Errorf("%s: no id column %q in the header (%s): %w", in.Path, o.IDColumn, strings.Join(header, ","), dataset.ErrColumn)
	}

	var (
		cur     chunk
		curID   string
		text    bytes.Buffer
		w       = csv.NewWriter(&text)
		pending bool
	)
	if o.Delimiter != 0 {
		w.Comma = o.Delimiter
	}
	flush := func() {
		if !pending {
			return
		}
		w.Flush()
		cur.Text = bytes.Clone(text.Bytes())
		emit(curID, cur)
		text.Reset()
		pending = false
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			flush()
			bad(int32(pe.Line), "", fmt.Sprintf("%s: row %d: column %d: %v: %v", in.Path, pe.Line, pe.Column, pe.Err, dataset.ErrCSV))
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in.Path, err)
		}
		if len(rec) != len(header) {
			flush()
			id := ""
			if idCol < len(rec) {
				id = strings.TrimSpace(rec[idCol])
			}
			if id == "" {
				bad(int32(line), "", fmt.Sprintf("%s: row %d: has %d fields, the header has %d: %v", in.Path, line, len(rec), len(header), dataset.ErrRagged))
				continue
			}
			reason := fmt.Sprintf("%s: series %q: row %d: has %d fields, the header has %d: %v", in.Path, id, line, len(rec), len(header), dataset.ErrRagged)
			emit(id, chunk{File: in.Index, Path: in.Path, Lines: []int32{int32(line)}, Bad: reason})
			continue
		}
		id := strings.TrimSpace(rec[idCol])
		if pending && (id != curID || len(cur.Lines) >= chunkRows) {
			flush()
		}
		if !pending {
			cur = chunk{File: in.Index, Path: in.Path, Header: header}
			curID = id
			pending = true
		}
		cur.Lines = append(cur.Lines, int32(line))
		w.Write(rec)
	}
	flush()
	return nil
}

// Counters, for a runner's monitoring (Dataflow's console, Prism's web
// UI). Counts at the end of a run come from tallies, which are data and so
// exact under retries and dynamic splits; runners report counters of split
// bundles only as "attempted".
var (
	rowsRead      = beam.NewCounter("tsf", "rows_read")
	badRows       = beam.NewCounter("tsf", "bad_rows")
	seriesOK      = beam.NewCounter("tsf", "series_ok")
	seriesFailed  = beam.NewCounter("tsf", "series_failed")
	modelFailures = beam.NewCounter("tsf", "model_failures")
)

// tally counts what a piece of the pipeline did; the tallies of all pieces
// are summed into the run's Counts.
type tally struct {
	Rows, BadRows, Series, Failed, ModelFailures int64
}

// sumTallies sums the tallies into one CSV row of the counts file.
type sumTallies struct{}

func (sumTallies) ProcessElement(_ int, ts func(*tally) bool, emit func(int, block)) {
	var sum, t tally
	for ts(&t) {
		sum.Rows += t.Rows
		sum.BadRows += t.BadRows
		sum.Series += t.Series
		sum.Failed += t.Failed
		sum.ModelFailures += t.ModelFailures
	}
	text := fmt.Sprintf("%d,%d,%d,%d,%d\n", sum.Rows, sum.BadRows, sum.Series, sum.Failed, sum.ModelFailures)
	emit(0, block{Text: []byte(text)})
}
