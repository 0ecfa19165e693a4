package dataset

import (
	"fmt"
	"math"
	"time"
)

// finish fills the absent timestamps in gaps (GapFill) and applies the
// missing-value policy to s, returning a series without NaN. Columns shared
// with other series are copied before they are changed.
func finish(s *Series, gaps []Gap, policy MissingPolicy, file, timeCol string) (*Series, error) {
	var inserted []bool
	if len(gaps) > 0 {
		s, inserted = insertGaps(s, gaps)
	}
	if policy == MissingDrop {
		s = dropMissing(s, inserted)
	}
	method := MissingInterpolate
	if policy == MissingFFill {
		method = MissingFFill
	}
	cols := append([][]float64{s.Values}, s.Covariates...)
	for j, c := range cols {
		if !hasNaN(c) {
			continue
		}
		c = append([]float64(nil), c...)
		if !fill(c, s.Time, method) {
			name := s.Name
			if j > 0 {
				name = s.CovariateNames[j-1]
			}
			return nil, &FileError{File: file, Err: fmt.Errorf("column %q has no values at all: %w", name, ErrMissing)}
		}
		if j == 0 {
			s.Values = c
		} else {
			covs := append([][]float64(nil), s.Covariates...)
			covs[j-1] = c
			s.Covariates = covs
		}
	}
	return s, nil
}

func hasNaN(x []float64) bool {
	for _, v := range x {
		if v != v {
			return true
		}
	}
	return false
}

// insertGaps returns a copy of s with a NaN row at every absent timestamp,
// and which rows were inserted.
func insertGaps(s *Series, gaps []Gap) (*Series, []bool) {
	extra := 0
	for _, g := range gaps {
		extra += g.Count
	}
	n := s.Len() + extra
	out := *s
	out.Time = make([]time.Time, 0, n)
	out.Values = make([]float64, 0, n)
	out.Covariates = make([][]float64, len(s.Covariates))
	for j := range out.Covariates {
		out.Covariates[j] = make([]float64, 0, n)
	}
	inserted := make([]bool, 0, n)
	gi := 0
	for i := range s.Values {
		if i > 0 && gi < len(gaps) && gaps[gi].First.Before(s.Time[i]) && gaps[gi].First.After(s.Time[i-1]) {
			g := gaps[gi]
			for k := 0; k < g.Count; k++ {
				out.Time = append(out.Time, s.Freq.Add(s.Time[i-1], k+1))
				out.Values = append(out.Values, math.NaN())
				for j := range out.Covariates {
					out.Covariates[j] = append(out.Covariates[j], math.NaN())
				}
				inserted = append(inserted, true)
			}
			gi++
		}
		out.Time = append(out.Time, s.Time[i])
		out.Values = append(out.Values, s.Values[i])
		for j := range out.Covariates {
			out.Covariates[j] = append(out.Covariates[j], s.Covariates[j][i])
		}
		inserted = append(inserted, false)
	}
	return &out, inserted
}

// dropMissing returns s without the original rows (not inserted) where the
// target or a covariate is NaN.
func dropMissing(s *Series, inserted []bool) *Series {
	bad := func(i int) bool {
		if inserted != nil && inserted[i] {
			return false
		}
		if math.IsNaN(s.Values[i]) {
			return true
		}
		for _, c := range s.Covariates {
			if math.IsNaN(c[i]) {
				return true
			}
		}
		return false
	}
	nbad := 0
	for i := range s.Values {
		if bad(i) {
			nbad++
		}
	}
	if nbad == 0 {
		return s
	}
	out := *s
	m := s.Len() - nbad
	out.Values = make([]float64, 0, m)
	if s.Time != nil {
		out.Time = make([]time.Time, 0, m)
	}
	out.Covariates = make([][]float64, len(s.Covariates))
	for j := range out.Covariates {
		out.Covariates[j] = make([]float64, 0, m)
	}
	for i := range s.Values {
		if bad(i) {
			continue
		}
		out.Values = append(out.Values, s.Values[i])
		if s.Time != nil {
			out.Time = append(out.Time, s.Time[i])
		}
		for j := range out.Covariates {
			out.Covariates[j] = append(out.Covariates[j], s.Covariates[j][i])
		}
	}
	return &out
}

// fill replaces the NaNs of x in place by method (MissingFFill or
// MissingInterpolate), using times (nil: positions) as the abscissa. Leading
// NaNs take the first observed value, trailing ones the last. It reports
// false if x has no observed value.
func fill(x []float64, times []time.Time, method MissingPolicy) bool {
	first := -1
	for i, v := range x {
		if !math.IsNaN(v) {
			first = i
			break
		}
	}
	if first < 0 {
		return false
	}
	for i := 0; i < first; i++ {
		x[i] = x[first]
	}
	pos := func(i int) float64 {
		if times == nil {
			return float64(i)
		}
		return float64(times[i].Sub(times[0]))
	}
	last := first // last observed index
	for i := first + 1; i < len(x); i++ {
		if !math.IsNaN(x[i]) {
			if method == MissingInterpolate && i > last+1 {
				x0, x1 := pos(last), pos(i)
				for k := last + 1; k < i; k++ {
					w := (pos(k) - x0) / (x1 - x0)
					x[k] = x[last] + w*(x[i]-x[last])
				}
			}
			last = i
			continue
		}
		if method == MissingFFill {
			x[i] = x[last]
		}
	}
	for i := last + 1; i < len(x); i++ {
		x[i] = x[last]
	}
	return true
}
