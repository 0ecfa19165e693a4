package main

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// missing95 is a forecast of s with an 80 % interval and a note on the
// missing 95 % one.
func missing95(s *dataset.Series) *forecast.Forecast {
	f := forecast.NewForecast("lstm", "direct", s, []float64{2, 3})
	f.Intervals = []forecast.Interval{{Level: 0.8, Lo: []float64{1, 2}, Hi: []float64{3, 4}}}
	f.Notes = []string{"no 95% interval: too few validation windows (a 95% interval needs 19 residuals; each window gives 12)"}
	return f
}

// TestWarnIntervals: one warning line per series that lacks an interval,
// naming it and why; nothing for a series with all its intervals, nothing
// with --quiet.
func TestWarnIntervals(t *testing.T) {
	s1 := &dataset.Series{Name: "s1", Values: []float64{1, 2, 3}}
	s2 := &dataset.Series{Name: "s2", Values: []float64{1, 2, 3}}
	full := forecast.NewForecast("theta", "n/a", s2, []float64{2, 3})
	var b bytes.Buffer
	u := &ui{e: &env{stderr: &b}}
	warnIntervalsEach(u, []forecast.SeriesForecast{
		{Series: s1, Forecast: missing95(s1)},
		{Series: s2, Forecast: full},
		{Series: s2, Err: errors.New("too short")},
	})
	want := `tsf: warning: series "s1": no 95% interval: too few validation windows (a 95% interval needs 19 residuals; each window gives 12)` + "\n"
	if b.String() != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	f := missing95(s1)
	f.Notes = append(f.Notes, "no 80% interval: why")
	warnIntervals(u, s1, f)
	if got := b.String(); strings.Count(got, "\n") != 1 || !strings.HasSuffix(got, "each window gives 12); no 80% interval: why\n") {
		t.Errorf("two notes: %q; want one line", got)
	}
	b.Reset()
	warnIntervals(&ui{e: &env{stderr: &b}, quiet: true}, s1, missing95(s1))
	if b.Len() != 0 {
		t.Errorf("--quiet: %q; want nothing", b.String())
	}
}

// TestForecastJSONMissingInterval: the bounds of a missing interval are
// null; a non-finite forecast value or bound is an error, never null.
func TestForecastJSONMissingInterval(t *testing.T) {
	s := &dataset.Series{Name: "s1", Values: []float64{1, 2, 3}}
	var b bytes.Buffer
	if err := writeJSON(&b, forecastJSON(s, missing95(s), nil)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"lo80": 1,`, `"hi80": 3,`, `"lo95": null,`, `"hi95": null`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("--json lacks %s:\n%s", want, b.String())
		}
	}
	for _, bad := range []func(f *forecast.Forecast){
		func(f *forecast.Forecast) { f.Values[1] = math.Inf(1) },
		func(f *forecast.Forecast) { f.Intervals[0].Lo[0] = math.NaN() },
	} {
		f := missing95(s)
		bad(f)
		b.Reset()
		err := writeJSON(&b, forecastJSON(s, f, nil))
		if !errors.Is(err, forecast.ErrNotFinite) || b.Len() != 0 {
			t.Errorf("writeJSON of %v = %v, wrote %q; want ErrNotFinite and nothing", f.Values, err, b.String())
		}
	}
}
