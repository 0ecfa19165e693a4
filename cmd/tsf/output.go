package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/internal/atomicfile"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/plots"
	"gonum.org/v1/plot"
)

// writeOutput writes to path ("" or "-": standard output) with write. A
// file is written to a temporary file in the same directory and renamed
// into place, so a failure never leaves a partial file.
func writeOutput(e *env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	if err := atomicfile.Write(path, write); err != nil {
		return outputError(path, err)
	}
	return nil
}

// outputError names the output path and hints at the usual causes.
func outputError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return withHint(fmt.Errorf("cannot write %s: %w", path, err), "check that the directory exists and is writable")
}

// checkOutputPath fails early, before any training, when path cannot be
// written (its directory is missing or not writable).
func checkOutputPath(flag, path string) error {
	if path == "" || path == "-" {
		return nil
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return withHint(fmt.Errorf("--%s %s: directory %s: %w", flag, path, dir, unwrapErr(err)), "create the directory first, or choose another path")
	}
	if !st.IsDir() {
		return withHint(fmt.Errorf("--%s %s: %s is not a directory", flag, path, dir), "choose another path")
	}
	f, err := os.CreateTemp(dir, ".tsf-check*")
	if err != nil {
		return withHint(fmt.Errorf("--%s %s: cannot write in %s: %w", flag, path, dir, unwrapErr(err)), "check the directory's permissions, or choose another path")
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// checkPicturePath checks --plot: checks the picture format.
func checkPicturePath(path string) error {
	if path == "" {
		return nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".svg", ".pdf":
	default:
		return usagef("the format follows the extension: .png, .svg or .pdf", "invalid value %q for flag --plot: unknown picture format", path)
	}
	return checkOutputPath("plot", path)
}

func unwrapErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// savePlot writes p to path, naming the flag on failure.
func savePlot(p *plot.Plot, path string) error {
	if err := plots.Save(p, path, 0, 0); err != nil {
		return withHint(fmt.Errorf("--plot %s: %w", path, err), "check that the directory exists and is writable")
	}
	return nil
}

// writeJSON writes v as indented JSON. A value that refuses to be
// encoded (a non-finite forecast: see point) is the error, without
// encoding/json's wrapping; nothing is written then.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	var me *json.MarshalerError
	if errors.As(err, &me) {
		return me.Unwrap()
	}
	return err
}

// num is a float64 that marshals NaN and ±Inf as null.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// point is a forecast value or interval bound in --json output: a finite
// number. NaN or ±Inf is an error (forecast.ErrNotFinite), never written
// as null, which in a forecast document means a missing interval.
type point float64

func (p point) MarshalJSON() ([]byte, error) {
	f := float64(p)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("%w: %g in the --json output", forecast.ErrNotFinite, f)
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// warnIntervals writes, unless --quiet, one warning line on standard error
// when forecast f of series s lacks an interval that its model gives,
// naming the series and why (f.Notes): `tsf: warning: series "s1": no 95%
// interval: too few validation windows (a 95% interval needs 19 residuals;
// each window gives 12)`. Nothing when no interval is missing.
func warnIntervals(u *ui, s *dataset.Series, f *forecast.Forecast) {
	if f == nil || len(f.Notes) == 0 {
		return
	}
	u.printf("warning: series %q: %s", forecast.SeriesID(s), strings.Join(f.Notes, "; "))
}

// warnIntervalsEach is warnIntervals for every series forecast in res, in
// order.
func warnIntervalsEach(u *ui, res []forecast.SeriesForecast) {
	for _, r := range res {
		if r.Err == nil {
			warnIntervals(u, r.Series, r.Forecast)
		}
	}
}

// bounds returns the interval of f at level, or nil slices.
func bounds(f *forecast.Forecast, level float64) (lo, hi []float64) {
	for _, iv := range f.Intervals {
		if math.Abs(iv.Level-level) < 1e-9 {
			return iv.Lo, iv.Hi
		}
	}
	return nil, nil
}

// forecastCSV writes time,forecast,lo80,hi80,lo95,hi95 (forecast.WriteCSV).
func forecastCSV(w io.Writer, s *dataset.Series, f *forecast.Forecast) error {
	return forecast.WriteCSV(w, s, f)
}

// jsonStep is one forecast step in --json output; the bounds of an
// interval the forecast does not have are null.
type jsonStep struct {
	Time  any    `json:"time"` // a string in the input's layout, or the integer index
	Value point  `json:"value"`
	Lo80  *point `json:"lo80"`
	Hi80  *point `json:"hi80"`
	Lo95  *point `json:"lo95"`
	Hi95  *point `json:"hi95"`
}

type jsonForecast struct {
	Model    string         `json:"model"`
	Strategy string         `json:"strategy"`
	Horizon  int            `json:"horizon"`
	Forecast []jsonStep     `json:"forecast"`
	Metrics  map[string]num `json:"metrics,omitempty"`
}

// forecastJSON builds the --json document of forecast and predict.
func forecastJSON(s *dataset.Series, f *forecast.Forecast, metrics map[string]num) jsonForecast {
	lo80, hi80 := bounds(f, 0.8)
	lo95, hi95 := bounds(f, 0.95)
	at := func(x []float64, k int) *point {
		if x == nil {
			return nil
		}
		v := point(x[k])
		return &v
	}
	doc := jsonForecast{Model: f.Model, Strategy: f.Strategy, Horizon: f.Len(), Metrics: metrics}
	for k, t := range forecast.StepLabels(s, f) {
		var tv any = t
		if f.Time == nil && k < len(f.Index) {
			tv = f.Index[k]
		}
		doc.Forecast = append(doc.Forecast, jsonStep{Time: tv, Value: point(f.Values[k]),
			Lo80: at(lo80, k), Hi80: at(hi80, k), Lo95: at(lo95, k), Hi95: at(hi95, k)})
	}
	return doc
}

// forecastPlot draws the forecast after history s.
func forecastPlot(s *dataset.Series, f *forecast.Forecast, unit string) (*plot.Plot, error) {
	in := plots.ForecastInput{Model: f.Model, Unit: unit, HistoryTime: s.Time, History: s.Values, Time: f.Time, Forecast: f.Values}
	if s.Time == nil {
		in.Time = nil
	}
	for _, iv := range f.Intervals {
		lo, hi := finite(iv.Lo), finite(iv.Hi)
		if lo && hi {
			in.Intervals = append(in.Intervals, plots.Interval{Level: iv.Level, Lower: iv.Lo, Upper: iv.Hi})
		}
	}
	return plots.Forecast(in)
}

func finite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
