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
// error mapped back to the input files' lines. numbers, when opts names no
// target, are the columns that hold a number somewhere in the input: the
// targets the loader would find in the whole input (see fileTargets).
func (g *group) load(opts dataset.Options, numbers map[string]bool) ([]*dataset.Series, error) {
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
			if n := len(bad) - 1; n > 1 {
				msg += fmt.Sprintf(" (and %d other bad rows)", n)
			} else {
				msg += " (and 1 other bad row)"
			}
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
	name := g.chunks[0].Path
	read := func(o dataset.Options) (*dataset.Frame, error) {
		fr, err := dataset.ReadRecords(name, header, recs, nil, o)
		if fr != nil && len(fr.Failed) > 0 {
			err = fr.Failed[0]
		}
		return fr, err
	}
	fr, err := read(opts)
	if o, ok := fileTargets(name, header, recs, opts, numbers, fr); ok {
		fr, err = read(o)
	}
	if err != nil {
		return nil, remapRows(err, lines)
	}
	return fr.Series, nil
}

// numberColumns gathers the read stage's numberScan output, the side input
// numbers: nil when the options name the targets.
func numberColumns(o dataset.Options, numbers func(*string) bool) map[string]bool {
	if len(o.Targets) > 0 {
		return nil
	}
	m := map[string]bool{}
	var c string
	for numbers(&c) {
		m[c] = true
	}
	return m
}

// fileTargets returns the options that load a series with the targets the
// core loader finds in the whole input, numbers (the columns that hold a
// number in some row), and true, when the series has no number of its own
// in one of them: its first load (fr, nil if it failed before building
// series) then went without that column, where `tsf` would give it the
// column and fail it for the missing values, say. The time column stays
// the one the loader takes for this series (README's known limits): that
// of fr, or when the load stopped before, the loader's answer for the
// series alone (timeColumn).
func fileTargets(name string, header []string, recs [][]string, opts dataset.Options, numbers map[string]bool, fr *dataset.Frame) (dataset.Options, bool) {
	lacking := false
	for j, h := range header {
		if numbers[h] && !slices.ContainsFunc(recs, func(r []string) bool { return j < len(r) && isNumber(r[j]) }) {
			lacking = true
			break
		}
	}
	if !lacking {
		return opts, false
	}
	timeCol := opts.TimeColumn
	switch {
	case opts.NoTime || timeCol != "":
	case fr != nil:
		timeCol = fr.TimeColumn
	default:
		timeCol = timeColumn(name, header, recs, opts)
	}
	var targets []string
	for _, h := range header {
		if numbers[h] && h != timeCol {
			targets = append(targets, h)
		}
	}
	if len(targets) == 0 {
		return opts, false
	}
	opts.Targets, opts.TimeColumn, opts.NoTime = targets, timeCol, timeCol == ""
	return opts, true
}

// timeColumn returns the column the core loader takes for the time column
// of the series of recs when opts names none, or "" for none: the first
// column, in header order, that its detection accepts. It asks the loader
// column by column: a load of the id, the column and a constant target
// finds a time column, or fails on its times, exactly when the detection
// accepts the column (without one the constant target always loads).
func timeColumn(name string, header []string, recs [][]string, opts dataset.Options) string {
	const probe = "\x00tsf-beam constant"
	idCol := slices.Index(header, opts.IDColumn)
	o := dataset.Options{IDColumn: opts.IDColumn, TimeLayout: opts.TimeLayout, Targets: []string{probe},
		Missing: dataset.MissingDrop, Gaps: dataset.GapKeep, Delimiter: opts.Delimiter}
	rows := make([][]string, 0, len(recs))
	for j, h := range header {
		if j == idCol || slices.Contains(opts.Covariates, h) {
			continue
		}
		rows = rows[:0]
		for _, r := range recs {
			if j < len(r) && idCol < len(r) {
				rows = append(rows, []string{r[idCol], r[j], "0"})
			}
		}
		fr, err := dataset.ReadRecords(name, []string{opts.IDColumn, h, probe}, rows, nil, o)
		if err != nil || fr.TimeColumn == h {
			return h
		}
	}
	return ""
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
// the input files. A row of another file than the one the error names is
// written "row N of FILE", and missing values or gaps in several files are
// listed file by file, so that a series spread over files names each.
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
		ce.File, ce.Row = at(ce.Row)
		ce.Err = &rewritten{msg: rowRef.ReplaceAllStringFunc(ce.Err.Error(), func(m string) string {
			n, _ := strconv.Atoi(rowRef.FindStringSubmatch(m)[1])
			path, r := at(n)
			if path != "" && path != ce.File {
				return fmt.Sprintf("row %d of %s", r, path)
			}
			return "row " + strconv.Itoa(r)
		}), err: ce.Err}
	}
	var fe *dataset.FileError
	if errors.As(err, &fe) && fe.Row > 0 {
		fe.File, fe.Row = at(fe.Row)
	}
	var me *dataset.MissingError
	if errors.As(err, &me) {
		files := map[string][]dataset.Cell{}
		var order []string
		for i, c := range me.Cells {
			path, row := at(c.Row)
			me.Cells[i].Row = row
			if files[path] == nil {
				order = append(order, path)
			}
			files[path] = append(files[path], me.Cells[i])
		}
		me.File = order[0]
		if len(order) > 1 {
			var parts []string
			for _, path := range order {
				parts = append(parts, (&dataset.MissingError{File: path, Series: me.Series, Cells: files[path]}).Error())
			}
			return &rewritten{msg: joinParts(parts), err: err}
		}
	}
	var ge *dataset.GapError
	if errors.As(err, &ge) {
		files := map[string][]dataset.Gap{}
		var order []string
		for i, g := range ge.Gaps {
			path, row := at(g.Row)
			ge.Gaps[i].Row = row
			if files[path] == nil {
				order = append(order, path)
			}
			files[path] = append(files[path], ge.Gaps[i])
		}
		ge.File = order[0]
		if len(order) > 1 {
			var parts []string
			for _, path := range order {
				part := *ge
				part.File, part.Gaps = path, files[path]
				parts = append(parts, part.Error())
			}
			return &rewritten{msg: joinParts(parts), err: err}
		}
	}
	return err
}

// joinParts joins the messages of one error split by file, each ending in
// the same advice ("; choose a missing-value policy: ..."), with the
// advice once, at the end.
func joinParts(parts []string) string {
	last := parts[len(parts)-1]
	i := strings.LastIndex(last, "; ")
	if i < 0 {
		return strings.Join(parts, "; ")
	}
	advice := last[i:]
	for i := range parts[:len(parts)-1] {
		parts[i] = strings.TrimSuffix(parts[i], advice)
	}
	return strings.Join(parts, "; ")
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
