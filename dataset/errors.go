package dataset

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors, checked with errors.Is. Every error the loader returns
// wraps one of them (usually inside a *CellError, *FileError or *GapError
// that says where).
var (
	// ErrTooShort: a series has fewer observations than a task needs.
	ErrTooShort = errors.New("series too short")
	// ErrEmpty: the input has no rows (no header, or a header only).
	ErrEmpty = errors.New("no data")
	// ErrNotNumber: a value cell does not parse as a finite number.
	ErrNotNumber = errors.New("not a number")
	// ErrBadTime: a time cell does not parse in the column's layout.
	ErrBadTime = errors.New("not a time")
	// ErrUnsorted: timestamps are not strictly increasing (unsorted or
	// duplicate).
	ErrUnsorted = errors.New("time index not strictly increasing")
	// ErrMissing: the input has missing values and the policy is MissingError.
	ErrMissing = errors.New("missing values")
	// ErrGaps: the time index has absent steps and the policy is GapError.
	ErrGaps = errors.New("gaps in the time index")
	// ErrColumn: a requested column does not exist, or the header is bad
	// (duplicate or empty names).
	ErrColumn = errors.New("bad column")
	// ErrRagged: a row has a different number of fields than the header.
	ErrRagged = errors.New("wrong number of fields")
	// ErrCSV: the input is not valid CSV (for example a bare quote).
	ErrCSV = errors.New("malformed csv")
	// ErrNoID: rows of a long file have an empty series id.
	ErrNoID = errors.New("empty series id")
)

// CellError reports a bad cell. Row counts CSV records as a user counts
// lines in a plain file: the header is row 1, the first data row is row 2
// (blank lines are skipped by the CSV reader and not counted; for files
// without blank lines or multi-line quoted fields, Row is the line number).
// Its message reads
//
//	airline.csv: row 14, column "passengers": cannot parse "12x" as a number
type CellError struct {
	File   string // the name given to Read, or the path given to ReadCSV
	Series string // the series id in a long file, "" otherwise
	Row    int    // 1-based record number, header = 1
	Column string // column name from the header
	Text   string // the offending cell text
	Err    error  // the cause; wraps a sentinel such as ErrNotNumber
}

// Error returns the message: file, series (in a long file), row, column and cause.
func (e *CellError) Error() string {
	return fmt.Sprintf("%s: %srow %d, column %q: %v", e.File, seriesPrefix(e.Series), e.Row, e.Column, e.Err)
}

// seriesPrefix is `series "id": ` for a long file's series, "" otherwise.
func seriesPrefix(id string) string {
	if id == "" {
		return ""
	}
	return fmt.Sprintf("series %q: ", id)
}

// Unwrap returns the cause.
func (e *CellError) Unwrap() error { return e.Err }

// FileError reports a problem with the file as a whole (empty input, bad
// header, unknown column), or a row as a whole (Row > 0, e.g. ragged rows).
type FileError struct {
	File   string
	Series string // the series id when the error is about one series of a long file
	Row    int    // 0 when the error is not about one row
	Err    error
}

// Error returns the message: file, series (in a long file), row if any, and cause.
func (e *FileError) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("%s: %srow %d: %v", e.File, seriesPrefix(e.Series), e.Row, e.Err)
	}
	return fmt.Sprintf("%s: %s%v", e.File, seriesPrefix(e.Series), e.Err)
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// MissingError lists the missing cells found under the MissingReject policy.
// It wraps ErrMissing. Cells holds every missing cell (row and column), in
// file order.
type MissingError struct {
	File   string
	Series string // the series id in a long file, "" otherwise
	Cells  []Cell
}

// Cell locates one cell: 1-based row (header = 1) and column name.
type Cell struct {
	Row    int
	Column string
}

