package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// ManySinesConfig configures ManySines. Zero fields take the defaults.
type ManySinesConfig struct {
	// Series is the number of series in the collection; default 1000.
	Series int
	// N is the length of every series; default 120 (ten years of months).
	N int
	// Period is the seasonal period in steps; default 12 (a yearly season
	// of monthly data).
	Period int
	// Noise scales each series' noise: its standard deviation is Noise
	// times the series' seasonal amplitude times a factor drawn in
	// [0.5, 1.5). Default 0.2; negative means none.
	Noise float64
	// Seed seeds the collection: series i depends only on Seed and i.
	Seed uint64
}

// ManySinesStart is the first timestamp of every ManySines series; they are
// monthly from there.
var ManySinesStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func (c ManySinesConfig) withDefaults() ManySinesConfig {
	if c.Series == 0 {
		c.Series = 1000
	}
	if c.N == 0 {
		c.N = 120
	}
	if c.Period == 0 {
		c.Period = 12
	}
	switch {
	case c.Noise == 0:
		c.Noise = 0.2
	case c.Noise < 0:
		c.Noise = 0
	}
	return c
}

// ManySines returns series i (0 ≤ i < cfg.Series) of a seeded collection of
// monthly series in the manner of a retailer's products: each has its own
// level, trend, seasonal amplitude and phase, and noise,
//
//	x[t] = level·(1 + trend·t/N) + amp·sin(2π(t/Period + phase)) + noise·e[t]
//
// with level in [10, 100), trend in [-0.3, 0.3), amp in [0.05, 0.3)·level,
// phase in [0, 1) and e[t] standard normal, all drawn from a generator
// seeded with (cfg.Seed, i), so any series can be rebuilt alone and the
// collection does not depend on the order it is generated in. Values stay
// positive. The series' ID and Name are ManySinesID(i, cfg.Series). It
// panics if i is out of range or a field is negative.
func ManySines(cfg ManySinesConfig, i int) *Series {
	cfg = cfg.withDefaults()
	if cfg.Series < 1 || cfg.N < 1 || cfg.Period < 1 || i < 0 || i >= cfg.Series {
		panic(fmt.Sprintf("dataset: ManySines series %d of config %+v out of range", i, cfg))
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
	level := 10 + 90*rng.Float64()
	trend := 0.6*rng.Float64() - 0.3
	amp := (0.05 + 0.25*rng.Float64()) * level
	phase := rng.Float64()
	sd := cfg.Noise * amp * (0.5 + rng.Float64())
	n := float64(cfg.N)
	x := make([]float64, cfg.N)
	t0 := make([]time.Time, cfg.N)
	for t := range x {
		v := level*(1+trend*float64(t)/n) + amp*math.Sin(2*math.Pi*(float64(t)/float64(cfg.Period)+phase))
		if sd > 0 {
			v += sd * rng.NormFloat64()
		}
		// level·(1 ± 0.3) ≥ 0.7·level exceeds amp + 3.5 sd for these draws
		// almost surely; clamp the rare remainder so values stay positive.
		x[t] = max(v, 0.01*level)
		t0[t] = ManySinesStart.AddDate(0, t, 0)
	}
	id := ManySinesID(i, cfg.Series)
	return &Series{Name: id, ID: id, Time: t0, Values: x, Freq: Freq{Kind: Monthly}, Layout: "2006-01"}
}

// ManySinesID returns the id of series i of a collection of n: "s" and i+1
// zero-padded to the width of n, so that ids sort in series order
// (s0001 ... s1000).
func ManySinesID(i, n int) string {
	w := len(strconv.Itoa(max(n, 1)))
	return fmt.Sprintf("s%0*d", w, i+1)
}
