package dataset_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// TestManySinesSeededPerSeries: series i depends only on the seed and i,
// series differ from each other, and every value is positive and finite.
func TestManySinesSeededPerSeries(t *testing.T) {
	small := dataset.ManySinesConfig{Series: 5, N: 48, Seed: 3}
	large := dataset.ManySinesConfig{Series: 500, N: 48, Seed: 3}
	for i := range 5 {
		a, b := dataset.ManySines(small, i), dataset.ManySines(large, i)
		for k := range a.Values {
			if a.Values[k] != b.Values[k] {
				t.Fatalf("series %d point %d: %g in a collection of 5, %g in one of 500", i, k, a.Values[k], b.Values[k])
			}
			if !(a.Values[k] > 0) || math.IsInf(a.Values[k], 0) {
				t.Fatalf("series %d point %d = %g; want positive and finite", i, k, a.Values[k])
			}
		}
	}
	if x, y := dataset.ManySines(small, 0).Values, dataset.ManySines(small, 1).Values; x[0] == y[0] {
		t.Errorf("series 0 and 1 start at the same value %g", x[0])
	}
	other := dataset.ManySines(dataset.ManySinesConfig{Series: 5, N: 48, Seed: 4}, 0)
	if other.Values[0] == dataset.ManySines(small, 0).Values[0] {
		t.Errorf("seeds 3 and 4 give the same series 0")
	}
}

// TestManySinesLongRoundTrip writes a collection in long form and reads it
// back as a long file: one monthly series per id, in order, values to the
// written precision.
func TestManySinesLongRoundTrip(t *testing.T) {
	cfg := dataset.ManySinesConfig{Series: 12, N: 30, Seed: 1}
	var b strings.Builder
	b.WriteString("series,time,value\n")
	for i := range cfg.Series {
		s := dataset.ManySines(cfg, i)
		for k, v := range s.Values {
			fmt.Fprintf(&b, "%s,%s,%s\n", s.ID, s.Format(s.Time[k]), strconv.FormatFloat(v, 'g', 8, 64))
		}
	}
	fr, err := dataset.Read(strings.NewReader(b.String()), "many.csv", dataset.Options{IDColumn: "series"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Series) != cfg.Series {
		t.Fatalf("read %d series; want %d", len(fr.Series), cfg.Series)
	}
	for i, s := range fr.Series {
		want := dataset.ManySines(cfg, i)
		if s.ID != want.ID || s.ID != dataset.ManySinesID(i, cfg.Series) || s.Freq.Kind != dataset.Monthly || s.Len() != cfg.N {
			t.Fatalf("series %d read as %q (%s, %d points); want %q monthly with %d", i, s.ID, s.Freq, s.Len(), want.ID, cfg.N)
		}
		for k, v := range s.Values {
			if math.Abs(v-want.Values[k]) > 1e-7*want.Values[k] {
				t.Fatalf("series %q point %d read %g; wrote %g", s.ID, k, v, want.Values[k])
			}
		}
	}
	if got := dataset.ManySinesID(41, 1000); got != "s0042" {
		t.Errorf("ManySinesID(41, 1000) = %q; want s0042", got)
	}
}

func ExampleManySines() {
	cfg := dataset.ManySinesConfig{Series: 10000, N: 120, Seed: 1}
	s := dataset.ManySines(cfg, 41)
	fmt.Println(s.ID, s.Len(), s.Freq, s.Format(s.Time[0]), s.Format(s.Time[s.Len()-1]))
	// Output:
	// s00042 120 monthly 2000-01 2009-12
}
