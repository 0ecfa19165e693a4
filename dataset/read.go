package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"
	gseries "github.com/go-gota/gota/series"
)

// MissingPolicy says what the loader does with missing values: empty cells
// and the tokens NA, N/A, NaN, nan, null, NULL and None.
type MissingPolicy string

// The missing-value policies. The zero value "" means MissingReject.
const (
	// MissingReject rejects the input with a *MissingError naming every
	// missing cell (row and column).
	MissingReject MissingPolicy = "error"
	// MissingDrop removes the rows of a series where its target or one of its
	// covariates is missing. The time index then has holes; Freq stays the
	// one inferred from the file.
	MissingDrop MissingPolicy = "drop"
	// MissingFFill carries the last observed value forward. Leading missing
	// values take the first observed value.
	MissingFFill MissingPolicy = "ffill"
	// MissingInterpolate fills linearly in time (by timestamp, not by row;
	// by position for an integer index). Leading and trailing missing values
	// take the nearest observed value.
	MissingInterpolate MissingPolicy = "interpolate"
)

// GapPolicy says what the loader does with absent timestamps: steps of the
// inferred frequency that have no row at all (e.g. a daily file without
// 1984-12-31).
type GapPolicy string

// The gap policies. The zero value "" means GapReject.
const (
	// GapReject rejects the input with a *GapError naming the absent
	// timestamps and the row after each gap.
	GapReject GapPolicy = "error"
	// GapKeep accepts an irregular index: the series keeps its rows as they
	// are (windows then span the gaps).
	GapKeep GapPolicy = "keep"
	// GapFill inserts the absent timestamps and fills their values like
	// missing values: forward-filled under MissingFFill, linearly
	// interpolated in time otherwise.
	GapFill GapPolicy = "fill"
)

// Options configures Read and ReadCSV. The zero value reads a
// comma-separated file whose first time-like column is the time index, with
// every other column a target, rejecting missing values and gaps.
type Options struct {
	// Delimiter separates fields: ',' (default, when 0), ';' or '\t'.
	Delimiter rune
	// TimeColumn names the time column. "" auto-detects the first column
	// whose first value parses as a time (RFC 3339, 2006-01-02,
	// 2006-01-02 15:04:05, 2006-01, ...); bare years (2006) and unix
	// seconds are auto-detected only when the column is strictly increasing.
	TimeColumn string
	// NoTime says the file has no time column: the series is indexed
	// 0, 1, 2, ... (Freq.Kind == Index).
	NoTime bool
	// TimeLayout is the Go time layout of the time column, or LayoutUnix.
	// "" infers it from the first value.
	TimeLayout string
	// Targets names the target columns; one Series is returned per target
	// (per id in a long file). Empty means every column that is not the time
	// column, the id column or a covariate — in a long file, every such
	// column with at least one number (a text column such as a category is
	// a per-series attribute, not a target).
	Targets []string
	// Covariates names past-observed columns attached to every target series.
	Covariates []string
	// AllCovariates makes every column that is not the time column, the id
	// column or a target a covariate. It needs Targets.
	AllCovariates bool
	// IDColumn names the series-id column of a long file: rows with the same
	// id form one series, in any order (each series is sorted by time and
	// its timestamps must be distinct). "" means a wide file. With an id
	// column, TimeLayout "" detects the layout per series, and a time
	// column of small integers is a step index (LayoutIndex).
	//
	// An id is taken verbatim, byte for byte as the CSV field gives it
	// (after unquoting): it is not trimmed, so "a", " a" and "a " are three
	// series, and Series.ID writes back as it was read. Only an empty
	// field is a missing id. Time and value cells, by contrast, may have
	// spaces around them.
	IDColumn string
	// Missing is the missing-value policy; "" means MissingReject.
	Missing MissingPolicy
	// Gaps is the absent-timestamp policy; "" means GapReject.
	Gaps GapPolicy
}

