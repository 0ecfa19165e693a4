package pipeline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"

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

// origin is the file and line of one row of the reassembled CSV.
type origin struct {
	path string
	line int32
}

// load parses the group's rows with the core's loader, as dataset.Read
// parses them in a whole long file, and returns its series. A series that
// cannot be loaded is returned as an error naming the file, the series
// and, where it is about a cell, the row and column of the original file.
//
// The rows are reassembled into a small CSV (the first chunk's header,
// then the rows in file order), read with opts, and the row numbers of any
// error mapped back to the input files' lines.
func (g *group) load(opts dataset.Options) ([]*dataset.Series, error) {
	slices.SortFunc(g.chunks, func(a, b chunk) int {
		switch ka, kb := a.key(), b.key(); {
		case ka.less(kb):
			return -1
		case kb.less(ka):
			return 1
		}
		return 0
	})
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
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if opts.Delimiter != 0 {
		w.Comma = opts.Delimiter
	}
	w.Write(header)
	w.Flush()
	// lines[k] is the origin of line k+1 of the reassembled CSV.
	lines := []origin{{g.chunks[0].Path, 1}}
	for _, c := range g.chunks {
		text := c.Text
		if !slices.Equal(c.Header, header) {
			var err error
			if text, err = reorder(c, header, opts.Delimiter); err != nil {
				return nil, fmt.Errorf("series %q: %w", g.id, err)
			}
		}
		buf.Write(text)
		// One origin per physical line: a record spans more than one
		// when a quoted field holds a newline.
		rest := text
		for _, l := range c.Lines {
			n := 1
			if k := recordEnd(rest); k >= 0 {
				n = bytes.Count(rest[:k], []byte{'\n'}) + 1
				rest = rest[k+1:]
			}
			for range n {
				lines = append(lines, origin{c.Path, l})
			}
		}
	}
	fr, err := dataset.Read(bytes.NewReader(buf.Bytes()), g.chunks[0].Path, opts)
	if fr != nil && len(fr.Failed) > 0 {
		err = fr.Failed[0]
	}
	if err != nil {
		return nil, remapRows(err, lines)
	}
	return fr.Series, nil
}

// recordEnd returns the index of the newline that ends the first CSV
// record of b (outside quotes), or -1.
func recordEnd(b []byte) int {
	quoted := false
	for i, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\n' && !quoted:
			return i
		}
	}
	return -1
}

// reorder re-encodes the rows of c, read under c.Header, in the column
// order of header.
func reorder(c chunk, header []string, delim rune) ([]byte, error) {
	pos := make([]int, len(header))
	for j, h := range header {
		pos[j] = slices.Index(c.Header, h)
		if pos[j] < 0 {
			return nil, fmt.Errorf("%s: no column %q, which %s has: %w", c.Path, h, "the series' first file", dataset.ErrColumn)
		}
	}
	r := csv.NewReader(bytes.NewReader(c.Text))
	if delim != 0 {
		r.Comma = delim
	}
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	if delim != 0 {
		w.Comma = delim
	}
	row := make([]string, len(header))
	for _, rec := range recs {
		for j, p := range pos {
			row[j] = rec[p]
		}
		w.Write(row)
	}
	w.Flush()
	return out.Bytes(), w.Error()
}

// remapRows rewrites the file names and row numbers of a loader error,
// which count lines of the reassembled CSV, into those of the input files.
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
