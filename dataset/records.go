package dataset

import (
	"fmt"
	"slices"
	"strings"
)

// ReadRecords loads series from records that a CSV reader has already
// split into fields — the rows of one series gathered by a distributed
// engine, say — with the same checks and errors as Read: header names,
// the number of fields of every record, cells, times, missing values and
// gaps, each error naming name, the series, the row and the column; as in
// Read, a record of a long file with the wrong number of fields fails its
// series only, when it has the id field, and the read otherwise. lines
// gives each record's row for messages (header = row 1); nil numbers them
// 2, 3, ... as in a file. Unlike Read it does not build a gota DataFrame:
// the records are already text columns, and a pipeline that loads
// thousands of small series would pay for one per series.
func ReadRecords(name string, header []string, records [][]string, lines []int, opts Options) (fr *Frame, err error) {
	defer func() {
		if p := recover(); p != nil {
			fr, err = nil, &FileError{File: name, Err: fmt.Errorf("%w: internal error reading the records: %v", ErrCSV, p)}
		}
	}()
	if err := checkPolicies(opts); err != nil {
		return nil, err
	}
	if lines != nil && len(lines) != len(records) {
		panic(fmt.Sprintf("dataset: ReadRecords with %d records and %d lines", len(records), len(lines)))
	}
	l := &loader{name: name, opts: opts}
	if err := l.setHeader(slices.Clone(header)); err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, &FileError{File: name, Err: fmt.Errorf("header only, no data rows: %w", ErrEmpty)}
	}
	l.startRecords(len(records))
	for i, rec := range records {
		line := i + 2
		if lines != nil {
			line = lines[i]
		}
		if err := l.addRecord(rec, line); err != nil {
			return nil, err
		}
	}
	l.cols = make(map[string][]string, len(l.header))
	for j, h := range l.header {
		l.cols[h] = l.raw[j]
	}
	l.raw = nil
	return l.build()
}

// setHeader trims and checks the header's names (none empty, none twice)
// and keeps it.
func (l *loader) setHeader(header []string) error {
	seen := map[string]int{}
	for j, h := range header {
		h = strings.TrimSpace(h)
		header[j] = h
		if h == "" {
			return &FileError{File: l.name, Row: 1, Err: fmt.Errorf("column %d has an empty name: %w", j+1, ErrColumn)}
		}
		if k, ok := seen[h]; ok {
			return &FileError{File: l.name, Row: 1, Err: fmt.Errorf("columns %d and %d are both named %q: %w", k+1, j+1, h, ErrColumn)}
		}
		seen[h] = j
	}
	l.header = header
	return nil
}
