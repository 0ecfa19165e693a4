package forecast

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/tsf-go/tsf/dataset"
)

// CSVHeader is the header of a forecast CSV: the step's time, the point
// forecast and the bounds of the 80 % and 95 % prediction intervals (empty
// cells where the forecast has no interval at that level). WriteLongCSV
// puts the series-id column before it.
var CSVHeader = []string{"time", "forecast", "lo80", "hi80", "lo95", "hi95"}

// FormatValue formats a number for CSV output as `tsf forecast` writes it:
// 8 significant digits in the shortest of %e and %f form, "inf" and "-inf"
// for an infinite value (a metric's: WriteCSV never writes a forecast that
// holds one), and "" for NaN (no value).
func FormatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', 8, 64)
}

// StepLabels returns each forecast step's time as the input wrote it: in the
// layout of s, the series f was made from (RFC 3339 when s is nil or has
// no time), or the step's integer index for an integer-indexed series.
func StepLabels(s *dataset.Series, f *Forecast) []string {
	out := make([]string, f.Len())
	for k := range out {
		switch {
		case k < len(f.Time) && s != nil && s.Time != nil:
			out[k] = s.Format(f.Time[k])
		case k < len(f.Time):
			out[k] = f.Time[k].Format("2006-01-02T15:04:05Z07:00")
		case k < len(f.Index):
			out[k] = strconv.Itoa(f.Index[k])
		default:
			out[k] = strconv.Itoa(k + 1)
		}
	}
	return out
}

// WriteCSV writes forecast f of series s as CSV: the CSVHeader, then one
// row per step. The cells of an interval that f does not have are empty,
// at that level only: the model gives none, or it could not compute that
// one (f.Notes says why). A forecast with a NaN or infinite point value or
// bound is an error (f.CheckFinite), and then nothing is written.
func WriteCSV(w io.Writer, s *dataset.Series, f *Forecast) error {
	if err := f.CheckFinite(); err != nil {
		return fmt.Errorf("series %q: %w", SeriesID(s), err)
	}
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	writeRows(cw, nil, s, f)
	cw.Flush()
	return cw.Error()
}

// WriteLongCSV writes the forecasts of many series as one long CSV: the
// header idColumn followed by CSVHeader, then one row per step of every
// series whose forecast succeeded (Err == nil and Forecast != nil), in the
// order of res, each led by its SeriesID. Numbers, times and missing
// intervals are written as WriteCSV writes them; a forecast with a NaN or
// infinite value is an error naming its series, and then nothing is
// written.
func WriteLongCSV(w io.Writer, idColumn string, res []SeriesForecast) error {
	for _, r := range res {
		if r.Err != nil || r.Forecast == nil {
			continue
		}
		if err := r.Forecast.CheckFinite(); err != nil {
			return fmt.Errorf("series %q: %w", SeriesID(r.Series), err)
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(append([]string{idColumn}, CSVHeader...))
	for _, r := range res {
		if r.Err != nil || r.Forecast == nil {
			continue
		}
		id := SeriesID(r.Series)
		writeRows(cw, &id, r.Series, r.Forecast)
	}
	cw.Flush()
	return cw.Error()
}

// SeriesID returns the id that names s in many-series output: its Name,
// which a long file's loader sets to the id (to "id/target" when the file
// has several targets) and a wide file's to the column, or its ID when it
// has no name.
func SeriesID(s *dataset.Series) string {
	if s == nil {
		return ""
	}
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}

// writeRows writes the steps of f, each row led by *id when id is not nil.
func writeRows(cw *csv.Writer, id *string, s *dataset.Series, f *Forecast) {
	var lo80, hi80, lo95, hi95 []float64
	if iv, ok := f.Interval(0.8); ok {
		lo80, hi80 = iv.Lo, iv.Hi
	}
	if iv, ok := f.Interval(0.95); ok {
		lo95, hi95 = iv.Lo, iv.Hi
	}
	at := func(x []float64, k int) string {
		if x == nil {
			return ""
		}
		return FormatValue(x[k])
	}
	row := make([]string, 0, 7)
	for k, t := range StepLabels(s, f) {
		row = row[:0]
		if id != nil {
			row = append(row, *id)
		}
		row = append(row, t, at(f.Values, k), at(lo80, k), at(hi80, k), at(lo95, k), at(hi95, k))
		cw.Write(row)
	}
}
