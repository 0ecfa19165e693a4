package forecast

import (
	"fmt"
	"slices"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// anchor is what a fitted model remembers about the end of its training
// series, so that Predict can label the steps after it.
type anchor struct {
	name   string
	n      int
	origin int // dataset.Series.Origin: the index of the first point
	first  time.Time
	last   time.Time
	hasT   bool
	freq   dataset.Freq
	layout string
}

func anchorOf(s *dataset.Series) anchor {
	a := anchor{name: s.Name, n: s.Len(), origin: s.Origin, freq: s.Freq, layout: s.Layout}
	if len(s.Time) > 0 {
		a.first, a.last, a.hasT = s.Time[0], s.Time[len(s.Time)-1], true
	}
	return a
}

// forecast labels values as the steps after the anchored series.
func (a anchor) forecast(model, strategy string, values []float64) *Forecast {
	f := &Forecast{Model: model, Strategy: strategy, Values: values, Index: make([]int, len(values))}
	for k := range values {
		f.Index[k] = a.origin + a.n + k
	}
	if a.hasT {
		f.Time = make([]time.Time, len(values))
		for k := range values {
			f.Time[k] = a.freq.Add(a.last, k+1)
		}
	}
	return f
}

// seasonOf returns the seasonal period: given if positive, else the
// series' frequency's.
func seasonOf(given int, s *dataset.Series) int {
	if given > 0 {
		return given
	}
	return s.Freq.Season()
}

// checked returns (f, nil), or (nil, err) when err is not nil.
func checked(f Forecaster, err error) (Forecaster, error) {
	if err != nil {
		return nil, err
	}
	return f, nil
}

// intervalLevels returns the sorted levels, 0.8 and 0.95 if none are
// given; it panics, naming caller, if one is outside (0, 1).
func intervalLevels(caller string, given []float64) []float64 {
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
