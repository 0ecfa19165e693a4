package dataset

import (
	"encoding/csv"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readBoth reads text with Read and, split by encoding/csv, with
// ReadRecords, and fails the test unless both give the same series, the
// same failures and the same error.
func readBoth(t *testing.T, text string, o Options) (*Frame, error) {
	t.Helper()
	fr, err := read(t, text, o)
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	all, cerr := cr.ReadAll()
	if cerr != nil {
		t.Fatal(cerr)
	}
	fr2, err2 := ReadRecords("t.csv", all[0], all[1:], nil, o)
	if errString(err) != errString(err2) {
		t.Errorf("Read: %v\nReadRecords: %v", err, err2)
	}
	if (fr == nil) != (fr2 == nil) {
		t.Fatalf("Read frame %v, ReadRecords frame %v", fr, fr2)
	}
	if fr != nil {
		if !reflect.DeepEqual(fr.Series, fr2.Series) {
			t.Errorf("series differ: %v vs %v", fr.Series, fr2.Series)
		}
		if failures(fr) != failures(fr2) {
			t.Errorf("failures differ:\n%s\nvs\n%s", failures(fr), failures(fr2))
		}
	}
	return fr, err
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// failures lists a frame's failed series, one "id: message" a line.
func failures(fr *Frame) string {
	var b strings.Builder
	for _, f := range fr.Failed {
		b.WriteString(strings.Join([]string{f.Series, f.Error()}, ": "))
		b.WriteByte('\n')
	}
	return b.String()
}

func ids(fr *Frame) []string {
	var out []string
	for _, s := range fr.Series {
		out = append(out, s.ID)
	}
	return out
}

// TestLongIDsVerbatim (issue 23): ids are taken byte for byte as the CSV
// field gives them, so ids that differ only in spaces are distinct series,
// and Read and ReadRecords agree.
func TestLongIDsVerbatim(t *testing.T) {
	text := "id,t,v\n" +
		"a,2000-01,1\n" +
		"\" a\",2000-01,2\n" +
		"a ,2000-01,3\n" +
		"a,2000-02,4\n" +
		" a,2000-02,5\n" +
		"\"a \",2000-02,6\n" +
		"\" spaced id \",2000-01,7\n" +
		" spaced id ,2000-02,8\n" +
		"\t,2000-01,9\n"
	fr, err := readBoth(t, text, Options{IDColumn: "id"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a", " a", "a ", " spaced id ", "\t"}
	if got := ids(fr); !slices.Equal(got, want) || len(fr.Failed) != 0 {
		t.Fatalf("ids %q, failed %v; want %q, none", got, fr.Failed, want)
	}
	for i, v := range [][]float64{{1, 4}, {2, 5}, {3, 6}, {7, 8}, {9}} {
		if s := fr.Series[i]; s.Name != s.ID || !slices.Equal(s.Values, v) {
			t.Errorf("series %q (name %q) = %v; want %v", s.ID, s.Name, s.Values, v)
		}
	}
}

// TestLongSpacedIDRoundTrips (issue 23): a spaced id written back with
// encoding/csv, as the long outputs are, reads back as the same id.
func TestLongSpacedIDRoundTrips(t *testing.T) {
	for _, id := range []string{" spaced id ", "  ", "x\t", "a,b", `q"uote`, "line\nbreak", "\ufeffbom"} {
		var sb strings.Builder
		w := csv.NewWriter(&sb)
		w.Write([]string{"series", "time", "value"})
		w.Write([]string{id, "2000-01", "1"})
		w.Write([]string{"other", "2000-01", "1"})
		w.Write([]string{id, "2000-02", "2"})
		w.Flush()
		fr, err := readBoth(t, sb.String(), Options{IDColumn: "series"})
		if err != nil {
			t.Fatalf("id %q: %v", id, err)
		}
		s := fr.Series[0]
		if s.ID != id || s.Len() != 2 {
			t.Fatalf("id %q read back as %q with %d rows", id, s.ID, s.Len())
		}
		sb.Reset()
		w = csv.NewWriter(&sb)
		w.Write([]string{"series", "time", "value"})
		for k := range s.Len() {
			w.Write([]string{s.ID, s.Format(s.Time[k]), "1"})
		}
		w.Flush()
		again, err := readBoth(t, sb.String(), Options{IDColumn: "series"})
		if err != nil || again.Series[0].ID != id {
			t.Errorf("id %q written and read again: %q, %v", id, ids(again), err)
		}
	}
}
