package fctest

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

// Synth returns a seeded AR(1) + season series of n monthly points:
// y[t] = 50 + 10·sin(2πt/m) + z[t], z[t] = 0.5·z[t-1] + N(0, 1).
func Synth(n, m int, seed uint64) *dataset.Series {
	r := rand.New(rand.NewPCG(seed, seed))
	s := &dataset.Series{Name: "synth", Freq: dataset.Freq{Kind: dataset.Monthly}, Layout: "2006-01"}
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	z := 0.0
	for t := range n {
		z = 0.5*z + r.NormFloat64()
		s.Values = append(s.Values, 50+10*math.Sin(2*math.Pi*float64(t)/float64(m))+z)
		s.Time = append(s.Time, s.Freq.Add(t0, t))
	}
	return s
}

// IndexSeries returns 0, 1, ..., n-1 without timestamps.
func IndexSeries(n int) *dataset.Series {
	s := &dataset.Series{Name: "idx"}
	for t := range n {
		s.Values = append(s.Values, float64(t))
	}
	return s
}

// SharedSeries reads a two-column CSV of ../shared/data, or its copy in
// examples/data (the small series are in the repository), with encoding/csv
// (the test does not depend on dataset's loader), skipping the test when
// neither exists.
func SharedSeries(t testing.TB, file, layout string, freq dataset.Freq) *dataset.Series {
	t.Helper()
	root := repoRoot()
	path := filepath.Join(root, "..", "shared", "data", file)
	if inRepo := filepath.Join(root, "examples", "data", file); !Exists(path) && Exists(inRepo) {
		path = inRepo
	}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("skipping: %s is absent (the shared data sets live in ../shared/data)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	s := &dataset.Series{Name: rows[0][1], Freq: freq, Layout: layout}
	for i, r := range rows[1:] {
		tm, err := time.Parse(layout, r[0])
		if err != nil {
			t.Fatalf("%s row %d: %v", path, i+2, err)
		}
		v, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatalf("%s row %d: %v", path, i+2, err)
		}
		s.Time = append(s.Time, tm)
		s.Values = append(s.Values, v)
	}
	return s
}

// Exists reports whether path exists.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Airline is the airline passengers series (monthly, 1949–1960), skipping
// the test when it is absent.
func Airline(t testing.TB) *dataset.Series {
	return SharedSeries(t, "airline_passengers.csv", "2006-01", dataset.Freq{Kind: dataset.Monthly})
}

// SineSeries is a daily-seasonal hourly series with noise: easy to learn,
// hard to fake with a constant.
func SineSeries(n int, seed uint64) *dataset.Series {
	return dataset.Sines(dataset.SinesConfig{N: n, Periods: []float64{24}, Amplitudes: []float64{2}, Level: 10, Trend: 0.002, Noise: 0.1},
		rand.New(rand.NewPCG(seed, seed)))
}

// ManySines returns k seasonal series (period 12) of different levels,
// amplitudes and lengths: what a global model must learn from together.
func ManySines(k int, seed uint64) []*dataset.Series {
	rng := rand.New(rand.NewPCG(seed, seed))
	out := make([]*dataset.Series, k)
	for i := range out {
		level := math.Pow(10, 1+3*rng.Float64())
		s := dataset.Sines(dataset.SinesConfig{N: 80 + rng.IntN(60), Periods: []float64{12}, Amplitudes: []float64{level * (0.1 + 0.2*rng.Float64())},
			Level: level, Trend: level * 0.001 * rng.NormFloat64(), Noise: level * 0.01}, rng)
		s.ID = fmt.Sprintf("S%d", i+1)
		out[i] = s
	}
	return out
}

// ManySynth returns n Synth series of season 12 and different lengths,
// ids "s0"…, with series 2 (8 points) too short for a seasonal model of
// season 12.
func ManySynth(n int) []*dataset.Series {
	out := make([]*dataset.Series, n)
	for i := range out {
		l := 48 + 7*i
		if i == 2 {
			l = 8
		}
		s := Synth(l, 12, uint64(i+1))
		s.ID = fmt.Sprintf("s%d", i)
		s.Name = s.ID
		out[i] = s
	}
	return out
}

// MonthlySeries is a positive monthly series with trend, season and noise.
func MonthlySeries(n int, seed uint64) *dataset.Series {
	rng := rand.New(rand.NewPCG(seed, 7))
	s := &dataset.Series{Name: "m", Freq: dataset.Freq{Kind: dataset.Monthly}, Layout: "2006-01"}
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		s.Time = append(s.Time, s.Freq.Add(t0, i))
		s.Values = append(s.Values, 100+0.5*float64(i)+10*math.Sin(2*math.Pi*float64(i)/12)+rng.NormFloat64())
	}
	return s
}

// SeasonalSeries returns n monthly points of level·index·(1 + noise) with a
// linear trend.
func SeasonalSeries(n int, amp, trend, noise float64, seed uint64) *dataset.Series {
	r := rand.New(rand.NewPCG(seed, seed))
	s := &dataset.Series{Name: "seasonal", Freq: dataset.Freq{Kind: dataset.Monthly}}
	for t := range n {
		idx := 1 + amp*math.Sin(2*math.Pi*float64(t)/12)
		s.Values = append(s.Values, (100+trend*float64(t))*idx*(1+noise*r.NormFloat64()))
	}
	return s
}

// repoRoot returns the directory of the repository's go.mod, found from
// the working directory (a test runs in its package's directory), or "."
// when there is none.
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; d = filepath.Dir(d) {
		if Exists(filepath.Join(d, "go.mod")) {
			return d
		}
		if filepath.Dir(d) == d {
			return "."
		}
	}
}
