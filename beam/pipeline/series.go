package pipeline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/dataset"
)

// group is one series id's rows, as the shuffle delivers them.
type group struct {
	id     string
	chunks []chunk
}

// first returns the position of the group's first row.
func (g *group) first() orderKey {
	k := g.chunks[0].key()
	for i := range g.chunks[1:] {
		if c := g.chunks[i+1].key(); c.less(k) {
			k = c
		}
	}
	return k
}

// origin is the file and line of one record of a series.
type origin struct {
	path string
	line int32
}

// load parses the group's rows with the core's loader, as dataset.Read
// parses them in a whole long file, and returns its series. A series that
// cannot be loaded is returned as an error naming the file, the series
// and, where it is about a cell, the row and column of the original file.
//
// The rows are split into records (in the first chunk's column order),
// loaded with dataset.ReadRecords under opts, and the row numbers of any
// error mapped back to the input files' lines.
func (g *group) load(opts dataset.Options) ([]*dataset.Series, error) {
	slices.SortFunc(g.chunks, func(a, b chunk) int { return a.key().cmp(b.key()) })
	var bad []string
	for _, c := range g.chunks {
		if c.Bad != "" {
			bad = append(bad, c.Bad)
		}
	}
	if len(bad) > 0 {
		msg := bad[0]
		if len(bad) > 1 {
			msg += fmt.Sprintf(" (and %d other bad rows)", len(bad)-1)
		}
		return nil, errors.New(msg)
	}
	var header []string
	for _, c := range g.chunks {
		if c.Header != nil {
			header = c.Header
			break
		}
	}
	// The records in file order, each with its origin; record i is row
	// i+2 of the series as the loader numbers it, mapped back by remapRows.
	var recs [][]string
	lines := []origin{{g.chunks[0].Path, 1}}
	for _, c := range g.chunks {
		rows, err := c.records(g.id, header, opts.Delimiter)
		if err != nil {
			return nil, fmt.Errorf("series %q: %w", g.id, err)
		}
		for k, rec := range rows {
			recs = append(recs, rec)
			lines = append(lines, origin{c.Path, c.Lines[k]})
		}
	}
	fr, err := dataset.ReadRecords(g.chunks[0].Path, header, recs, nil, opts)
	if fr != nil && len(fr.Failed) > 0 {
		err = fr.Failed[0]
	}
	if err != nil {
		return nil, remapRows(err, lines)
	}
	return fr.Series, nil
}

// records splits the rows of c into fields, with the series id put back
// in its column, in the column order of header (c's own header may order
// the columns otherwise). A row with the wrong number of fields is kept as
// it is, for the loader to name.
//
// Text without a double quote (what the reader's fast path writes) is
// split at newlines and delimiters, which gives encoding/csv's fields for
// it; other text is read with encoding/csv.
func (c chunk) records(id string, header []string, delim rune) ([][]string, error) {
	if delim == 0 {
		delim = ','
	}
	var recs [][]string
	if bytes.IndexByte(c.Text, '"') < 0 {
		recs = c.splitPlain(id, string(delim))
	} else {
		r := csv.NewReader(bytes.NewReader(c.Text))
		r.Comma = delim
		r.FieldsPerRecord = -1
		var err error
		if recs, err = r.ReadAll(); err != nil {
			return nil, err
		}
	}
	if len(recs) != len(c.Lines) {
		return nil, fmt.Errorf("%s: %d records in a chunk of %d rows: %w", c.Path, len(recs), len(c.Lines), dataset.ErrCSV)
	}
	if c.IDCol >= 0 && bytes.IndexByte(c.Text, '"') >= 0 {
		for i, rec := range recs {
			recs[i] = slices.Insert(rec, int(c.IDCol), id)
		}
	}
	if slices.Equal(c.Header, header) {
		return recs, nil
	}
	pos := make([]int, len(header))
	for j, h := range header {
		pos[j] = slices.Index(c.Header, h)
		if pos[j] < 0 {
			return nil, fmt.Errorf("%s: no column %q, which %s has: %w", c.Path, h, "the series' first file", dataset.ErrColumn)
		}
	}
	for i, rec := range recs {
		if len(rec) != len(c.Header) {
			continue
		}
		row := make([]string, len(header))
		for j, p := range pos {
			row[j] = rec[p]
		}
		recs[i] = row
	}
	return recs, nil
}

// splitPlain splits c's text, which has no quotes, into records at
// newlines and sep, with id put back in column IDCol: one string holds the
// text and one slice all the records' fields.
func (c chunk) splitPlain(id, sep string) [][]string {
	all := string(c.Text)
	cols := len(c.Header)
	fields := make([]string, 0, len(c.Lines)*cols)
	recs := make([][]string, 0, len(c.Lines))
	for len(all) > 0 {
		line, rest, _ := strings.Cut(all, "\n")
		all = rest
		from := len(fields)
		for j := 0; ; j++ {
			if j == int(c.IDCol) {
				fields = append(fields, id)
			}
			f, more, found := strings.Cut(line, sep)
			fields = append(fields, f)
			if !found {
				break
			}
			line = more
		}
		if int(c.IDCol) == len(fields)-from { // the id is the last column
			fields = append(fields, id)
		}
		recs = append(recs, fields[from:len(fields):len(fields)])
	}
	return recs
}

// remapRows rewrites the file names and row numbers of a loader error,
// which count the records of one series (header = row 1), into those of
// the input files.
func remapRows(err error, lines []origin) error {
	at := func(row int) (string, int) {
		if row >= 1 && row <= len(lines) {
			o := lines[row-1]
			return o.path, int(o.line)
		}
		return "", row
	}
	var ce *dataset.CellError
	if errors.As(err, &ce) {
		path, row := at(ce.Row)
		ce.File, ce.Row = path, row
		ce.Err = &rewritten{msg: rowRef.ReplaceAllStringFunc(ce.Err.Error(), func(m string) string {
			n, _ := strconv.Atoi(rowRef.FindStringSubmatch(m)[1])
			_, r := at(n)
			return "row " + strconv.Itoa(r)
		}), err: ce.Err}
	}
	var fe *dataset.FileError
	if errors.As(err, &fe) && fe.Row > 0 {
		fe.File, fe.Row = at(fe.Row)
	}
	var me *dataset.MissingError
	if errors.As(err, &me) {
		for i := range me.Cells {
			me.File, me.Cells[i].Row = at(me.Cells[i].Row)
		}
	}
	var ge *dataset.GapError
	if errors.As(err, &ge) {
		for i := range ge.Gaps {
			ge.File, ge.Gaps[i].Row = at(ge.Gaps[i].Row)
		}
	}
	return err
}

var rowRef = regexp.MustCompile(`\brow (\d+)`)

// rewritten is an error whose message was rewritten; it still wraps the
// original, so errors.Is sees its sentinel.
type rewritten struct {
	msg string
	err error
}

func (r *rewritten) Error() string { return r.msg }
func (r *rewritten) Unwrap() error { return r.err }
