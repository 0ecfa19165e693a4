package m3

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/tsf-go/tsf/forecast"
)

// ReadForecasts reads the competitors' forecasts (m3_forecasts.csv:
// method,series,step,forecast) for the series of d and returns one Run per
// method, in the file's order of first appearance. A method that skipped a
// series (AAM1 and AAM2 cover only some) has a nil forecast there. Every
// malformed row, unknown series, step out of 1..h or duplicate step is an
// error naming the file, row and series; so is a series a method covers
// only in part.
func ReadForecasts(path string, d *Data) ([]*Run, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// The file has no quoted fields: split lines and commas by hand, which
	// is several times faster than encoding/csv on its 878k rows.
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	if h := sc.Text(); h != "method,series,step,forecast" {
		return nil, fmt.Errorf("%s: header %q; want \"method,series,step,forecast\"", path, h)
	}
	var (
		runs     []*Run
		byMethod = map[string]*Run{}
		run      *Run
		filled   = map[*Run][]int{} // steps seen per series
		fields   [4][]byte
	)
	for line := 2; sc.Scan(); line++ {
		b := sc.Bytes()
		n := 0
		for n < 3 {
			j := bytes.IndexByte(b, ',')
			if j < 0 {
				break
			}
			fields[n], b = b[:j], b[j+1:]
			n++
		}
		if n != 3 || bytes.IndexByte(b, ',') >= 0 {
			return nil, fmt.Errorf("%s: row %d: want 4 fields (method,series,step,forecast)", path, line)
		}
		fields[3] = b
		if run == nil || string(fields[0]) != run.Method {
			var ok bool
			if run, ok = byMethod[string(fields[0])]; !ok {
				run = &Run{Method: string(fields[0]), Forecasts: make([]*forecast.Forecast, len(d.Series))}
				byMethod[run.Method] = run
				runs = append(runs, run)
				filled[run] = make([]int, len(d.Series))
			}
		}
		i, ok := d.byID[string(fields[1])]
		if !ok {
			return nil, fmt.Errorf("%s: row %d, column \"series\": unknown series %q", path, line, fields[1])
		}
		s := d.Series[i]
		step, err := strconv.Atoi(string(fields[2]))
		if err != nil || step < 1 || step > s.Horizon {
			return nil, fmt.Errorf("%s: row %d, column \"step\": series %q: step %q; want 1..%d", path, line, s.ID, fields[2], s.Horizon)
		}
		v, err := strconv.ParseFloat(string(fields[3]), 64)
		if err != nil || isNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: row %d, column \"forecast\": series %q: cannot parse %q as a finite number", path, line, s.ID, fields[3])
		}
		fc := run.Forecasts[i]
		if fc == nil {
			fc = &forecast.Forecast{Model: run.Method, Strategy: "n/a", Values: nanSlice(s.Horizon)}
			run.Forecasts[i] = fc
		}
		if !isNaN(fc.Values[step-1]) {
			return nil, fmt.Errorf("%s: row %d: %s forecasts step %d of series %q twice", path, line, run.Method, step, s.ID)
		}
		fc.Values[step-1] = v
		filled[run][i]++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, r := range runs {
		for i, n := range filled[r] {
			if n != 0 && n != d.Series[i].Horizon {
				return nil, fmt.Errorf("%s: %s forecasts %d of the %d steps of series %q", path, r.Method, n, d.Series[i].Horizon, d.Series[i].ID)
			}
		}
	}
	return runs, nil
}

func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = nan
	}
	return v
}

func isNaN(x float64) bool { return x != x }
