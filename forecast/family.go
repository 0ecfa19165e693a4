package forecast

import (
	"fmt"
	"slices"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// This file holds what every model family shares and needs from the core:
// the anchor that labels a forecast's steps, the seasonal period and the
// interval levels a model uses by default.

// Anchor is what a fitted model remembers about the end of its training
// series, so that Predict can label the steps after it; a model file keeps
// it in its Summary (Anchor.Summary, AnchorFrom).
type Anchor struct {
	// Name is the series' name.
	Name string
	// N is the number of points of the series.
	N int
	// Origin is dataset.Series.Origin: the index of the first point.
	Origin int
	// First and Last are the times of the first and last points, when
	// HasT says the series has times.
	First, Last time.Time
	// HasT reports whether the series has times.
	HasT bool
	// Freq is the series' frequency.
	Freq dataset.Freq
	// Layout is the series' time layout.
	Layout string
}

// AnchorOf returns the Anchor of the end of s.
func AnchorOf(s *dataset.Series) Anchor {
	a := Anchor{Name: s.Name, N: s.Len(), Origin: s.Origin, Freq: s.Freq, Layout: s.Layout}
	if len(s.Time) > 0 {
		a.First, a.Last, a.HasT = s.Time[0], s.Time[len(s.Time)-1], true
	}
	return a
}

// Forecast labels values as the steps after the anchored series.
func (a Anchor) Forecast(model, strategy string, values []float64) *Forecast {
	f := &Forecast{Model: model, Strategy: strategy, Values: values, Index: make([]int, len(values))}
	for k := range values {
		f.Index[k] = a.Origin + a.N + k
	}
	if a.HasT {
		f.Time = make([]time.Time, len(values))
		for k := range values {
			f.Time[k] = a.Freq.Add(a.Last, k+1)
		}
	}
	return f
}

// SeasonOf returns the seasonal period: given if positive, else the
// series' frequency's.
func SeasonOf(given int, s *dataset.Series) int {
	if given > 0 {
		return given
	}
	return s.Freq.Season()
}

// Checked returns (f, nil), or (nil, err) when err is not nil.
func Checked(f Forecaster, err error) (Forecaster, error) {
	if err != nil {
		return nil, err
	}
	return f, nil
}

// IntervalLevels returns the sorted levels, 0.8 and 0.95 if none are
// given; it panics, naming caller, if one is outside (0, 1).
func IntervalLevels(caller string, given []float64) []float64 {
	if len(given) == 0 {
		return []float64{0.8, 0.95}
	}
	l := slices.Clone(given)
	slices.Sort(l)
	for _, v := range l {
		if !(v > 0 && v < 1) {
			panic(fmt.Sprintf("forecast: %s with level %g outside (0, 1)", caller, v))
		}
	}
	return l
}
