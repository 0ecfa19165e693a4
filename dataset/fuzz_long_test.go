package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzReadLong fuzzes the long-table loader (Options.IDColumn "id") over
// ids and rows: quotes, spaces, delimiters, ragged rows, empty fields, a
// BOM, CRLF. Run it with .ci/steps/35-fuzz.sh, or as a plain test over its
// seeds. The invariants, against encoding/csv's reading of the same text:
//
//   - no panic (nor one that Read's recover turned into an error);
//   - every error, and every failed series, names the file and wraps one
//     of the package's sentinels;
//   - every series' ID is verbatim an id field of the input;
//   - every id of the input is one loaded series (per target) or one
//     failure, so the rows of the loaded series plus the rows of the failed
//     ones are the data rows;
//   - ReadRecords, given the records, agrees with Read: the same series,
//     failures and error.
func FuzzReadLong(f *testing.F) {
	seeds := []struct {
		text  string
		flags uint8
	}{
		{"id,t,v\na,2000-01,1\nb,2000-01,3\na,2000-02,2\n", 0},
		{"id,t,v\na,2000-01,1\n\" a\",2000-01,2\na ,2000-01,3\n a ,2000-02,4\n", 0},  // spaced ids
		{"id,t,v\n\" spaced id \",2000-01,1\n spaced id ,2000-02,2\n", 0},            // a quoted and a bare spaced id
		{"id,t,v\n\"a,b\",2000-01,1\n\"a\"\"q\",2000-01,2\n\"a\nb\",2000-01,3\n", 0}, // delimiter, quote, newline in ids
		{"id,t,v\na,2000-01,1\na,2000-02,2,3\nb,2000-01,1\nb,2000-02\n", 0},          // ragged rows with their id
		{"t,v,id\n2000-01,1,a\n2000-02\n", 0},                                        // ragged without the id field
		{"id,t,v\n,2000-01,1\n,2000-02,2,2\na,,2\nb,2000-01,\nc,2000-01,1\n", 0},     // empty fields
		{"\ufeffid,t,v\r\na,2000-01,1\r\na,2000-02,2\r\nb,1,1\r\n", 0},               // BOM, CRLF
		{"id;t;v\na;1;1\na;2;2\n\"b;c\";1;3\n", 1},                                   // semicolons
		{"id,t,v\na,1,1\n\na,2,2\n", 2},                                              // a blank line
		{"id,t,v\na, 2000-01 , 1 \na,2000-02,NA\n", 4},                               // spaced cells, a missing value
		{"id,t,v\na,2000-01,1\na,2000-03,2\n", 8},                                    // a gap, kept
		{"id,t,v\n\"unterminated,2000-01,1\n", 0},                                    // malformed CSV
		{" id ,t,v,w\na,1,1,x\nb,1,2,3\nb,2,y,4\n", 0},                               // a spaced header, text cells
		{"id\na\nb\n", 0},       // ids only
		{"id,t,v\na,1,1,\n", 0}, // only ragged rows
		{"id,id,v\na,a,1\n", 0}, // a duplicate column
		{"v,t\n1,2000-01\n", 0}, // no id column
		{"id,t,v\n\"\",2000-01,1\n\" \",2000-01,2\n\"\t\",2000-02,3\n\" \",2000-02,4\n", 0}, // blank ids
	}
	for _, s := range seeds {
		f.Add(s.text, s.flags)
	}
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		o := Options{IDColumn: "id"}
		if flags&1 != 0 {
			o.Delimiter = ';'
		}
		if flags&2 != 0 {
			o.TimeColumn = "t"
		}
		// Policies that keep one row per record, so rows can be counted.
		o.Missing = []MissingPolicy{"", MissingFFill, MissingInterpolate, MissingReject}[flags>>2&3]
		if flags&16 != 0 {
			o.Gaps = GapKeep
		}
		fr, err := Read(strings.NewReader(text), "f.csv", o)
		checkLoadError(t, "Read", err)
		if fr != nil {
			for _, fl := range fr.Failed {
				checkLoadError(t, "Failed", fl)
			}
		}

		// encoding/csv's reading of the text, as Read reads it.
		header, recs, lines, ok := csvRecords(text, o.Delimiter)
		if !ok {
			if err == nil {
				t.Fatalf("Read accepted text that encoding/csv rejects")
			}
			return
		}
		fr2, err2 := ReadRecords("f.csv", header, recs, lines, o)
		checkLoadError(t, "ReadRecords", err2)
		if errString(err) != errString(err2) {
			t.Fatalf("Read: %v\nReadRecords: %v", err, err2)
		}
		if (fr == nil) != (fr2 == nil) {
			t.Fatalf("Read frame %v, ReadRecords frame %v", fr, fr2)
		}
		col := -1 // the id column
		for j, h := range header {
			if strings.TrimSpace(h) == o.IDColumn {
				col = j
			}
		}
		noID := func(rec []string) bool { return col < 0 || col >= len(rec) }
		if fr == nil {
			// Only a row without its id field fails the file for its
			// number of fields.
			if errors.Is(err, ErrRagged) && !slices.ContainsFunc(recs, noID) {
				t.Fatalf("a ragged row failed the file, though every row has its id field: %v", err)
			}
			return
		}
		if !reflect.DeepEqual(fr.Series, fr2.Series) {
			t.Fatalf("series differ: Read %v, ReadRecords %v", fr.Series, fr2.Series)
		}
		if failures(fr) != failures(fr2) {
			t.Fatalf("failures differ:\nRead:\n%sReadRecords:\n%s", failures(fr), failures(fr2))
		}

		// Every id is one loaded series (per target) or one failure, and
		// the rows add up.
		rows := map[string]int{}
		for _, rec := range recs {
			if noID(rec) {
				t.Fatalf("Read succeeded on a record without its id field: %q", rec)
			}
			rows[rec[col]]++
		}
		loaded, failed := map[string]int{}, map[string]bool{}
		for _, s := range fr.Series {
			n, in := rows[s.ID]
			if !in {
				t.Fatalf("series id %q is no id field of the input", s.ID)
			}
			if s.Len() != n {
				t.Fatalf("series %q has %d rows; the input has %d with its id", s.Name, s.Len(), n)
			}
			if s.Name != s.ID && !strings.HasPrefix(s.Name, s.ID+"/") {
				t.Fatalf("series %q named %q", s.ID, s.Name)
			}
			loaded[s.ID] = n
		}
		sum := 0
		for _, n := range loaded {
			sum += n
		}
		for _, fl := range fr.Failed {
			n, in := rows[fl.Series]
			if !in {
				t.Fatalf("failed id %q is no id field of the input", fl.Series)
			}
			if failed[fl.Series] || loaded[fl.Series] > 0 {
				t.Fatalf("id %q failed twice, or failed and loaded", fl.Series)
			}
			failed[fl.Series] = true
			sum += n
		}
		if sum != len(recs) || len(loaded)+len(failed) != len(rows) {
			t.Fatalf("%d ids, %d loaded and %d failed; %d data rows, %d in series", len(rows), len(loaded), len(failed), len(recs), sum)
		}
	})
}

