package dataset

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestReadRecordsAsRead: the same long file read as records gives the same
// series and the same failures, messages included, as Read.
func TestReadRecordsAsRead(t *testing.T) {
	text := "id,d,v\nb,2020-01-02,2\na,2020-01-01,1\nb,2020-01-01,1\na,2020-01-02,x\nc,2020-01-01,5\nc,2020-01-03,6\nc,2020-01-02,7\n"
	all, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	o := Options{IDColumn: "id"}
	want, err := Read(strings.NewReader(text), "t.csv", o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadRecords("t.csv", all[0], all[1:], nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Series) != 2 || !reflect.DeepEqual(got.Series, want.Series) {
		t.Errorf("series differ: %v vs %v", got.Series, want.Series)
	}
	if len(got.Failed) != 1 || got.Failed[0].Error() != want.Failed[0].Error() {
		t.Errorf("failures differ: %v vs %v", got.Failed, want.Failed)
	}
	if got.Failed[0].Error() != `t.csv: series "a": row 5, column "v": cannot parse "x" as a number: not a number` {
		t.Errorf("failure %v", got.Failed[0])
	}
	// Rows named by the caller's numbering; a ragged record fails its
	// series, or the read when it has no id field.
	_, err = ReadRecords("big.csv", []string{"id", "d", "v"}, [][]string{{"a", "2020-01-01", "1"}, {"a", "2020-01-02"}}, []int{40, 41}, o)
	if err == nil || err.Error() != `big.csv: series "a": row 41: has 2 fields, the header has 3: wrong number of fields` {
		t.Errorf("ragged record: %v", err)
	}
	_, err = ReadRecords("big.csv", []string{"d", "v", "id"}, [][]string{{"2020-01-01", "1", "a"}, {"2020-01-02", "2"}}, []int{40, 41}, o)
	if err == nil || err.Error() != "big.csv: row 41: has 2 fields, the header has 3: wrong number of fields" {
		t.Errorf("ragged record without its id: %v", err)
	}
	_, err = ReadRecords("h.csv", []string{"id", "id"}, nil, nil, o)
	if err == nil || err.Error() != `h.csv: row 1: columns 1 and 2 are both named "id": bad column` {
		t.Errorf("duplicate header: %v", err)
	}
}

// BenchmarkReadRecordsSeries is the per-series cost a pipeline pays (one
// 120-row series): go test -run '^$' -bench 'Series$' ./dataset/
func BenchmarkReadRecordsSeries(b *testing.B) {
	header, recs := smallLong()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRecords("x.csv", header, recs, nil, Options{IDColumn: "series"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadSeries is the same series through Read (CSV and gota).
func BenchmarkReadSeries(b *testing.B) {
	header, recs := smallLong()
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write(header)
	w.WriteAll(recs)
	text := sb.String()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(strings.NewReader(text), "x.csv", Options{IDColumn: "series"}); err != nil {
			b.Fatal(err)
		}
	}
}

func smallLong() ([]string, [][]string) {
	var recs [][]string
	for i := range 120 {
		recs = append(recs, []string{"s1", FormatTime(addMonths(mustTime("2000-01"), i), "2006-01"), "1" + strings.Repeat("0", i%3)})
	}
	return []string{"series", "time", "value"}, recs
}

func mustTime(v string) time.Time {
	t, err := ParseTime(v, "2006-01")
	if err != nil {
		panic(err)
	}
	return t
}
