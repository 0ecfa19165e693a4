package pipeline

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/tsf-go/tsf/dataset"
)

// inputFile is one matched input file and its rank in the order of the
// inputs (Expand), which orders the series of different files in the
// output.
type inputFile struct {
	Index int32
	Path  string
}

// chunk holds consecutive rows of one series id from one file: their CSV
// text (header excluded) and the file line of each. The text leaves out
// the id column, IDCol of Header (the key carries it: a quarter fewer
// bytes through the shuffle for a typical long file), unless IDCol is -1.
// A row the reader could not use (wrong number of fields) is a chunk with
// Bad set and no text: it makes its series fail with that reason.
type chunk struct {
	File   int32
	Path   string
	Header []string
	IDCol  int32
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

func (a orderKey) less(b orderKey) bool { return a.cmp(b) < 0 }

// cmp orders keys for slices.SortFunc: file rank, then line.
func (a orderKey) cmp(b orderKey) int {
	if c := cmp.Compare(a.File, b.File); c != 0 {
		return c
	}
	return cmp.Compare(a.Line, b.Line)
}

// readFn reads one input file and emits its rows keyed by series id, the
// rows of a run of consecutive lines with the same id as one chunk (a
// partial grouping before the shuffle: a file sorted by id sends one
// element per series, not one per row). A row that cannot be keyed goes
// to the errors output; a row with the wrong number of fields goes to its
// series, which then fails naming it. When Read names no target, it also
// emits the columns that hold a number in some row of the file (see
// numberScan): the targets of every series, as the core loader decides
// them over a whole file.
type readFn struct {
	Read dataset.Options
	// ChunkRows caps the rows of one chunk (memory per element).
	ChunkRows int
}

func (f *readFn) ProcessElement(ctx context.Context, in inputFile, emit func(string, chunk), emitErr func(int, block), emitTally func(int, tally), emitNumber func(string)) error {
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
	var numbers *numberScan
	if len(f.Read.Targets) == 0 {
		numbers = &numberScan{}
	}
	err = readRows(r, in, f.Read, max(f.ChunkRows, 1), numbers, func(id string, c chunk) {
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
	if numbers != nil {
		for _, c := range numbers.found {
			emitNumber(c)
		}
	}
	return err
}

// readRows parses the CSV in r and calls emit with chunks of rows keyed by
// id and bad with the rows that cannot be keyed; numbers, if not nil,
// scans the rows with the header's number of fields. It returns an error
// only for a file that cannot be read at all (no header, no id column, an
// I/O error): that is a configuration error, not a bad row. An id is the
// field verbatim, as the core loader takes it (" a" and "a" are two
// series).
//
// A line without a double quote, by far the common case of a long file,
// is split at the delimiter without encoding/csv, and its bytes go to the
// chunk as they are (a \r\n ending becomes \n): exactly the fields
// encoding/csv reads from it, without its per-record allocations or a
// re-encoding. From the first line with a quote on, encoding/csv reads the
// rest of the file, so quoting, multi-line fields and malformed CSV are
// handled (and reported) as encoding/csv does.
func readRows(r io.Reader, in inputFile, o dataset.Options, chunkRows int, numbers *numberScan, emit func(string, chunk), bad func(line int32, id, reason string)) error {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	delim := o.Delimiter
	if delim == 0 {
		delim = ','
	}
	sep := []byte(string(delim))
	lr := &lineReader{r: br}
	header, err := lr.header(delim)
	if err != nil {
		if err == io.EOF {
			return fmt.Errorf("%s: empty input, no header: %w", in.Path, dataset.ErrEmpty)
		}
		return fmt.Errorf("%s: header: %w", in.Path, err)
	}
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
	drop := int32(idCol) // the column the text leaves out
	if len(header) == 1 {
		drop = -1
	}
	numbers.start(header, o)

	var (
		cur     chunk
		curID   string
		text    bytes.Buffer
		pending bool
	)
	flush := func() {
		if !pending {
			return
		}
		cur.Text = bytes.Clone(text.Bytes())
		emit(curID, cur)
		text.Reset()
		pending = false
	}
	// add appends one row of id at line to the current chunk, or starts
	// a new one; write adds its text.
	add := func(id string, line int32, write func()) {
		if pending && (id != curID || len(cur.Lines) >= chunkRows) {
			flush()
		}
		if !pending {
			cur = chunk{File: in.Index, Path: in.Path, Header: header, IDCol: drop}
			curID = id
			pending = true
		}
		cur.Lines = append(cur.Lines, line)
		write()
	}
	// ragged reports a row with the wrong number of fields: to its series
	// when it has an id, else as a bad row.
	ragged := func(line int32, id string, n int) {
		flush()
		if id == "" {
			bad(line, "", fmt.Sprintf("%s: row %d: has %d fields, the header has %d: %v", in.Path, line, n, len(header), dataset.ErrRagged))
			return
		}
		reason := fmt.Sprintf("%s: series %q: row %d: has %d fields, the header has %d: %v", in.Path, id, line, n, len(header), dataset.ErrRagged)
		emit(id, chunk{File: in.Index, Path: in.Path, Lines: []int32{line}, Bad: reason})
	}

	// The fast path, line by line.
	var quoted []byte // the first line with a quote, for encoding/csv
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in.Path, err)
		}
		if bytes.IndexByte(line, '"') >= 0 {
			quoted = line
			break
		}
		body := trimEOL(line)
		if len(body) == 0 {
			continue // encoding/csv skips empty lines
		}
		n := bytes.Count(body, sep) + 1
		start, end, ok := fieldBounds(body, sep, idCol)
		idb := body[start:end]
		id := curID
		if !pending || string(idb) != curID { // no string per row of a run
			id = string(idb)
		}
		if n != len(header) {
			if !ok {
				id = ""
			}
			ragged(int32(lr.line), id, n)
			continue
		}
		numbers.line(body, sep)
		add(id, int32(lr.line), func() {
			switch {
			case drop < 0:
				text.Write(body)
			case start == 0: // the first field and the delimiter after it
				text.Write(body[min(end+len(sep), len(body)):])
			default: // the delimiter before the field and the field
				text.Write(body[:start-len(sep)])
				text.Write(body[end:])
			}
			text.WriteByte('\n')
		})
	}
	if quoted == nil {
		flush()
		return nil
	}

	// The rest through encoding/csv, line numbers offset by the lines
	// already read; rows are re-encoded with encoding/csv.
	offset := lr.line - 1
	cr := csv.NewReader(io.MultiReader(bytes.NewReader(quoted), br))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	w := csv.NewWriter(&text)
	w.Comma = delim
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		l, _ := cr.FieldPos(0)
		line := int32(l + offset)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			flush()
			bad(int32(pe.Line+offset), "", fmt.Sprintf("%s: row %d: column %d: %v: %v", in.Path, pe.Line+offset, pe.Column, pe.Err, dataset.ErrCSV))
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in.Path, err)
		}
		if len(rec) != len(header) {
			id := ""
			if idCol < len(rec) {
				id = rec[idCol]
			}
			ragged(line, id, len(rec))
			continue
		}
		numbers.record(rec)
		add(rec[idCol], line, func() {
			if drop >= 0 {
				rec = slices.Delete(rec, idCol, idCol+1)
			}
			w.Write(rec)
			w.Flush()
		})
	}
	flush()
	return nil
}

