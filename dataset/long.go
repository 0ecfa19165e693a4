package dataset

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LayoutIndex is the Layout of a time column that holds integers counting
// steps (1, 2, 3, ... or 0, 1, 2, ...) rather than calendar times. A series
// read with it is integer-indexed (Freq.Kind == Index, Time == nil) and
// remembers its first integer in Series.Origin. In a long file an integer
// column of other than 4 (years) or 9–10 digits (unix seconds) is detected
// as LayoutIndex.
const LayoutIndex = "index"

// SeriesError reports one series of a long file (Options.IDColumn) that
// could not be loaded. The other series of the file load regardless: one
// bad series never costs the others. Err names the file, the series and,
// where it is about a cell, its row and column:
//
//	m3.csv: series "M12": row 40, column "value": cannot parse "x" as a number: not a number
type SeriesError struct {
	// Series is the series id; "" for rows whose id cell is empty.
	Series string
	// Err is the cause: a *CellError, *MissingError, *GapError or
	// *FileError, each naming the series.
	Err error
}

// Error returns the cause's message, which names the file and the series.
func (e *SeriesError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *SeriesError) Unwrap() error { return e.Err }

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// longGroup is one series id's rows, in file order, and its records with
// the wrong number of fields, which fail it.
type longGroup struct {
	id   string
	rows []int32
	bad  []raggedRow
}

// textTimesLong reports whether column h starts every series (group) with
// a time in a text layout (a date, not a year, unix seconds or an index).
func (l *loader) textTimesLong(h string, groups []longGroup) bool {
	raw := l.cols[h]
	for _, g := range groups {
		if len(g.rows) == 0 {
			continue
		}
		if _, numeric, ok := detectLayoutLong(raw[g.rows[0]]); !ok || numeric {
			return false
		}
	}
	return true
}

// detectLayoutLong is detectLayout for one series of a long file: besides
// the text layouts, years and unix seconds, any other run of up to 8
// digits is an integer step index.
func detectLayoutLong(v string) (layout string, numeric, ok bool) {
	if lay, num, ok := detectLayout(v); ok {
		return lay, num, ok
	}
	v = strings.TrimSpace(v)
	if allDigits(v) && len(v) <= 8 {
		return LayoutIndex, true, true
	}
	return "", false, false
}

// groupRows splits the data rows by the id column, ids in order of first
// appearance. An id is the cell as the CSV reader gives it, byte for byte
// (not trimmed, unlike times and values: " a" and "a" are two series).
// Rows with an empty id form the group with id "". The records set aside
// for their number of fields (l.ragged) join their id's group as bad rows,
// in the same order of appearance; a group may have only bad rows.
func (l *loader) groupRows(idCol string) []longGroup {
	var groups []longGroup
	idx := map[string]int{}
	group := func(id string) *longGroup {
		k, ok := idx[id]
		if !ok {
			k = len(groups)
			idx[id] = k
			groups = append(groups, longGroup{id: id})
		}
		return &groups[k]
	}
	bad := l.ragged
	for i, v := range l.cols[idCol] {
		for ; len(bad) > 0 && int(bad[0].at) <= i; bad = bad[1:] {
			g := group(bad[0].id)
			g.bad = append(g.bad, bad[0])
		}
		g := group(v)
		g.rows = append(g.rows, int32(i))
	}
	for _, r := range bad {
		g := group(r.id)
		g.bad = append(g.bad, r)
	}
	return groups
}

// raggedError is the failure of a series with records of the wrong number
// of fields: the first of them, worded as the Beam pipeline words it,
//
//	m3.csv: series "M12": row 40: has 4 fields, the header has 3: wrong number of fields
func (l *loader) raggedError(g longGroup) error {
	r := g.bad[0]
	more := ""
	if len(g.bad) > 1 {
		more = " (and 1 other bad row)"
		if n := len(g.bad) - 1; n > 1 {
			more = fmt.Sprintf(" (and %d other bad rows)", n)
		}
	}
	return &FileError{File: l.name, Series: g.id, Row: int(r.line),
		Err: fmt.Errorf("has %d fields, the header has %d: %w%s", r.fields, len(l.header), ErrRagged, more)}
}

