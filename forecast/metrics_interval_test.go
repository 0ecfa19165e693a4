package forecast

import (
	"math"
	"testing"
)

func TestIntervalCoverageAndScore(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name           string
		actual, lo, hi []float64
		level          float64
		cover, score   float64
	}{
		// Inside (width 2), below by 1, above by 2, at the bound; α = 0.2
		// so misses cost 10 per unit: (2 + (2+10) + (2+20) + 2)/4 = 9.5.
		{"hand 80", []float64{1, -1, 4, 2}, []float64{0, 0, 0, 0}, []float64{2, 2, 2, 2}, 0.8, 0.5, 9.5},
		// α = 0.05: misses cost 40 per unit: (2 + 42 + 82 + 2)/4 = 32.
		{"hand 95", []float64{1, -1, 4, 2}, []float64{0, 0, 0, 0}, []float64{2, 2, 2, 2}, 0.95, 0.5, 32},
		// NaN steps are skipped: only the first counts.
		{"nan skipped", []float64{1, nan, 5}, []float64{0, 0, nan}, []float64{3, 3, 9}, 0.95, 1, 3},
		{"empty", nil, nil, nil, 0.9, nan, nan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IntervalCoverage(tt.actual, tt.lo, tt.hi); !near(got, tt.cover) {
				t.Errorf("IntervalCoverage(%v, %v, %v) = %g; want %g", tt.actual, tt.lo, tt.hi, got, tt.cover)
			}
			if got := IntervalScore(tt.actual, tt.lo, tt.hi, tt.level); !near(got, tt.score) {
				t.Errorf("IntervalScore(%v, %v, %v, %g) = %g; want %g", tt.actual, tt.lo, tt.hi, tt.level, got, tt.score)
			}
		})
	}
}

func TestMSIS(t *testing.T) {
	// Train 1, 3, 2, 6 with lag 1: scale (2+1+4)/3 = 7/3. Interval score
	// at 95 %: step 1 inside, width 2; step 2 above by 1: 2 + 40 = 42;
	// mean 22, scaled 22·3/7.
	actual, lo, hi := []float64{5, 8}, []float64{4, 5}, []float64{6, 7}
	train := []float64{1, 3, 2, 6}
	if got, want := MSIS(actual, lo, hi, train, 1, 0.95), 22*3/7.0; !near(got, want) {
		t.Errorf("MSIS(%v, %v, %v, %v, 1, 0.95) = %g; want %g", actual, lo, hi, train, got, want)
	}
	// A constant training series has scale 0: +Inf for a positive score.
	if got := MSIS(actual, lo, hi, []float64{2, 2, 2}, 1, 0.95); !math.IsInf(got, 1) {
		t.Errorf("MSIS with a constant train = %g; want +Inf", got)
	}
	for _, level := range []float64{0, 1, -0.5} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("IntervalScore with level %g did not panic", level)
				}
			}()
			IntervalScore(actual, lo, hi, level)
		}()
	}
}
