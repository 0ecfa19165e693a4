package dataset

import (
	"errors"
	"slices"
	"testing"
)

// TestLongRaggedRowFailsItsSeries (issue 23): with an id column, a row
// with the wrong number of fields fails its series only, with the message
// the Beam pipeline gives; a row whose id field is absent fails the file.
func TestLongRaggedRowFailsItsSeries(t *testing.T) {
	text := "series,time,value\n" +
		"s1,2000-01,1\n" +
		"s99,2000-01,1\n" +
		"s99,2000-02,2,9\n" + // row 4: ragged, its id found
		"s1,2000-02,2\n" +
		"s2,2000-01\n" + // row 6: short, its id found
		"s2,2000-02,2,3\n" + // row 7: a second bad row of s2
		",2000-01,1,1\n" + // row 8: ragged with an empty id
		"s3,2000-01,4\n" +
		"s3,2000-02,5\n"
	fr, err := readBoth(t, text, Options{IDColumn: "series"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(fr); !slices.Equal(got, []string{"s1", "s3"}) {
		t.Errorf("loaded %q; want [s1 s3]", got)
	}
	want := []struct{ id, msg string }{
		{"s99", `t.csv: series "s99": row 4: has 4 fields, the header has 3: wrong number of fields`},
		{"s2", `t.csv: series "s2": row 6: has 2 fields, the header has 3: wrong number of fields (and 1 other bad row)`},
		{"", `t.csv: row 8: has 4 fields, the header has 3: wrong number of fields`},
	}
	if len(fr.Failed) != len(want) {
		t.Fatalf("failed:\n%s want %d", failures(fr), len(want))
	}
	for i, w := range want {
		f := fr.Failed[i]
		if f.Series != w.id || f.Error() != w.msg || !errors.Is(f, ErrRagged) {
			t.Errorf("failed[%d] = %q: %v\nwant %q: %s (ErrRagged)", i, f.Series, f, w.id, w.msg)
		}
	}

	// Every series ragged: the first failure is the error, with the Frame.
	fr, err = readBoth(t, "id,t,v\na,2000-01,1,1\nb,2000-01\n", Options{IDColumn: "id"})
	wantErr := `t.csv: series "a": row 2: has 4 fields, the header has 3: wrong number of fields (and 1 other series failed)`
	if err == nil || err.Error() != wantErr || !errors.Is(err, ErrRagged) {
		t.Errorf("all ragged: %v\nwant %s", err, wantErr)
	}
	if fr == nil || len(fr.Failed) != 2 || len(fr.Series) != 0 {
		t.Errorf("all ragged: frame %+v; want 2 failed", fr)
	}

	// The id field absent (the id is the third column, the row has two
	// fields): the file fails, naming the row.
	_, err = readBoth(t, "t,v,id\n2000-01,1,a\n2000-02,2,a\n2000-03,3\n", Options{IDColumn: "id"})
	wantErr = `t.csv: row 4: has 2 fields, the header has 3: wrong number of fields`
	if err == nil || err.Error() != wantErr || !errors.Is(err, ErrRagged) {
		t.Errorf("no id field: %v\nwant %s", err, wantErr)
	}
}

// TestRaggedPlural checks the count of a series' other ragged rows: "1
// other bad row", "2 other bad rows".
func TestRaggedPlural(t *testing.T) {
	text := "series,time,value\n" +
		"s1,2000-01,1\n" +
		"s1,2000-02,2,9\n" + // row 3
		"s1,2000-03\n" + // row 4
		"s1,2000-04,4,4,4\n" + // row 5
		"s2,2000-01,1\n" +
		"s2,2000-02,2\n"
	fr, err := readBoth(t, text, Options{IDColumn: "series"})
	if err != nil {
		t.Fatal(err)
	}
	want := `t.csv: series "s1": row 3: has 4 fields, the header has 3: wrong number of fields (and 2 other bad rows)`
	if len(fr.Failed) != 1 || fr.Failed[0].Error() != want {
		t.Errorf("failed:\n%s want %s", failures(fr), want)
	}
}
