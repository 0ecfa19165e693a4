package dataset

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestScalerMethods(t *testing.T) {
	s := &Series{Name: "x", Values: []float64{1, 2, 3, 4, 100}, Covariates: [][]float64{{5, 5, 5, 5, 5}}}
	tests := []struct {
		m             ScaleMethod
		center, scale float64
	}{
		{ScaleStandard, 22, math.Sqrt((21*21 + 20*20 + 19*19 + 18*18 + 78*78) / 5.0)},
		{"", 22, math.Sqrt((21*21 + 20*20 + 19*19 + 18*18 + 78*78) / 5.0)},
		{ScaleMinMax, 1, 99},
		{ScaleRobust, 3, 2},
		{ScaleNone, 0, 1},
	}
	for _, tc := range tests {
		sc := Scaler{Method: tc.m}
		if err := sc.Fit(s); err != nil {
			t.Fatal(err)
		}
		if !near(sc.Center[0], tc.center) || !near(sc.Scale[0], tc.scale) {
			t.Errorf("%q: center %g scale %g; want %g %g", tc.m, sc.Center[0], sc.Scale[0], tc.center, tc.scale)
		}
		// The constant covariate gets scale 1, never a division by zero.
		if sc.Scale[1] != 1 {
			t.Errorf("%q: constant column scale %g; want 1", tc.m, sc.Scale[1])
		}
		z := sc.Transform(s)
		back := make([]float64, s.Len())
		sc.Inverse(back, z.Values)
		for i := range back {
			if !near(back[i], s.Values[i]) || math.IsNaN(z.Covariates[0][i]) {
				t.Errorf("%q: Inverse(Transform(%g)) = %g", tc.m, s.Values[i], back[i])
			}
		}
		if s.Values[0] != 1 {
			t.Fatal("Transform modified its input")
		}
		if got := sc.InverseValue(z.Values[4]); !near(got, 100) {
			t.Errorf("%q: InverseValue = %g; want 100", tc.m, got)
		}
		if got := sc.InverseSpread(1); got != sc.Scale[0] {
			t.Errorf("%q: InverseSpread(1) = %g; want %g", tc.m, got, sc.Scale[0])
		}
	}
	if err := (&Scaler{Method: "log"}).Fit(s); err == nil {
		t.Error("Fit with unknown method: nil error")
	}
	if err := (&Scaler{}).Fit(&Series{}); !errors.Is(err, ErrTooShort) {
		t.Errorf("Fit on empty series: %v; want ErrTooShort", err)
	}
}

func TestScalerJSONRoundTrip(t *testing.T) {
	s := &Series{Values: []float64{3, 1, 4, 1, 5}}
	sc := Scaler{Method: ScaleRobust}
	if err := sc.Fit(s); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	var back Scaler
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := back.Transform(s).Values, sc.Transform(s).Values; got[2] != want[2] {
		t.Errorf("decoded scaler transforms to %v; want %v", got, want)
	}
}

