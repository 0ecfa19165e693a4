package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// SynthStart is the first timestamp of every synthetic series; their index
// is hourly from there.
var SynthStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const synthLayout = "2006-01-02 15:04:05"

func hourly(n int) []time.Time {
	t := make([]time.Time, n)
	for i := range t {
		t[i] = SynthStart.Add(time.Duration(i) * time.Hour)
	}
	return t
}

// AddingConstantMSE is the mean squared error of the best constant predictor
// (1) on the adding problem: the target is a sum of two independent U(0,1)
// values, whose variance is 2/12 = 1/6. A model that learns nothing sits
// here; one that solves the task goes to 0.
const AddingConstantMSE = 1.0 / 6

// AddingBatch fills x and y with a fresh batch of the adding problem
// (Hochreiter & Schmidhuber 1997; Le et al. 2015): B sequences of length T
// with two input channels. Channel 0 holds U(0,1) values; channel 1 is 0
// except for two markers (1): one at a uniform position in [0, T/2) and one
// in [T/2, T). The target is the sum of the two marked values.
//
// x is time-major, x[(t*B+b)*2+c], length at least T*B*2; y[b] holds the
// targets, length at least B. AddingBatch does not allocate. It panics if
// T < 2, B < 1 or a buffer is too small.
func AddingBatch(rng *rand.Rand, T, B int, x, y []float64) {
	if T < 2 || B < 1 || len(x) < T*B*2 || len(y) < B {
		panic(fmt.Sprintf("dataset: AddingBatch T=%d B=%d needs x of %d and y of %d, have %d and %d", T, B, T*B*2, B, len(x), len(y)))
	}
	for i := 0; i < T*B; i++ {
		x[2*i] = rng.Float64()
		x[2*i+1] = 0
	}
	h := T / 2
	for b := 0; b < B; b++ {
		i := rng.IntN(h)
		j := h + rng.IntN(T-h)
		x[(i*B+b)*2+1] = 1
		x[(j*B+b)*2+1] = 1
		y[b] = x[(i*B+b)*2] + x[(j*B+b)*2]
	}
}

// SpikeEchoConfig configures SpikeEcho. Zero fields take the defaults.
type SpikeEchoConfig struct {
	// N is the length; default 10000.
	N int
	// Lag is L, the delay of the echo; default 50.
	Lag int
	// Rate is the probability of a primary spike at each step; default 0.02.
	Rate float64
	// Noise is the standard deviation of the Gaussian noise; default 0.1.
	// Use a negative value for no noise.
	Noise float64
	// Gain multiplies every echo: x[t] = s[t] + Gain·s[t-L] + noise.
	// Default 1 (an exact copy). A gain other than ±1 makes an echo
	// distinguishable from a primary spike by its height, so a model that
	// sees a spike can tell whether it will recur; use a negative value for
	// an inverted echo.
	Gain float64
}

// SpikeEchoStats gives the reference errors of one-step-ahead forecasts of a
// spike-echo series, computed from its construction.
type SpikeEchoStats struct {
	// LagFreeMSE is the MSE of the best predictor that does not remember L
	// steps back: it predicts 0 (every component is then unpredictable),
	// MSE = (1+Gain²)·Rate·E[A²] + Noise² with E[A²] = 7/3.
	LagFreeMSE float64
	// OracleMSE is the MSE of a predictor that knows the spike L steps back
	// exactly (it predicts the echo and 0 for the rest): Rate·E[A²] + Noise².
	// No forecaster can beat it; one that remembers L steps approaches it.
	OracleMSE float64
}

// SpikeEcho generates a series in which every spike recurs exactly L steps
// later, so it can be forecast only by remembering L steps back:
//
//	x[t] = s[t] + Gain·s[t-L] + Noise·e[t]
//
// where s[t] is a primary spike with probability Rate (height A = ±U(1,2),
// random sign, so E[A] = 0 and E[A²] = 7/3) and 0 otherwise, e[t] is
// standard normal, and s[t-L] = 0 for t < L. Echoes do not echo. With a window
// shorter than L a model sees nothing correlated with the echo due next, so
// it cannot beat SpikeEchoStats.LagFreeMSE; with memory of L steps it can
// approach OracleMSE. The series is hourly from SynthStart.
func SpikeEcho(cfg SpikeEchoConfig, rng *rand.Rand) (*Series, SpikeEchoStats) {
	s, _, st := spikeEcho(cfg, rng)
	return s, st
}