// Frame is what the loader returns: the file's header and one Series per
// target column (per id and target column in a long file), in header order
// (ids in order of first appearance).
type Frame struct {
	// Name is the file name used in error messages ("-" or the path).
	Name string
	// Columns is the header, in file order.
	Columns []string
	// TimeColumn is the name of the time column, "" for an integer index.
	TimeColumn string
	// Series holds the loaded series; never empty when Read succeeds.
	Series []*Series
	// Failed lists the series of a long file (Options.IDColumn) that could
	// not be loaded, in order of first appearance, each with the reason;
	// Series holds the others. Callers must report them. It is empty for
	// a wide file, where a bad cell fails the whole read.
	Failed []*SeriesError
}

// Get returns the series named name, or nil.
func (f *Frame) Get(name string) *Series {
	for _, s := range f.Series {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// ReadCSV reads the CSV file at path ("-" reads standard input) with Read.
func ReadCSV(path string, opts Options) (*Frame, error) {
	if path == "-" {
		return Read(os.Stdin, "-", opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path, opts)
}

// Read reads a CSV time series from r. name is used in error messages. Every
// error names the file, and where it is about a cell, the row (header = row
// 1) and column; see CellError, FileError, MissingError and GapError. No
// value is ever silently turned into NaN: a cell is a finite number, a
// missing-value token handled by opts.Missing, or an error.
//
// A long file (opts.IDColumn) is read series by series: each id's rows may
// come in any order and are sorted by time, each series has its own time
// layout (a file may mix years, months and integer step indices) and
// frequency, and a series with a bad cell, a duplicate timestamp, a gap or
// a row of the wrong number of fields goes to Frame.Failed with the
// reason, naming its id, while the others load. A row of the wrong number
// of fields that lacks the id field fails the read. If no series of a long
// file loads, Read returns the first failure as its error together with
// the Frame, whose Failed lists them all.
func Read(r io.Reader, name string, opts Options) (fr *Frame, err error) {
	defer func() {
		if p := recover(); p != nil {
			fr, err = nil, &FileError{File: name, Err: fmt.Errorf("%w: internal error reading the file: %v", ErrCSV, p)}
		}
	}()
	if err := checkPolicies(opts); err != nil {
		return nil, err
	}
	rd := &loader{name: name, opts: opts}
	if err := rd.readRecords(r); err != nil {
		return nil, err
	}
	if err := rd.throughGota(); err != nil {
		return nil, err
	}
	return rd.build()
}

// checkPolicies rejects an unknown missing-value or gap policy.
func checkPolicies(opts Options) error {
	switch opts.Missing {
	case "", MissingReject, MissingDrop, MissingFFill, MissingInterpolate:
	default:
		return fmt.Errorf("dataset: unknown missing-value policy %q (want error, drop, ffill or interpolate)", opts.Missing)
	}
	switch opts.Gaps {
	case "", GapReject, GapKeep, GapFill:
	default:
		return fmt.Errorf("dataset: unknown gap policy %q (want error, keep or fill)", opts.Gaps)
	}
	return nil
}

type loader struct {
	name   string
	opts   Options
	header []string
	idCol  int         // the id column's index in header, -1 for none
	raw    [][]string  // raw[j][i]: column j of data record i, as read
	lines  []int32     // file line of each data record
	ragged []raggedRow // a long file's records of the wrong length, in order
	cols   map[string][]string
}

// raggedRow is a record of a long file with the wrong number of fields
// whose id field is there: it fails its series (buildLong), not the file.
type raggedRow struct {
	id     string
	at     int32 // the number of well-formed records before it
	line   int32 // its row in the file
	fields int
}

func (l *loader) row(i int) int { return int(l.lines[i]) }

// startRecords prepares the columns for the data records, n of them
// expected (a capacity hint), once the header is set.
func (l *loader) startRecords(n int) {
	l.idCol = -1
	if l.opts.IDColumn != "" {
		l.idCol = slices.Index(l.header, l.opts.IDColumn)
	}
	l.raw = make([][]string, len(l.header))
	for j := range l.raw {
		l.raw[j] = make([]string, 0, n)
	}
	l.lines = make([]int32, 0, n)
}

// addRecord appends the data record rec, row line of the file, to the
// columns. A record with the wrong number of fields fails the read, unless
// the file is long and the record has its id field: then it is set aside
// to fail its own series (buildLong), and the other series still load.
func (l *loader) addRecord(rec []string, line int) error {
	if len(rec) != len(l.header) {
		if l.idCol < 0 || l.idCol >= len(rec) {
			return &FileError{File: l.name, Row: line, Err: fmt.Errorf("has %d fields, the header has %d: %w", len(rec), len(l.header), ErrRagged)}
		}
		l.ragged = append(l.ragged, raggedRow{id: rec[l.idCol], at: int32(len(l.lines)), line: int32(line), fields: len(rec)})
		return nil
	}
	for j, v := range rec {
		l.raw[j] = append(l.raw[j], v)
	}
	l.lines = append(l.lines, int32(line))
	return nil
}

// readRecords reads the CSV with encoding/csv, checking the header and the
// number of fields of every row (addRecord), and recording each record's
// line.
func (l *loader) readRecords(r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	switch d := l.opts.Delimiter; d {
	case 0:
		cr.Comma = ','
	case ',', ';', '\t', '|':
		cr.Comma = d
	default:
		return fmt.Errorf("dataset: unsupported delimiter %q (want ',', ';', tab or '|')", d)
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return &FileError{File: l.name, Err: fmt.Errorf("empty input, no header: %w", ErrEmpty)}
	}
	if err != nil {
		return l.csvError(err)
	}
	if err := l.setHeader(slices.Clone(header)); err != nil { // the reader reuses its record
		return err
	}
	l.startRecords(0)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return l.csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if err := l.addRecord(rec, line); err != nil {
			return err
		}
	}
	if len(l.lines) == 0 && len(l.ragged) == 0 {
		return &FileError{File: l.name, Err: fmt.Errorf("header only, no data rows: %w", ErrEmpty)}
	}
	return nil
}

func (l *loader) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &FileError{File: l.name, Row: pe.Line, Err: fmt.Errorf("column %d: %v: %w", pe.Column, pe.Err, ErrCSV)}
	}
	return &FileError{File: l.name, Err: fmt.Errorf("%v: %w", err, ErrCSV)}
}