// TestScalerSeesOnlyTrain: values in validation and test are poisoned
// (huge, and NaN at the very end); a scaler fitted on the training part of a
// Split has exactly the training statistics, and the training view cannot
// reach past its end.
func TestScalerSeesOnlyTrain(t *testing.T) {
	n := 100
	s := &Series{Name: "x", Values: make([]float64, n), Time: make([]time.Time, n)}
	for i := range s.Values {
		s.Values[i] = float64(i % 7)
		s.Time[i] = time.Date(2020, 1, 1+i, 0, 0, 0, 0, time.UTC)
		if i >= 70 {
			s.Values[i] = 1e9
		}
	}
	s.Values[n-1] = math.NaN()
	p, err := Split(s, SplitOptions{ValFrac: 0.2, TestFrac: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Train.Len() != 70 || p.Val.Len() != 20 || p.Test.Len() != 10 {
		t.Fatalf("split %d/%d/%d; want 70/20/10", p.Train.Len(), p.Val.Len(), p.Test.Len())
	}
	for _, m := range []ScaleMethod{ScaleStandard, ScaleMinMax, ScaleRobust} {
		sc, ref := Scaler{Method: m}, Scaler{Method: m}
		if err := sc.Fit(p.Train); err != nil {
			t.Fatalf("%s: %v (the scaler saw a test value)", m, err)
		}
		own := &Series{Values: append([]float64(nil), s.Values[:70]...)}
		if err := ref.Fit(own); err != nil {
			t.Fatal(err)
		}
		if sc.Center[0] != ref.Center[0] || sc.Scale[0] != ref.Scale[0] || sc.Scale[0] > 10 {
			t.Errorf("%s: fitted %g/%g; want train-only %g/%g", m, sc.Center[0], sc.Scale[0], ref.Center[0], ref.Scale[0])
		}
	}
	if c := cap(p.Train.Values); c != 70 {
		t.Errorf("train view has capacity %d; want 70 (it must not reach validation)", c)
	}
}

func TestSplit(t *testing.T) {
	n := 10
	s := &Series{Name: "x", Values: make([]float64, n), Time: make([]time.Time, n)}
	for i := range s.Time {
		s.Time[i] = time.Date(2020, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
	}
	tests := []struct {
		name      string
		o         SplitOptions
		tr, v, te int
	}{
		{"none", SplitOptions{}, 10, 0, 0},
		{"fractions", SplitOptions{ValFrac: 0.2, TestFrac: 0.3}, 5, 2, 3},
		{"counts", SplitOptions{ValLen: 1, TestLen: 2}, 7, 1, 2},
		{"test date", SplitOptions{TestStart: time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)}, 8, 0, 2},
		{"dates", SplitOptions{ValStart: time.Date(2020, 6, 15, 0, 0, 0, 0, time.UTC), TestStart: time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)}, 6, 2, 2},
	}
	for _, tc := range tests {
		p, err := Split(s, tc.o)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if p.Train.Len() != tc.tr || p.Val.Len() != tc.v || p.Test.Len() != tc.te || p.ValAt != tc.tr || p.TestAt != tc.tr+tc.v {
			t.Errorf("%s: %d/%d/%d; want %d/%d/%d", tc.name, p.Train.Len(), p.Val.Len(), p.Test.Len(), tc.tr, tc.v, tc.te)
		}
	}
	for _, o := range []SplitOptions{{ValFrac: 0.5, TestFrac: 0.5}, {ValLen: 5, TestLen: 5}, {ValFrac: 0.1, TestLen: 1}, {ValLen: -1}} {
		if _, err := Split(s, o); err == nil {
			t.Errorf("Split(%+v): nil error", o)
		}
	}
	if _, err := Split(&Series{Values: make([]float64, 3)}, SplitOptions{TestStart: time.Now()}); err == nil {
		t.Error("date split without time index: nil error")
	}
}

func TestAddingBatch(t *testing.T) {
	const T, B = 20, 512
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := make([]float64, T*B*2), make([]float64, B)
	var mse, mean float64
	const batches = 20
	for k := 0; k < batches; k++ {
		AddingBatch(rng, T, B, x, y)
		for b := 0; b < B; b++ {
			var first, second, sum float64
			for tt := 0; tt < T; tt++ {
				if m := x[(tt*B+b)*2+1]; m == 1 {
					if tt < T/2 {
						first++
					} else {
						second++
					}
					sum += x[(tt*B+b)*2]
				} else if m != 0 {
					t.Fatalf("marker %g; want 0 or 1", m)
				}
			}
			if first != 1 || second != 1 || sum != y[b] {
				t.Fatalf("row %d: markers %g+%g, sum %g, target %g", b, first, second, sum, y[b])
			}
			mean += y[b]
			mse += (y[b] - 1) * (y[b] - 1)
		}
	}
	mse /= batches * B
	mean /= batches * B
	// 10240 samples: the standard error of the MSE estimate is about 0.0014.
	if math.Abs(mse-AddingConstantMSE) > 0.01 || math.Abs(mean-1) > 0.02 {
		t.Errorf("constant predictor MSE %g (mean %g); want %g (1)", mse, mean, AddingConstantMSE)
	}
	if a := testing.AllocsPerRun(10, func() { AddingBatch(rng, T, B, x, y) }); a != 0 {
		t.Errorf("AddingBatch allocates %g times per call; want 0", a)
	}
	// Same seed, same batch.
	x2, y2 := make([]float64, T*B*2), make([]float64, B)
	AddingBatch(rand.New(rand.NewPCG(7, 7)), T, B, x, y)
	AddingBatch(rand.New(rand.NewPCG(7, 7)), T, B, x2, y2)
	if y[0] != y2[0] || x[100] != x2[100] {
		t.Error("same seed gave different batches")
	}
}

func TestSpikeEcho(t *testing.T) {
	cfg := SpikeEchoConfig{N: 200000, Lag: 30, Rate: 0.05, Noise: 0.1}
	s, spikes, st := spikeEcho(cfg, rand.New(rand.NewPCG(2, 2)))
	if s.Len() != cfg.N || s.Freq.Kind != Hourly || !s.Time[1].Equal(SynthStart.Add(time.Hour)) {
		t.Fatalf("len %d freq %v", s.Len(), s.Freq)
	}
	var lagFree, oracle float64
	m := 0
	for i := cfg.Lag; i < cfg.N; i++ {
		lagFree += s.Values[i] * s.Values[i]
		e := s.Values[i] - spikes[i-cfg.Lag]
		oracle += e * e
		m++
	}
	lagFree /= float64(m)
	oracle /= float64(m)
	if math.Abs(lagFree-st.LagFreeMSE) > 0.05*st.LagFreeMSE || math.Abs(oracle-st.OracleMSE) > 0.05*st.OracleMSE {
		t.Errorf("empirical MSE lag-free %g oracle %g; want %g %g", lagFree, oracle, st.LagFreeMSE, st.OracleMSE)
	}
	// Without noise every spike recurs exactly Lag steps later.
	s, spikes, _ = spikeEcho(SpikeEchoConfig{N: 1000, Lag: 7, Noise: -1}, rand.New(rand.NewPCG(3, 3)))
	for i := 0; i+7 < s.Len(); i++ {
		if spikes[i] != 0 && s.Values[i+7] != spikes[i]+spikes[i+7] {
			t.Fatalf("spike %g at %d not echoed at %d (%g)", spikes[i], i, i+7, s.Values[i+7])
		}
	}
}

func TestSpikeEchoGain(t *testing.T) {
	// A gain scales every echo and only the echoes: the same seed gives the
	// same spikes, and the stats follow (1+g²)·Rate·E[A²] + Noise².
	base := SpikeEchoConfig{N: 100000, Lag: 12, Rate: 0.05, Noise: 0.1}
	for _, g := range []float64{0.5, 2, -1} {
		cfg := base
		cfg.Gain = g
		s, spikes, st := SpikeEchoSpikes(cfg, rand.New(rand.NewPCG(5, 5)))
		_, spikes1, _ := SpikeEchoSpikes(base, rand.New(rand.NewPCG(5, 5)))
		var lagFree, oracle float64
		m := 0
		for i := range spikes {
			if spikes[i] != spikes1[i] {
				t.Fatalf("gain %g: spike %d is %g, %g without gain", g, i, spikes[i], spikes1[i])
			}
			if i < cfg.Lag {
				continue
			}
			lagFree += s.Values[i] * s.Values[i]
			e := s.Values[i] - g*spikes[i-cfg.Lag]
			oracle += e * e
			m++
		}
		lagFree /= float64(m)
		oracle /= float64(m)
		want := (1+g*g)*0.05*7/3 + 0.01
		if math.Abs(st.LagFreeMSE-want) > 1e-12 || math.Abs(lagFree-want) > 0.05*want || math.Abs(oracle-st.OracleMSE) > 0.05*st.OracleMSE {
			t.Errorf("gain %g: lag-free %g (stats %g, want %g), oracle %g (stats %g)", g, lagFree, st.LagFreeMSE, want, oracle, st.OracleMSE)
		}
	}
	got, _ := SpikeEcho(base, rand.New(rand.NewPCG(6, 6)))
	again, _, _ := SpikeEchoSpikes(base, rand.New(rand.NewPCG(6, 6)))
	if !slices.Equal(got.Values, again.Values) {
		t.Error("SpikeEcho and SpikeEchoSpikes differ for the same seed")
	}
}

func TestSines(t *testing.T) {
	a := Sines(SinesConfig{N: 200, Level: 10, Trend: 0.5, Periods: []float64{24}, Amplitudes: []float64{2}}, nil)
	want := 10 + 0.5*6 + 2*math.Sin(2*math.Pi*6/24)
	if !near(a.Values[6], want) || a.Len() != 200 {
		t.Errorf("Sines[6] = %g; want %g", a.Values[6], want)
	}
	b := Sines(SinesConfig{Noise: 0.5}, rand.New(rand.NewPCG(4, 4)))
	c := Sines(SinesConfig{Noise: 0.5}, rand.New(rand.NewPCG(4, 4)))
	if b.Values[500] != c.Values[500] || b.Len() != 1000 {
		t.Error("same seed gave different sines")
	}
}