// checkLoadError fails the test unless err is nil or names the file f.csv,
// wraps one of the package's sentinels, and is no panic that a recover
// turned into an error.
func checkLoadError(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "f.csv: ") {
		t.Fatalf("%s: error %q names no file", what, msg)
	}
	if strings.Contains(msg, "internal error") || strings.Contains(msg, "gota:") {
		t.Fatalf("%s: a panic: %s", what, msg)
	}
	for _, s := range []error{ErrEmpty, ErrNotNumber, ErrBadTime, ErrUnsorted, ErrMissing, ErrGaps, ErrColumn, ErrRagged, ErrCSV, ErrNoID} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("%s: error %q wraps no sentinel", what, msg)
}

// csvRecords reads text as Read does (a leading BOM dropped, fields per
// record free) with encoding/csv: the header, the data records and their
// rows. ok is false if encoding/csv rejects the text or it has no header.
func csvRecords(text string, delim rune) (header []string, recs [][]string, lines []int, ok bool) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix([]byte(text), []byte("\ufeff"))))
	if delim != 0 {
		cr.Comma = delim
	}
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, false
		}
		if header == nil {
			header = rec
			continue
		}
		line, _ := cr.FieldPos(0)
		recs = append(recs, rec)
		lines = append(lines, line)
	}
	return header, recs, lines, header != nil
}