// throughGota builds a gota DataFrame of String columns from the parsed
// records (no type guessing, no NaN tokens: dataset parses numbers and times
// itself, so gota never decides what a cell means) and takes the text of
// every column back from it. A gota error or panic becomes an error.
func (l *loader) throughGota() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &FileError{File: l.name, Err: fmt.Errorf("%w: gota: %v", ErrCSV, p)}
		}
	}()
	cols := make([]gseries.Series, len(l.header))
	for j, h := range l.header {
		cols[j] = gseries.New(l.raw[j], gseries.String, h)
		l.raw[j] = nil
	}
	l.raw = nil
	df := dataframe.New(cols...)
	if df.Err != nil {
		return &FileError{File: l.name, Err: fmt.Errorf("%w: gota: %v", ErrCSV, df.Err)}
	}
	if r, c := df.Dims(); r != len(l.lines) || c != len(l.header) {
		return &FileError{File: l.name, Err: fmt.Errorf("%w: gota built a %d×%d frame, want %d×%d", ErrCSV, r, c, len(l.lines), len(l.header))}
	}
	l.cols = make(map[string][]string, len(l.header))
	for j, h := range l.header {
		c := df.Col(df.Names()[j])
		if c.Err != nil {
			return &FileError{File: l.name, Err: fmt.Errorf("%w: gota: column %q: %v", ErrCSV, h, c.Err)}
		}
		l.cols[h] = c.Records()
	}
	return nil
}