// Error returns the message: the count of missing cells per column, the
// runs of rows they are in, and the policies that accept them.
func (e *MissingError) Error() string {
	var b strings.Builder
	// Count per column, in order of first appearance.
	var cols []string
	count := map[string]int{}
	for _, c := range e.Cells {
		if count[c.Column] == 0 {
			cols = append(cols, c.Column)
		}
		count[c.Column]++
	}
	fmt.Fprintf(&b, "%s: %s%d missing values (", e.File, seriesPrefix(e.Series), len(e.Cells))
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d in column %q", count[c], c)
	}
	b.WriteString("): ")
	// Runs of consecutive rows per column: rows 2-25 of "pm2.5".
	type run struct {
		col        string
		first, end int
	}
	var runs []run
	for _, col := range cols {
		for _, c := range e.Cells {
			if c.Column != col {
				continue
			}
			if k := len(runs) - 1; k >= 0 && runs[k].col == col && runs[k].end+1 == c.Row {
				runs[k].end = c.Row
				continue
			}
			runs = append(runs, run{col, c.Row, c.Row})
		}
	}
	const show = 5
	for i, r := range runs {
		if i == show {
			fmt.Fprintf(&b, ", ... (%d more runs)", len(runs)-show)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if r.first == r.end {
			fmt.Fprintf(&b, "row %d column %q", r.first, r.col)
		} else {
			fmt.Fprintf(&b, "rows %d-%d column %q", r.first, r.end, r.col)
		}
	}
	b.WriteString("; choose a missing-value policy: drop, ffill or interpolate")
	return b.String()
}

// Unwrap returns ErrMissing.
func (e *MissingError) Unwrap() error { return ErrMissing }

// Gap is a run of absent steps in a regular time index: Count timestamps
// that the frequency predicts between two consecutive rows, First to Last.
type Gap struct {
	// Row is the 1-based file row (header = 1) just after the gap.
	Row         int
	First, Last time.Time
	Count       int
}

// GapError lists the gaps found in a time index under the GapReject policy.
// It wraps ErrGaps.
type GapError struct {
	File   string
	Series string // series id in a long file, "" otherwise
	Freq   Freq
	Layout string
	Gaps   []Gap
	// TooMany, if set, says why the gaps could not be filled (too many
	// absent rows); it replaces the hint at the end of the message.
	TooMany string
}

// Error returns the message: the absent timestamps, the rows after them,
// and the policies that accept them.
func (e *GapError) Error() string {
	var b strings.Builder
	n := 0
	for _, g := range e.Gaps {
		n += g.Count
	}
	fmt.Fprintf(&b, "%s: %s", e.File, seriesPrefix(e.Series))
	fmt.Fprintf(&b, "%d absent timestamps in the %s time index: ", n, e.Freq)
	const show = 5
	for i, g := range e.Gaps {
		if i == show {
			fmt.Fprintf(&b, ", ... (%d more gaps)", len(e.Gaps)-show)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if g.Count == 1 {
			fmt.Fprintf(&b, "%s", FormatTime(g.First, e.Layout))
		} else {
			fmt.Fprintf(&b, "%s to %s (%d steps)", FormatTime(g.First, e.Layout), FormatTime(g.Last, e.Layout), g.Count)
		}
		fmt.Fprintf(&b, " before row %d", g.Row)
	}
	if e.TooMany != "" {
		b.WriteString("; " + e.TooMany)
		return b.String()
	}
	b.WriteString("; choose a gap policy: fill or keep")
	return b.String()
}

// Unwrap returns ErrGaps.
func (e *GapError) Unwrap() error { return ErrGaps }

// CheckLength returns nil if s has at least need observations, and otherwise
// an error wrapping ErrTooShort that says how many are needed and why, e.g.
//
//	series "passengers" has 40 observations; window 48 + horizon 12 needs at least 60
//
// why describes the need ("window 48 + horizon 12"); it may be empty.
func CheckLength(s *Series, need int, why string) error {
	if s.Len() >= need {
		return nil
	}
	if why == "" {
		return fmt.Errorf("series %q has %d observations; needs at least %d: %w", s.Name, s.Len(), need, ErrTooShort)
	}
	return fmt.Errorf("series %q has %d observations; %s needs at least %d: %w", s.Name, s.Len(), why, need, ErrTooShort)
}
