package plots

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrNoData is returned (wrapped) when a plot is given nothing to draw.
var ErrNoData = errors.New("no data")

// checkValues returns an error naming what[i] when v holds NaN or ±Inf.
func checkValues(what string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) {
			return fmt.Errorf("%s[%d] is NaN", what, i)
		}
		if math.IsInf(x, 0) {
			return fmt.Errorf("%s[%d] is %v", what, i, x)
		}
	}
	return nil
}

// checkLen returns an error when len(v) != n.
func checkLen(what string, v []float64, n int, against string) error {
	if len(v) != n {
		return fmt.Errorf("%s has %d values; %s has %d", what, len(v), against, n)
	}
	return nil
}

// checkTimes returns an error unless t is strictly increasing.
func checkTimes(what string, t []time.Time) error {
	for i := 1; i < len(t); i++ {
		if !t[i].After(t[i-1]) {
			return fmt.Errorf("%s[%d] = %s is not after %s[%d] = %s", what, i, t[i].Format(time.RFC3339), what, i-1, t[i-1].Format(time.RFC3339))
		}
	}
	return nil
}

// wrap prefixes an error with the plot kind.
func wrap(kind string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("plots: %s: %w", kind, err)
}