func (l *loader) noColumn(what, c string) error {
	return &FileError{File: l.name, Err: fmt.Errorf("%s column %q does not exist; columns are %s: %w", what, c, quoteList(l.header), ErrColumn)}
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// isMissing reports whether a cell is a missing-value token.
func isMissing(v string) bool {
	switch v {
	case "", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "na", "n/a":
		return true
	}
	return false
}

// parseNumber parses a value cell: a finite number, or NaN for a missing
// token. Anything else is an error.
func parseNumber(v string) (float64, error) {
	t := strings.TrimSpace(v)
	if isMissing(t) {
		return math.NaN(), nil
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, fmt.Errorf("%q is out of the float64 range: %w", v, ErrNotNumber)
		}
		return 0, fmt.Errorf("cannot parse %q as a number: %w", v, ErrNotNumber)
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, fmt.Errorf("%q is not a finite number: %w", v, ErrNotNumber)
	}
	return x, nil
}

// columns is what build resolved from the header and the options: the
// time column and its layout ("" when a long file detects it per series),
// the targets, the covariates, and every value column to parse.
type columns struct {
	time    string
	layout  string
	targets []string
	covs    []string
	need    []string
}

func (l *loader) build() (*Frame, error) {
	o := l.opts
	has := func(c string) bool { return slices.Contains(l.header, c) }
	used := map[string]bool{}
	var groups []longGroup
	if o.IDColumn != "" {
		if !has(o.IDColumn) {
			return nil, l.noColumn("id", o.IDColumn)
		}
		used[o.IDColumn] = true
		groups = l.groupRows(o.IDColumn)
	}
	for _, c := range o.Targets {
		if !has(c) {
			return nil, l.noColumn("target", c)
		}
	}
	for _, c := range o.Covariates {
		if !has(c) {
			return nil, l.noColumn("covariate", c)
		}
	}

	// The time column. A long file detects the layout per series, since
	// its series may be yearly, monthly or integer-indexed alike.
	timeCol, layout := "", o.TimeLayout
	if !o.NoTime {
		switch {
		case o.TimeColumn != "":
			if !has(o.TimeColumn) {
				return nil, l.noColumn("time", o.TimeColumn)
			}
			timeCol = o.TimeColumn
		case groups != nil:
			// A column of text times beats one of integers: a value column
			// of consecutive integers (1, 2, 3) before the date column
			// looks like a step index.
			for _, text := range []bool{true, false} {
				for _, h := range l.header {
					if timeCol == "" && !used[h] && !slices.Contains(o.Targets, h) && !slices.Contains(o.Covariates, h) &&
						(!text || l.textTimesLong(h, groups)) && l.detectTimeLong(h, groups) {
						timeCol = h
					}
				}
			}
		default:
			for _, h := range l.header {
				if used[h] || slices.Contains(o.Targets, h) || slices.Contains(o.Covariates, h) {
					continue
				}
				if lay, ok := l.detectTime(h); ok {
					timeCol = h
					if layout == "" {
						layout = lay
					}
					break
				}
			}
		}
		if timeCol != "" && layout == "" && groups == nil {
			first := strings.TrimSpace(l.cols[timeCol][0])
			lay, _, ok := detectLayout(first)
			if !ok {
				return nil, &CellError{File: l.name, Row: l.row(0), Column: timeCol, Text: first,
					Err: fmt.Errorf("cannot parse %q as a time in any known layout: %w", first, ErrBadTime)}
			}
			layout = lay
		}
	}
	if timeCol != "" {
		used[timeCol] = true
	}

	// Targets and covariates.
	targets := o.Targets
	covs := o.Covariates
	if o.AllCovariates {
		if len(targets) == 0 {
			return nil, errors.New("dataset: AllCovariates needs Targets")
		}
		covs = nil
		for _, h := range l.header {
			if !used[h] && !slices.Contains(targets, h) {
				covs = append(covs, h)
			}
		}
	}
	if groups != nil && len(l.lines) == 0 {
		// Every record has the wrong number of fields: each series fails
		// for it, and there are no cells to find the targets in.
		return l.buildLong(columns{}, groups)
	}
	var textCols []string
	if len(targets) == 0 {
		for _, h := range l.header {
			if used[h] || slices.Contains(covs, h) {
				continue
			}
			// In a long file, a column without a single number is a
			// per-series attribute (M3's period and type), not a target.
			if groups != nil && !l.hasNumber(h) {
				textCols = append(textCols, h)
				continue
			}
			targets = append(targets, h)
		}
	}
	if len(targets) == 0 {
		why := ""
		if len(textCols) > 0 {
			verb := "hold"
			if len(textCols) == 1 {
				verb = "holds"
			}
			why = fmt.Sprintf(" (%s %s no numbers)", quoteList(textCols), verb)
		}
		return nil, &FileError{File: l.name, Err: fmt.Errorf("no value columns: the file has only %s%s: %w", quoteList(l.header), why, ErrColumn)}
	}
	for _, c := range targets {
		if used[c] {
			return nil, &FileError{File: l.name, Err: fmt.Errorf("column %q cannot be both a target and the time or id column: %w", c, ErrColumn)}
		}
	}
	var need []string
	for _, c := range append(slices.Clone(targets), covs...) {
		if !slices.Contains(need, c) {
			need = append(need, c)
		}
	}
	cols := columns{time: timeCol, layout: layout, targets: targets, covs: covs, need: need}
	if groups != nil {
		return l.buildLong(cols, groups)
	}
	return l.buildWide(cols)
}

