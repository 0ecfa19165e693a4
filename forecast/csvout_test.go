package forecast

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func TestFormatValue(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{1, "1"}, {-0.5, "-0.5"}, {1.0 / 3, "0.33333333"}, {123456789.123, "1.2345679e+08"},
		{2.5e-7, "2.5e-07"}, {-1234.56789012, "-1234.5679"},
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), ""},
	} {
		if got := FormatValue(tt.v); got != tt.want {
			t.Errorf("FormatValue(%v) = %q; want %q", tt.v, got, tt.want)
		}
	}
}

// The single-series CSV, byte for byte as `tsf forecast` has always written
// it: input layout for times, and a model without intervals (an unbounded
// interval is an error: see TestWriteCSVMissingInterval).
func TestWriteCSV(t *testing.T) {
	s := &dataset.Series{Name: "v", Freq: dataset.Freq{Kind: dataset.Monthly}, Layout: "2006-01",
		Time:   []time.Time{time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1990, 2, 1, 0, 0, 0, 0, time.UTC)},
		Values: []float64{1, 2}}
	f := NewForecast("m", "n/a", s, []float64{2.123456789, 1e6})
	f.Intervals = []Interval{
		{Level: 0.8, Lo: []float64{1, 2}, Hi: []float64{3, 4}},
		{Level: 0.95, Lo: []float64{-1e300, 0}, Hi: []float64{1e-300, 5}},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, s, f); err != nil {
		t.Fatal(err)
	}
	want := "time,forecast,lo80,hi80,lo95,hi95\n1990-03,2.1234568,1,3,-1e+300,1e-300\n1990-04,1000000,2,4,0,5\n"
	if b.String() != want {
		t.Errorf("WriteCSV:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	idx := fctest.IndexSeries(3)
	WriteCSV(&b, idx, NewForecast("naive", "n/a", idx, []float64{2, 2}))
	if want := "time,forecast,lo80,hi80,lo95,hi95\n3,2,,,,\n4,2,,,,\n"; b.String() != want {
		t.Errorf("WriteCSV of an integer-indexed series:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWriteLongCSV(t *testing.T) {
	a := fctest.IndexSeries(3)
	a.Name, a.ID = `A,"1"`, `A,"1"` // quoted as CSV needs
	b := fctest.IndexSeries(2)
	b.Name = "col2" // a wide file's column: no ID
	c := fctest.IndexSeries(4)
	c.Name, c.ID = "C", "C"
	fa := NewForecast("naive", "n/a", a, []float64{2, 2.5})
	fa.Intervals = []Interval{{Level: 0.8, Lo: []float64{1, 1}, Hi: []float64{3, 3}}}
	res := []SeriesForecast{
		{Series: a, Forecast: fa},
		{Series: c, Err: errors.New("too short")},
		{Series: b, Forecast: NewForecast("naive", "n/a", b, []float64{1, 1})},
	}
	var w bytes.Buffer
	if err := WriteLongCSV(&w, "id", res); err != nil {
		t.Fatal(err)
	}
	want := "id,time,forecast,lo80,hi80,lo95,hi95\n" +
		"\"A,\"\"1\"\"\",3,2,1,3,,\n\"A,\"\"1\"\"\",4,2.5,1,3,,\n" +
		"col2,2,1,,,,\ncol2,3,1,,,,\n"
	if w.String() != want {
		t.Errorf("WriteLongCSV:\n%s\nwant:\n%s", w.String(), want)
	}
	// Each series' rows are its WriteCSV rows with the id in front.
	var one bytes.Buffer
	WriteCSV(&one, b, res[2].Forecast)
	if got := "col2," + string(bytes.SplitN(one.Bytes(), []byte("\n"), 2)[1][:len("2,1,,,,")]); got != "col2,2,1,,,," {
		t.Errorf("long row %q differs from the single-series row", got)
	}
}
