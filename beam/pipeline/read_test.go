package pipeline

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// row is what reading gives for one input row: a good row's id and
// fields, or a bad row's line.
type row struct {
	line   int32
	id     string
	fields []string
	bad    bool
}

// readAll runs readRows over text and returns its rows in order.
func readAll(t *testing.T, text string, o dataset.Options, chunkRows int) ([]row, error) {
	t.Helper()
	var out []row
	in := inputFile{Index: 0, Path: "in.csv"}
	err := readRows(strings.NewReader(text), in, o, chunkRows, nil, func(id string, c chunk) {
		if c.Bad != "" {
			out = append(out, row{line: c.Lines[0], id: id, bad: true})
			return
		}
		if len(c.Lines) > chunkRows {
			t.Errorf("chunk of %d rows, cap %d", len(c.Lines), chunkRows)
		}
		recs, err := c.records(id, c.Header, o.Delimiter)
		if err != nil {
			t.Fatalf("records: %v", err)
		}
		for k, rec := range recs {
			out = append(out, row{line: c.Lines[k], id: id, fields: rec})
		}
	}, func(line int32, id, reason string) {
		out = append(out, row{line: line, bad: true})
	})
	return out, err
}

// readRef is what encoding/csv reads from text, as rows.
func readRef(text string, o dataset.Options) []row {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\ufeff")))
	if o.Delimiter != 0 {
		r.Comma = o.Delimiter
	}
	r.FieldsPerRecord = -1
	header, _ := r.Read()
	idCol := slices.Index(header, o.IDColumn)
	var out []row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		line, _ := r.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out = append(out, row{line: int32(pe.Line), bad: true})
			continue
		}
		id := ""
		if idCol < len(rec) {
			id = rec[idCol]
		}
		if len(rec) != len(header) {
			if id == "" {
				out = append(out, row{line: int32(line), bad: true})
			} else {
				out = append(out, row{line: int32(line), id: id, bad: true})
			}
			continue
		}
		out = append(out, row{line: int32(line), id: id, fields: rec})
	}
}

// TestReadRowsMatchesEncodingCSV checks the reader's fast path (lines
// without quotes split by hand) and its switch to encoding/csv against
// encoding/csv reading the whole file.
func TestReadRowsMatchesEncodingCSV(t *testing.T) {
	plain := "series,time,value\na,2000-01,1\na,2000-02,2\nb,2000-01,3\nb,2000-02,4\n"
	cases := map[string]string{
		"plain":              plain,
		"crlf":               strings.ReplaceAll(plain, "\n", "\r\n"),
		"no final newline":   strings.TrimSuffix(plain, "\n"),
		"final cr at EOF":    strings.TrimSuffix(plain, "\n") + "\r",
		"bom":                "\ufeff" + plain,
		"empty lines":        "\n\nseries,time,value\n\na,2000-01,1\n\r\n \na,2000-02,2\n\n",
		"ragged rows":        "series,time,value\na,2000-01,1\na,2000-02\n,2000-03\nx\nb,2000-01,3,4\nb,2000-02,5\n",
		"spaces in fields":   "series,time,value\n a ,2000-01, 1\n a ,2000-02,2\t\n",
		"quoted header":      "\"series\",\"time\",value\na,2000-01,1\n",
		"quotes later":       plain + "\"c,1\",2000-01,5\n\"c,1\",2000-02,\"6\"\nd,2000-01,\"7\n8\"\nd,2000-02,9\n",
		"bare quote":         "series,time,value\na,2000-01,1\na,2000-\"02,2\na,2000-03,3\nb,2000-01,4\n",
		"multi-line header":  "series,\"ti\nme\",value\na,2000-01,1\n",
		"lone cr in a field": "series,time,value\na,2000-01,1\rx\na,2000-02,2\n",
	}
	for name, text := range cases {
		// The id in the first, a middle and the last column: the chunk's
		// text leaves it out and the worker puts it back.
		for _, idCol := range []string{"series", "time", "value"} {
			if name == "multi-line header" && idCol == "time" {
				continue // that header's column is "ti\nme"
			}
			for _, chunkRows := range []int{1, 2, 100} {
				o := dataset.Options{IDColumn: idCol}
				got, err := readAll(t, text, o, chunkRows)
				if err != nil {
					t.Fatalf("%s, id %s: %v", name, idCol, err)
				}
				want := readRef(text, o)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s, id %s, chunks of %d:\n got %v\nwant %v", name, idCol, chunkRows, got, want)
				}
			}
		}
	}
	// Another delimiter.
	o := dataset.Options{IDColumn: "series", Delimiter: ';'}
	text := "series;time;value\na;2000-01;1,5\na;2000-02;2,5\n"
	got, err := readAll(t, text, o, 10)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(readRef(text, o)) {
		t.Errorf("semicolons: got %v, %v; want %v", got, err, readRef(text, o))
	}
}

func TestReadRowsHeaderErrors(t *testing.T) {
	for text, want := range map[string]error{
		"":                   dataset.ErrEmpty,
		"\n\n":               dataset.ErrEmpty,
		"time,value\n1,2\n":  dataset.ErrColumn,
		"a,\"b\nc\n":         nil, // an unterminated quote: encoding/csv's error
		"series,time\"x\n1,": nil,
	} {
		_, err := readAll(t, text, dataset.Options{IDColumn: "series"}, 10)
		if err == nil || (want != nil && !errors.Is(err, want)) {
			t.Errorf("%q: got %v, want an error wrapping %v", text, err, want)
		}
	}
}