// buildWide builds one series per target column of a wide file; any bad
// cell fails the whole read.
func (l *loader) buildWide(c columns) (*Frame, error) {
	o := l.opts
	timeCol, layout := c.time, c.layout

	// Parse times.
	n := len(l.lines)
	var times []time.Time
	if timeCol != "" {
		times = make([]time.Time, n)
		raw := l.cols[timeCol]
		for i, v := range raw {
			if isMissing(strings.TrimSpace(v)) {
				return nil, &CellError{File: l.name, Row: l.row(i), Column: timeCol, Text: v, Err: fmt.Errorf("missing timestamp: %w", ErrBadTime)}
			}
			t, err := ParseTime(v, layout)
			if err != nil {
				return nil, &CellError{File: l.name, Row: l.row(i), Column: timeCol, Text: v, Err: err}
			}
			times[i] = t
		}
	}

	// Parse values of every needed column.
	values := map[string][]float64{}
	for _, col := range c.need {
		raw := l.cols[col]
		x := make([]float64, n)
		for i, v := range raw {
			f, err := parseNumber(v)
			if err != nil {
				return nil, &CellError{File: l.name, Row: l.row(i), Column: col, Text: v, Err: err}
			}
			x[i] = f
		}
		values[col] = x
	}

	// Missing cells, under the error policy, all named at once.
	if o.Missing == "" || o.Missing == MissingReject {
		var cells []Cell
		for i := 0; i < n; i++ {
			for _, col := range c.need {
				if math.IsNaN(values[col][i]) {
					cells = append(cells, Cell{Row: l.row(i), Column: col})
				}
			}
		}
		if len(cells) > 0 {
			return nil, &MissingError{File: l.name, Cells: cells}
		}
	}

	fr := &Frame{Name: l.name, Columns: l.header, TimeColumn: timeCol}
	freq := Freq{Kind: Index}
	var gaps []Gap
	if times != nil {
		raw := l.cols[timeCol]
		for k := 1; k < len(times); k++ {
			if !times[k].After(times[k-1]) {
				what := "is before"
				if times[k].Equal(times[k-1]) {
					what = "duplicates"
				}
				return nil, &CellError{File: l.name, Row: l.row(k), Column: timeCol, Text: raw[k],
					Err: fmt.Errorf("timestamp %q %s the previous timestamp %q (row %d); the time index must be strictly increasing: %w",
						raw[k], what, raw[k-1], l.row(k-1), ErrUnsorted)}
			}
		}
		var err error
		freq, gaps, err = l.checkGrid(times, layout, timeCol, "", l.row, func(k int) string { return FormatTime(times[k], layout) })
		if err != nil {
			return nil, err
		}
	}
	covVals := make([][]float64, len(c.covs))
	for j, col := range c.covs {
		covVals[j] = values[col]
	}
	for _, tc := range c.targets {
		s := &Series{
			Name:           tc,
			Time:           times,
			Values:         values[tc],
			Covariates:     covVals,
			CovariateNames: slices.Clone(c.covs),
			Freq:           freq,
			Layout:         layout,
		}
		s, err := finish(s, gaps, o.Missing, l.name, timeCol)
		if err != nil {
			return nil, err
		}
		fr.Series = append(fr.Series, s)
	}
	return fr, nil
}