// detectTimeLong reports whether column h of a long file looks like its
// time column, and is used when Options.TimeColumn is empty: the first
// value of every series parses in some layout and, where that layout is
// numeric, the series' values are distinct integers that, sorted, count
// up by 1 (an integer index) or by at most 2 on average (years); unix
// seconds need only be distinct. A column of integers is otherwise taken
// for data.
func (l *loader) detectTimeLong(h string, groups []longGroup) bool {
	raw := l.cols[h]
	var keys []int64
	for _, g := range groups {
		if len(g.rows) == 0 { // only ragged records
			continue
		}
		lay, numeric, ok := detectLayoutLong(raw[g.rows[0]])
		if !ok {
			return false
		}
		if !numeric {
			continue
		}
		keys = keys[:0]
		for _, i := range g.rows {
			v := strings.TrimSpace(raw[i])
			if !allDigits(v) {
				return false
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return false
			}
			keys = append(keys, n)
		}
		slices.Sort(keys)
		for k := 1; k < len(keys); k++ {
			if keys[k] == keys[k-1] {
				return false
			}
		}
		span := keys[len(keys)-1] - keys[0]
		n := int64(len(keys) - 1)
		switch lay {
		case LayoutIndex:
			if span != n {
				return false
			}
		case "2006":
			if span > 2*n {
				return false
			}
		}
	}
	return true
}

// buildLong builds one series per id (per id and target when there are
// several targets) of a long file. A series whose cells, timestamps or
// gaps are bad, or that has a record of the wrong number of fields, goes
// to Frame.Failed; the others load.
func (l *loader) buildLong(c columns, groups []longGroup) (*Frame, error) {
	fr := &Frame{Name: l.name, Columns: l.header, TimeColumn: c.time}
	for _, g := range groups {
		if len(g.bad) > 0 {
			fr.Failed = append(fr.Failed, &SeriesError{Series: g.id, Err: l.raggedError(g)})
			continue
		}
		ss, err := l.longSeries(c, g)
		if err != nil {
			fr.Failed = append(fr.Failed, &SeriesError{Series: g.id, Err: err})
			continue
		}
		fr.Series = append(fr.Series, ss...)
	}
	if len(fr.Series) == 0 {
		first := fr.Failed[0].Err
		if len(fr.Failed) == 1 {
			return fr, first
		}
		return fr, fmt.Errorf("%w (and %d other series failed)", first, len(fr.Failed)-1)
	}
	return fr, nil
}