// lineReader reads a file line by line, counting lines.
type lineReader struct {
	r    *bufio.Reader
	buf  []byte
	line int // the number of the line last returned, from 1
}

// next returns the next line with its end of line (none at the end of
// the file), valid until the next call.
func (l *lineReader) next() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		b, err := l.r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			l.buf = append(l.buf, b...)
			continue
		}
		if len(l.buf) > 0 {
			b = append(l.buf, b...)
			l.buf = b
		}
		if err == io.EOF && len(b) > 0 {
			err = nil
		}
		if err == nil {
			l.line++
		}
		return b, err
	}
}

// header reads the header record as encoding/csv does: the first
// non-empty line, and the lines after it while a quoted field is open.
func (l *lineReader) header(delim rune) ([]string, error) {
	var rec []byte
	for {
		line, err := l.next()
		if err != nil {
			if err == io.EOF && len(rec) > 0 {
				break
			}
			return nil, err
		}
		if len(rec) == 0 && len(trimEOL(line)) == 0 {
			continue
		}
		rec = append(rec, line...)
		if bytes.Count(rec, []byte{'"'})%2 == 0 {
			break
		}
	}
	cr := csv.NewReader(bytes.NewReader(rec))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	h, err := cr.Read()
	if err != nil {
		return nil, err
	}
	return h, nil
}

// trimEOL drops a line's \n or \r\n, and a \r at the end of the file, as
// encoding/csv does.
func trimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte{'\n'})
	return bytes.TrimSuffix(line, []byte{'\r'})
}

// fieldBounds returns the byte range of field j of a line without quotes;
// ok is false (and the range empty) if the line has fewer fields.
func fieldBounds(line, sep []byte, j int) (start, end int, ok bool) {
	for ; j > 0; j-- {
		i := bytes.Index(line[start:], sep)
		if i < 0 {
			return 0, 0, false
		}
		start += i + len(sep)
	}
	end = len(line)
	if i := bytes.Index(line[start:], sep); i >= 0 {
		end = start + i
	}
	return start, end, true
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