// SpikeEchoSpikes is SpikeEcho that also returns the primary spikes s[t]
// (0 where there is none), from which the echo due at every step, and so the
// oracle's forecast, is known: Gain·s[t-L]. The series is the one SpikeEcho
// returns for the same cfg and rng state.
func SpikeEchoSpikes(cfg SpikeEchoConfig, rng *rand.Rand) (*Series, []float64, SpikeEchoStats) {
	return spikeEcho(cfg, rng)
}

func spikeEcho(cfg SpikeEchoConfig, rng *rand.Rand) (*Series, []float64, SpikeEchoStats) {
	if cfg.N == 0 {
		cfg.N = 10000
	}
	if cfg.Lag == 0 {
		cfg.Lag = 50
	}
	if cfg.Rate == 0 {
		cfg.Rate = 0.02
	}
	switch {
	case cfg.Noise == 0:
		cfg.Noise = 0.1
	case cfg.Noise < 0:
		cfg.Noise = 0
	}
	if cfg.Gain == 0 {
		cfg.Gain = 1
	}
	if cfg.N < 1 || cfg.Lag < 1 || cfg.Rate < 0 || cfg.Rate > 1 || math.IsNaN(cfg.Gain) || math.IsInf(cfg.Gain, 0) {
		panic(fmt.Sprintf("dataset: SpikeEcho config %+v out of range", cfg))
	}
	spikes := make([]float64, cfg.N)
	x := make([]float64, cfg.N)
	for t := range x {
		if rng.Float64() < cfg.Rate {
			a := 1 + rng.Float64()
			if rng.IntN(2) == 0 {
				a = -a
			}
			spikes[t] = a
		}
		x[t] = spikes[t] + cfg.Noise*rng.NormFloat64()
		if t >= cfg.Lag {
			x[t] += cfg.Gain * spikes[t-cfg.Lag]
		}
	}
	ea2 := 7.0 / 3
	st := SpikeEchoStats{
		LagFreeMSE: (1+cfg.Gain*cfg.Gain)*cfg.Rate*ea2 + cfg.Noise*cfg.Noise,
		OracleMSE:  cfg.Rate*ea2 + cfg.Noise*cfg.Noise,
	}
	s := &Series{Name: "spike_echo", Time: hourly(cfg.N), Values: x, Freq: Freq{Kind: Hourly, Step: time.Hour}, Layout: synthLayout}
	return s, spikes, st
}

// SinesConfig configures Sines. Zero fields take the defaults.
type SinesConfig struct {
	// N is the length; default 1000.
	N int
	// Periods of the seasonal components, in steps; default {24, 168}
	// (daily and weekly for an hourly series).
	Periods []float64
	// Amplitudes, one per period; default 1 for each.
	Amplitudes []float64
	// Level is the value at t = 0 before seasonality and noise.
	Level float64
	// Trend is added per step.
	Trend float64
	// Noise is the standard deviation of Gaussian noise; 0 means none.
	Noise float64
}

// Sines generates a sine mixture with trend and noise, hourly from
// SynthStart:
//
//	x[t] = Level + Trend·t + Σ_k Amplitudes[k]·sin(2πt/Periods[k]) + Noise·e[t]
//
// rng may be nil when Noise is 0. It panics if Amplitudes is given with a
// length different from Periods.
func Sines(cfg SinesConfig, rng *rand.Rand) *Series {
	if cfg.N == 0 {
		cfg.N = 1000
	}
	if cfg.Periods == nil {
		cfg.Periods = []float64{24, 168}
	}
	if cfg.Amplitudes == nil {
		cfg.Amplitudes = make([]float64, len(cfg.Periods))
		for i := range cfg.Amplitudes {
			cfg.Amplitudes[i] = 1
		}
	}
	if len(cfg.Amplitudes) != len(cfg.Periods) {
		panic(fmt.Sprintf("dataset: Sines has %d periods and %d amplitudes", len(cfg.Periods), len(cfg.Amplitudes)))
	}
	x := make([]float64, cfg.N)
	for t := range x {
		v := cfg.Level + cfg.Trend*float64(t)
		for k, p := range cfg.Periods {
			v += cfg.Amplitudes[k] * math.Sin(2*math.Pi*float64(t)/p)
		}
		if cfg.Noise > 0 {
			v += cfg.Noise * rng.NormFloat64()
		}
		x[t] = v
	}
	return &Series{Name: "sines", Time: hourly(cfg.N), Values: x, Freq: Freq{Kind: Hourly, Step: time.Hour}, Layout: synthLayout}
}