// longSeries builds the series of one id: it detects the group's time
// layout, sorts its rows by time, and runs the same checks as a wide file
// (strictly increasing times, cells, missing values, gaps), every error
// naming the series.
func (l *loader) longSeries(c columns, g longGroup) ([]*Series, error) {
	o := l.opts
	if g.id == "" {
		return nil, &CellError{File: l.name, Row: l.row(int(g.rows[0])), Column: o.IDColumn,
			Err: fmt.Errorf("%w (%s without an id)", ErrNoID, plural(len(g.rows), "row"))}
	}
	rows := g.rows
	fileRow := func(k int) int { return l.row(int(rows[k])) }
	cellErr := func(k int, col string, err error) error {
		return &CellError{File: l.name, Series: g.id, Row: fileRow(k), Column: col, Text: l.cols[col][rows[k]], Err: err}
	}

	// Times: the group's own layout, then sort the rows by time.
	var gt []time.Time
	layout := c.layout
	origin := 0
	if c.time != "" {
		raw := l.cols[c.time]
		if layout == "" {
			first := strings.TrimSpace(raw[rows[0]])
			if isMissing(first) {
				return nil, cellErr(0, c.time, fmt.Errorf("missing timestamp: %w", ErrBadTime))
			}
			lay, _, ok := detectLayoutLong(first)
			if !ok {
				return nil, cellErr(0, c.time, fmt.Errorf("cannot parse %q as a time in any known layout: %w", first, ErrBadTime))
			}
			layout = lay
		}
		keys := make([]int64, len(rows))
		if layout == LayoutIndex {
			for k, i := range rows {
				v := strings.TrimSpace(raw[i])
				if isMissing(v) {
					return nil, cellErr(k, c.time, fmt.Errorf("missing timestamp: %w", ErrBadTime))
				}
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
					return nil, cellErr(k, c.time, fmt.Errorf("cannot parse %q as an integer time index: %w", v, ErrBadTime))
				}
				keys[k] = n
			}
		} else {
			gt = make([]time.Time, len(rows))
			for k, i := range rows {
				v := raw[i]
				if isMissing(strings.TrimSpace(v)) {
					return nil, cellErr(k, c.time, fmt.Errorf("missing timestamp: %w", ErrBadTime))
				}
				t, err := ParseTime(v, layout)
				if err != nil {
					return nil, cellErr(k, c.time, err)
				}
				gt[k] = t
				keys[k] = t.UnixNano()
				if t.Year() < 1678 || t.Year() > 2261 { // outside UnixNano's range
					keys[k] = t.Unix()
				}
			}
		}
		if !slices.IsSorted(keys) {
			perm := make([]int, len(rows))
			for k := range perm {
				perm[k] = k
			}
			var cmpKey func(a, b int) int
			if gt != nil {
				cmpKey = func(a, b int) int { return gt[a].Compare(gt[b]) }
			} else {
				cmpKey = func(a, b int) int { return cmp.Compare(keys[a], keys[b]) }
			}
			slices.SortStableFunc(perm, cmpKey)
			sr := make([]int32, len(rows))
			sk := make([]int64, len(rows))
			var st []time.Time
			if gt != nil {
				st = make([]time.Time, len(rows))
			}
			for k, p := range perm {
				sr[k], sk[k] = rows[p], keys[p]
				if gt != nil {
					st[k] = gt[p]
				}
			}
			rows, keys, gt = sr, sk, st
		}
		for k := 1; k < len(rows); k++ {
			same := keys[k] == keys[k-1]
			if gt != nil {
				same = gt[k].Equal(gt[k-1])
			}
			if same {
				return nil, cellErr(k, c.time, fmt.Errorf("timestamp %q duplicates the timestamp %q of row %d; each series' times must be distinct: %w",
					strings.TrimSpace(raw[rows[k]]), strings.TrimSpace(raw[rows[k-1]]), fileRow(k-1), ErrUnsorted))
			}
		}
		if layout == LayoutIndex {
			for k := 1; k < len(rows); k++ {
				if keys[k] != keys[k-1]+1 {
					return nil, cellErr(k, c.time, fmt.Errorf("integer time index jumps from %d (row %d) to %d; an integer index counts up by 1: %w",
						keys[k-1], fileRow(k-1), keys[k], ErrGaps))
				}
			}
			origin = int(keys[0])
		}
	}

	// Values, and missing cells under the error policy.
	values := make(map[string][]float64, len(c.need))
	for _, col := range c.need {
		raw := l.cols[col]
		x := make([]float64, len(rows))
		for k, i := range rows {
			f, err := parseNumber(raw[i])
			if err != nil {
				return nil, cellErr(k, col, err)
			}
			x[k] = f
		}
		values[col] = x
	}
	if o.Missing == "" || o.Missing == MissingReject {
		var cells []Cell
		for k := range rows {
			for _, col := range c.need {
				if math.IsNaN(values[col][k]) {
					cells = append(cells, Cell{Row: fileRow(k), Column: col})
				}
			}
		}
		if len(cells) > 0 {
			return nil, &MissingError{File: l.name, Series: g.id, Cells: cells}
		}
	}

	freq := Freq{Kind: Index}
	var gaps []Gap
	if gt != nil {
		var err error
		freq, gaps, err = l.checkGrid(gt, layout, c.time, g.id, fileRow, func(k int) string { return strings.TrimSpace(l.cols[c.time][rows[k]]) })
		if err != nil {
			return nil, err
		}
	}
	if layout == LayoutIndex {
		layout = ""
	}
	covVals := make([][]float64, len(c.covs))
	for j, col := range c.covs {
		covVals[j] = values[col]
	}
	var out []*Series
	for _, tc := range c.targets {
		s := &Series{
			Name:           g.id,
			ID:             g.id,
			Time:           gt,
			Values:         values[tc],
			Covariates:     covVals,
			CovariateNames: slices.Clone(c.covs),
			Freq:           freq,
			Layout:         layout,
			Origin:         origin,
		}
		if len(c.targets) > 1 {
			s.Name = g.id + "/" + tc
		}
		s, err := finish(s, gaps, o.Missing, l.name, c.time)
		if err != nil {
			var fe *FileError
			if errors.As(err, &fe) {
				fe.Series = g.id
			}
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
