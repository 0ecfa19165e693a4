package dataset

import (
	"errors"
	"fmt"
	"time"
)

// SplitOptions says where a series is cut into train, validation and test
// parts, in time order. Set one of the three ways; the zero value puts
// everything in Train.
type SplitOptions struct {
	// ValFrac and TestFrac are the fractions of observations (rounded down)
	// for validation and test, taken from the end: 0.2 and 0.1 give
	// 70/20/10.
	ValFrac, TestFrac float64
	// ValLen and TestLen are numbers of observations for validation and test.
	ValLen, TestLen int
	// ValStart and TestStart are the first timestamps of validation and test
	// (the first observation at or after them). A zero ValStart means no
	// validation part. Needs a time index.
	ValStart, TestStart time.Time
}

// Parts holds the three parts of a split. They are views into the series
// (no copy), each capped so that it cannot reach the next part. Val and Test
// may be empty (Len 0).
type Parts struct {
	Train, Val, Test *Series
	// ValAt and TestAt are the positions in the original series where Val and
	// Test start.
	ValAt, TestAt int
}

// Split cuts s by time into train, validation and test parts. It returns an
// error wrapping ErrTooShort if the training part would be empty, and an
// error if the options mix ways or are out of range.
func Split(s *Series, o SplitOptions) (Parts, error) {
	n := s.Len()
	ways := 0
	if o.ValFrac != 0 || o.TestFrac != 0 {
		ways++
	}
	if o.ValLen != 0 || o.TestLen != 0 {
		ways++
	}
	if !o.ValStart.IsZero() || !o.TestStart.IsZero() {
		ways++
	}
	if ways > 1 {
		return Parts{}, errors.New("dataset: split by fractions, counts or dates, not a mix")
	}
	var nv, nt int
	switch {
	case o.ValFrac != 0 || o.TestFrac != 0:
		if o.ValFrac < 0 || o.TestFrac < 0 || o.ValFrac+o.TestFrac >= 1 {
			return Parts{}, fmt.Errorf("dataset: split fractions %g (validation) and %g (test) must be >= 0 and sum to less than 1", o.ValFrac, o.TestFrac)
		}
		nv, nt = int(o.ValFrac*float64(n)), int(o.TestFrac*float64(n))
	case o.ValLen != 0 || o.TestLen != 0:
		if o.ValLen < 0 || o.TestLen < 0 {
			return Parts{}, fmt.Errorf("dataset: split counts %d (validation) and %d (test) must be >= 0", o.ValLen, o.TestLen)
		}
		nv, nt = o.ValLen, o.TestLen
	case !o.ValStart.IsZero() || !o.TestStart.IsZero():
		if s.Time == nil {
			return Parts{}, fmt.Errorf("dataset: series %q has no time index; split by fractions or counts", s.Name)
		}
		at := func(t time.Time) int {
			for i, x := range s.Time {
				if !x.Before(t) {
					return i
				}
			}
			return n
		}
		tv, tt := n, n
		if !o.TestStart.IsZero() {
			tt = at(o.TestStart)
		}
		tv = tt
		if !o.ValStart.IsZero() {
			tv = at(o.ValStart)
			if tv > tt {
				return Parts{}, fmt.Errorf("dataset: validation start %s is after test start %s", s.Format(o.ValStart), s.Format(o.TestStart))
			}
		}
		nv, nt = tt-tv, n-tt
	}
	tr := n - nv - nt
	if tr <= 0 {
		return Parts{}, fmt.Errorf("dataset: series %q has %d observations; validation %d + test %d leave no training part: %w", s.Name, n, nv, nt, ErrTooShort)
	}
	return Parts{
		Train: s.Slice(0, tr),
		Val:   s.Slice(tr, tr+nv),
		Test:  s.Slice(tr+nv, n),
		ValAt: tr, TestAt: tr + nv,
	}, nil
}