// checkGrid infers the frequency of the strictly increasing times gt and
// applies the gap policy: an off-grid timestamp is an error unless gaps are
// kept, absent steps are an error under GapReject, and GapFill returns the
// gaps to insert (at most maxFill rows, and at most 10 times the series).
// fileRow maps a position to its file row, text to the cell as written.
func (l *loader) checkGrid(gt []time.Time, layout, timeCol, id string, fileRow func(int) int, text func(int) string) (Freq, []Gap, error) {
	o := l.opts
	freq := InferFreq(gt, layout)
	gaps, off := gapScan(gt, freq, fileRow)
	if o.Gaps != GapKeep && off >= 0 {
		return freq, nil, &CellError{File: l.name, Series: id, Row: fileRow(off), Column: timeCol, Text: text(off),
			Err: fmt.Errorf("timestamp is off the %s grid (previous row %d at %s); use the gap policy keep to accept an irregular index: %w",
				freq, fileRow(off-1), FormatTime(gt[off-1], layout), ErrGaps)}
	}
	if len(gaps) > 0 && (o.Gaps == "" || o.Gaps == GapReject) {
		return freq, nil, &GapError{File: l.name, Series: id, Freq: freq, Layout: layout, Gaps: gaps}
	}
	if o.Gaps != GapFill {
		gaps = nil
	}
	fillN := 0
	for _, g := range gaps {
		fillN += g.Count
	}
	if fillN > maxFill || fillN > 10*len(gt) {
		return freq, nil, &GapError{File: l.name, Series: id, Freq: freq, Layout: layout, Gaps: gaps,
			TooMany: fmt.Sprintf("filling would insert %d rows into %d; fix the timestamps or use the gap policy keep", fillN, len(gt))}
	}
	return freq, gaps, nil
}

// hasNumber reports whether any cell of column h parses as a finite number.
func (l *loader) hasNumber(h string) bool {
	for _, v := range l.cols[h] {
		if t := strings.TrimSpace(v); !isMissing(t) {
			if _, err := parseNumber(t); err == nil {
				return true
			}
		}
	}
	return false
}

// detectTime reports whether column h looks like a time column, and its
// layout: its first value parses in a text layout, or all its values are
// strictly increasing bare years or unix seconds.
func (l *loader) detectTime(h string) (string, bool) {
	raw := l.cols[h]
	first := ""
	for _, v := range raw {
		if v = strings.TrimSpace(v); !isMissing(v) {
			first = v
			break
		}
	}
	lay, numeric, ok := detectLayout(first)
	if !ok {
		return "", false
	}
	if !numeric {
		return lay, true
	}
	var prev time.Time
	for i, v := range raw {
		if !allDigits(strings.TrimSpace(v)) {
			return "", false
		}
		t, err := ParseTime(v, lay)
		if err != nil || (i > 0 && !t.After(prev)) {
			return "", false
		}
		prev = t
	}
	return lay, true
}
