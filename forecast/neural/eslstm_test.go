package neural

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/stat"
)

// esNetOf returns c with NewESRNN's defaults filled in and a network built
// from it with seed.
func esNetOf(t *testing.T, c ESConfig, seed uint64) (ESConfig, esNet) {
	t.Helper()
	e, err := NewESRNN(c)
	if err != nil {
		t.Fatal(err)
	}
	net, err := e.cfg.build(seed)
	if err != nil {
		t.Fatal(err)
	}
	return e.cfg, net
}

// esTestRows returns two batch rows over random positive series with
// season m: one padded (off > 0), one not, both with targets that run past
// their last position.
func esTestRows(m int, cfg *ESConfig) ([]esRow, int) {
	rng := rand.New(rand.NewPCG(3, 4))
	P := esParams(m)
	var rows []esRow
	for b, n := range []int{23, 17} {
		y := make([]float64, n)
		ly := make([]float64, n)
		for i := range y {
			y[i] = 10 * (1 + 0.3*math.Sin(float64(i))) * math.Exp(0.2*rng.NormFloat64())
			ly[i] = math.Log(y[i])
		}
		raw := make([]float64, P)
		esInit(y, m, cfg.Alpha, cfg.Gamma, raw)
		for k := range raw {
			raw[k] += 0.3 * rng.NormFloat64()
		}
		r := esRow{series: b, y: y, logy: ly, raw: raw, graw: make([]float64, P)}
		if b == 0 {
			r.p0, r.p1 = 5, 20 // 15 positions, the last targets beyond the series
		} else {
			r.p0, r.p1 = 2, 11 // 9 positions, padded by 6 steps
		}
		rows = append(rows, r)
	}
	T := 15
	for b := range rows {
		rows[b].off = T - (rows[b].p1 - rows[b].p0)
	}
	return rows, T
}

// TestESRNNGradient checks dL/dα, dL/dγ and dL/d(initial seasonal
// factors) (as the raw parameters), and some network weights, against
// central differences of the whole loss: pinball losses of all quantiles
// through the network, the normalisation of inputs and targets, the
// smoothing recursion and the level penalty.
func TestESRNNGradient(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cell  string
		m     int
		joint bool
		dil   string
		drift int
	}{{"lstm season 4", "lstm", 4, true, "", 1}, {"rnn season 4", "rnn", 4, true, "", -1}, {"lstm no season", "lstm", 1, true, "", 1},
		{"lstm season 4 detached", "lstm", 4, false, "", -1}, {"rnn no season detached", "rnn", 1, false, "", 1},
		{"lstm dilated blocks", "lstm", 4, true, "1-2/3-4", 1}, {"rnn dilated blocks detached", "rnn", 4, false, "2/1-3", -1}} {
		t.Run(tc.name, func(t *testing.T) {
			c := ESConfig{Cell: tc.cell, Horizon: 6, Season: tc.m, Window: 5, Hidden: 6, Layers: 2, Chunk: 15, Batch: 2, Epochs: 20,
				Penalty: 3, Tau: 0.45, QWeight: 0.7, IntervalGrad: -1, Dilations: tc.dil, Drift: tc.drift, Seed: 2}
			if tc.joint {
				c.IntervalGrad = 1
			}
			c, net := esNetOf(t, c, 5)
			// Spread the head's outputs so the quantiles are not all at
			// their starting gaps.
			rng := rand.New(rand.NewPCG(9, 9))
			for _, p := range net.Params() {
				for i := range p.W {
					p.W[i] += 0.2 * rng.NormFloat64()
				}
			}
			rows, T := esTestRows(tc.m, &c)
			var w esWork
			net.ZeroGrad()
			c.eval(net, rows, T, &w, true)
			// Detached, the interval quantiles train only their head rows:
			// every other gradient is that of the point forecast's loss
			// and the penalty (QWeight < 0).
			point := c
			point.QWeight = -1
			lossOf := func(cfg ESConfig) float64 { return cfg.eval(net, rows, T, &w, false) }
			const eps = 1e-6
			full := true
			check := func(what string, x *float64, analytic float64) {
				t.Helper()
				cfg := c
				if c.IntervalGrad <= 0 && !full {
					cfg = point
				}
				old := *x
				*x = old + eps
				lp := lossOf(cfg)
				*x = old - eps
				lm := lossOf(cfg)
				*x = old
				num := (lp - lm) / (2 * eps)
				if d := math.Abs(num - analytic); d > 1e-6+1e-4*math.Abs(num) {
					t.Errorf("%s: analytic %.9g, central difference %.9g", what, analytic, num)
				}
			}
			full = false
			for b := range rows {
				for k := range rows[b].raw {
					what := []string{"α", "γ"}[min(k, 1)]
					if k >= 2 {
						what = "seasonal factor"
					}
					check(what+" raw of row "+string(rune('0'+b)), &rows[b].raw[k], rows[b].graw[k])
				}
			}
			Checked := 0
			for _, p := range net.Params() {
				idx := []int{0, len(p.W) / 2, len(p.W) - 1}
				if strings.HasPrefix(p.Name, "head.") {
					// Rows of every quantile: the point's (2) and intervals'.
					hd := len(p.W) / (c.Horizon * esQ)
					idx = []int{0, 1 * hd, 2 * hd, 3*hd + 1, 4*hd + hd - 1, 7 * hd, len(p.W) - 1}
				}
				for _, i := range idx {
					full = false
					if strings.HasPrefix(p.Name, "head.") {
						row := i / (len(p.W) / (c.Horizon * esQ))
						full = row%esQ != 2
					}
					check("network "+p.Name, &p.W[i], p.G[i])
					Checked++
				}
			}
			if Checked == 0 {
				t.Fatal("no network weight checked")
			}
		})
	}
}

// TestESRNNQuantilesMonotone checks esQuant's order for raw outputs of
// every size, and that a fitted model's bounds are nested around its
// forecast.
func TestESRNNQuantilesMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var q [esQ]float64
	for range 10000 {
		r := make([]float64, esQ)
		for k := range r {
			r[k] = 40 * rng.NormFloat64()
		}
		esQuant(r, &q)
		for k := 1; k < esQ; k++ {
			if q[k] < q[k-1] {
				t.Fatalf("esQuant(%v) = %v; not increasing", r, q)
			}
		}
	}
	e, series := esFitted(t, "eslstm")
	for _, s := range series[:5] {
		fc, err := e.PredictFrom(s, 6)
		if err != nil {
			t.Fatal(err)
		}
		i80, ok80 := fc.Interval(0.8)
		i95, ok95 := fc.Interval(0.95)
		if !ok80 || !ok95 {
			t.Fatalf("%s: intervals %v; want 80%% and 95%%", s.ID, fc.Intervals)
		}
		for j, v := range fc.Values {
			if !(i95.Lo[j] <= i80.Lo[j] && i80.Lo[j] <= v && v <= i80.Hi[j] && i80.Hi[j] <= i95.Hi[j] && i95.Lo[j] > 0) {
				t.Errorf("%s step %d: 95%% [%g, %g], 80%% [%g, %g], forecast %g; want nested, positive bounds",
					s.ID, j+1, i95.Lo[j], i95.Hi[j], i80.Lo[j], i80.Hi[j], v)
			}
		}
	}
}

// esFitted returns a small model of the given kind trained on 12 monthly
// series, and the series.
func esFitted(t *testing.T, name string) (*ESRNN, []*dataset.Series) {
	t.Helper()
	return esFittedWith(t, name, nil)
}

// esFittedWith is esFitted with more Params.
func esFittedWith(t *testing.T, name string, more map[string]string) (*ESRNN, []*dataset.Series) {
	t.Helper()
	cfg := dataset.ManySinesConfig{Series: 12, N: 60, Seed: 3}
	var series []*dataset.Series
	for i := range cfg.Series {
		series = append(series, dataset.ManySines(cfg, i))
	}
	params := map[string]string{"hidden": "8", "epochs": "3", "batch": "4", "last": "2", "fit_steps": "20"}
	for k, v := range more {
		params[k] = v
	}
	f, err := forecast.New(name, forecast.Options{Horizon: 6, Seed: 1, Params: params})
	if err != nil {
		t.Fatal(err)
	}
	e := f.(*ESRNN)
	if err := e.FitGlobal(context.Background(), series); err != nil {
		t.Fatal(err)
	}
	return e, series
}

// TestESRNNRoundTrip checks that a model file gives the same model: the
// same file bytes when written again, and bit-identical forecasts of a
// training series and of an unseen one.
func TestESRNNRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name, dil string
		old       bool // without the drift input, as a file written before it
	}{{"eslstm", "", false}, {"esrnn", "", false}, {"eslstm", "1-2/4", false}, {"eslstm", "", true}} {
		t.Run(tc.name+tc.dil+map[bool]string{true: " old file"}[tc.old], func(t *testing.T) {
			more := map[string]string{}
			if tc.dil != "" {
				more["dilations"] = tc.dil
			}
			if tc.old {
				more["drift"] = "false"
			}
			e, series := esFittedWith(t, tc.name, more)
			if got := e.cfg.Drift > 0; got == tc.old {
				t.Fatalf("drift input %v; want %v", got, !tc.old)
			}
			m, err := e.MarshalModel()
			if err != nil {
				t.Fatal(err)
			}
			if tc.old {
				// A file written before the drift input has no "drift".
				cut := bytes.Replace(m.Config, []byte(`,"drift":-1`), nil, 1)
				if bytes.Equal(cut, m.Config) {
					t.Fatalf("no drift field in %s", m.Config)
				}
				m.Config = cut
			}
			var buf bytes.Buffer
			if err := forecast.WriteModel(&buf, m); err != nil {
				t.Fatal(err)
			}
			m2, err := forecast.ReadModel(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			f2, err := forecast.FromModel(m2)
			if err != nil {
				t.Fatal(err)
			}
			e2 := f2.(*ESRNN)
			m3, err := e2.MarshalModel()
			if err != nil {
				t.Fatal(err)
			}
			var buf2 bytes.Buffer
			if err := forecast.WriteModel(&buf2, m3); err != nil {
				t.Fatal(err)
			}
			if !tc.old && !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
				t.Errorf("the loaded model writes a different file (%d and %d bytes)", buf.Len(), buf2.Len())
			}
			unseen := dataset.ManySines(dataset.ManySinesConfig{Series: 12, N: 50, Seed: 99}, 4)
			unseen.ID, unseen.Name = "new", "new"
			for _, s := range []*dataset.Series{series[3], unseen} {
				a, err := e.PredictFrom(s, 6)
				if err != nil {
					t.Fatal(err)
				}
				b, err := e2.PredictFrom(s, 6)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(a.Values, b.Values) || !slices.Equal(a.Intervals[1].Hi, b.Intervals[1].Hi) {
					t.Errorf("%s: forecast %v before saving, %v after", s.ID, a.Values, b.Values)
				}
			}
		})
	}
}

// TestESRNNUnseen checks that a series the model never saw is recognised
// as such, gets its own fitted smoothing parameters (which lower the loss
// from their starting point) and a finite forecast with intervals; and
// that a training series is recognised only with its own values.
func TestESRNNUnseen(t *testing.T) {
	e, series := esFitted(t, "eslstm")
	if i := e.lookup(series[2]); i != 2 {
		t.Errorf("lookup(training series 2) = %d; want 2", i)
	}
	changed := *series[2]
	changed.Values = slices.Clone(series[2].Values)
	changed.Values[10] *= 1.01
	if i := e.lookup(&changed); i != -1 {
		t.Errorf("lookup(series 2 with a changed value) = %d; want -1 (unseen)", i)
	}
	longer := *series[2]
	longer.Values = append(slices.Clone(series[2].Values), series[2].Values[50:55]...)
	if i := e.lookup(&longer); i != 2 {
		t.Errorf("lookup(series 2 with 5 more values) = %d; want 2", i)
	}
	unseen := dataset.ManySines(dataset.ManySinesConfig{Series: 12, N: 48, Seed: 77}, 1)
	unseen.ID, unseen.Name = "other", "other"
	if e.lookup(unseen) != -1 {
		t.Fatal("an unseen series is taken for a training one")
	}
	// The fitted parameters lower the loss from the start.
	e.setWeights(0)
	f := &esFitBuf{}
	ly := make([]float64, unseen.Len())
	for i, v := range unseen.Values {
		ly[i] = math.Log(v)
	}
	c := &e.cfg
	n := unseen.Len()
	p1 := n - 1
	p0 := max(esFirst(n, c.Window), p1-c.Chunk)
	lossOf := func(raw []float64) float64 {
		rows := []esRow{{y: unseen.Values, logy: ly, p0: p0, p1: p1, raw: raw}}
		var w esWork
		return c.eval(e.net, rows, p1-p0, &w, false)
	}
	start := make([]float64, esParams(c.Season))
	esInit(unseen.Values, c.Season, c.Alpha, c.Gamma, start)
	if esFlat(unseen.Values, c.Season) {
		esFlatten(start, c.Season)
	}
	fitted := slices.Clone(e.fitRaw(f, unseen.Values, ly))
	if l0, l1 := lossOf(start), lossOf(fitted); !(l1 < l0) {
		t.Errorf("fitted smoothing parameters: loss %g; from the start %g; want lower", l1, l0)
	}
	fc, err := e.PredictFrom(unseen, 6)
	if err != nil {
		t.Fatal(err)
	}
	if err := fc.CheckFinite(); err != nil || len(fc.Intervals) != 2 {
		t.Errorf("unseen forecast: %v, %d intervals; want finite, 2", err, len(fc.Intervals))
	}
	if _, err := e.PredictFrom(unseen, 7); !errors.Is(err, forecast.ErrHorizon) {
		t.Errorf("PredictFrom(7 steps) error %v; want ErrHorizon (trained for 6)", err)
	}
}

// TestESRNNNonPositive checks that a series with a value ≤ 0 is skipped
// in training and refused in forecasting, by name.
func TestESRNNNonPositive(t *testing.T) {
	cfg := dataset.ManySinesConfig{Series: 4, N: 40, Seed: 3}
	var series []*dataset.Series
	for i := range cfg.Series {
		series = append(series, dataset.ManySines(cfg, i))
	}
	bad := *series[1]
	bad.Values = slices.Clone(bad.Values)
	bad.Values[7] = 0
	series[1] = &bad
	f, err := forecast.New("eslstm", forecast.Options{Horizon: 4, Params: map[string]string{"hidden": "4", "epochs": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	e := f.(*ESRNN)
	if err := e.FitGlobal(context.Background(), series); err != nil {
		t.Fatal(err)
	}
	sk := e.Skipped()
	if len(sk) != 1 || sk[0].Series != bad.ID || !errors.Is(sk[0].Err, forecast.ErrBadData) {
		t.Fatalf("Skipped() = %v; want %s with ErrBadData", sk, bad.ID)
	}
	_, err = e.PredictFrom(&bad, 4)
	if !errors.Is(err, forecast.ErrBadData) || !strings.Contains(err.Error(), bad.ID) || !strings.Contains(err.Error(), "positive") {
		t.Errorf("PredictFrom(a series with a 0) error %v; want ErrBadData naming %s and positive values", err, bad.ID)
	}
}

// TestESRNNSeasonless checks yearly data (season 1): one smoothing
// parameter per series, and a forecast.
func TestESRNNSeasonless(t *testing.T) {
	var series []*dataset.Series
	for i := range 6 {
		y := make([]float64, 20)
		for k := range y {
			y[k] = 100 + float64(i+1)*float64(k)
		}
		series = append(series, &dataset.Series{ID: string(rune('a' + i)), Values: y})
	}
	f, err := forecast.New("esrnn", forecast.Options{Horizon: 6, Season: 1, Params: map[string]string{"hidden": "4", "epochs": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	e := f.(*ESRNN)
	if err := e.FitGlobal(context.Background(), series); err != nil {
		t.Fatal(err)
	}
	if got := len(e.snaps[0].raw); got != len(series) {
		t.Errorf("%d smoothing parameters for %d series; want one each (α)", got, len(series))
	}
	fc, err := e.PredictFrom(series[0], 6)
	if err != nil || fc.Len() != 6 {
		t.Fatalf("PredictFrom = %v, %v; want 6 steps", fc, err)
	}
}

// TestESRNNFitPredict checks the Forecaster path: Fit on one unnamed
// series, then Predict, which forecasts it with its learned smoothing
// (not refitted as an unseen series).
func TestESRNNFitPredict(t *testing.T) {
	s := dataset.ManySines(dataset.ManySinesConfig{Series: 1, N: 60, Seed: 4}, 0)
	s.ID, s.Name = "", ""
	f, err := forecast.New("eslstm", forecast.Options{Horizon: 6, Seed: 1, Params: map[string]string{"hidden": "4", "epochs": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Predict(6); !errors.Is(err, forecast.ErrNotFitted) {
		t.Errorf("Predict before Fit: %v; want ErrNotFitted", err)
	}
	if err := f.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	e := f.(*ESRNN)
	if i := e.lookup(s); i != 0 {
		t.Errorf("lookup(the fitted series) = %d; want 0", i)
	}
	fc, err := f.Predict(6)
	if err != nil || fc.Len() != 6 || len(fc.Intervals) != 2 {
		t.Fatalf("Predict(6) = %v, %v; want 6 steps with 2 intervals", fc, err)
	}
}

// TestESRNNPaddingIsExact checks that a row padded at the front inside a
// batch (reset where its positions begin) gets the outputs it gets alone,
// with plain and with dilated layers: training batches and forecasts see
// the same network.
func TestESRNNPaddingIsExact(t *testing.T) {
	for _, dil := range []string{"", "1-2/3"} {
		c := ESConfig{Horizon: 3, Season: 4, Window: 5, Hidden: 6, Chunk: 11, Batch: 2, Dilations: dil, Seed: 2}
		c, net := esNetOf(t, c, 3)
		rows, _ := esTestRows(4, &c)
		rows[0].p0, rows[0].p1 = 5, 16 // 11 positions
		rows[1].p0, rows[1].p1 = 2, 9  // 7 positions, padded by 4
		T := 11
		rows[0].off, rows[1].off = 0, 4
		var w esWork
		x := make([]float64, T*2*c.Window)
		c.fill(rows, T, x)
		net.ClearResets()
		net.ResetAt(4, 1)
		both := slices.Clone(net.Forward(x, T, 2))
		alone := []esRow{rows[1]}
		alone[0].off = 0
		w.x = make([]float64, 7*c.Window)
		c.fill(alone, 7, w.x)
		net.ClearResets()
		one := net.Forward(w.x, 7, 1)
		O := c.Horizon * esQ
		for s := range 7 {
			for j := range O {
				a, b := both[((s+4)*2+1)*O+j], one[s*O+j]
				if math.Abs(a-b) > 1e-12 {
					t.Fatalf("dilations %q: step %d output %d: %g in the batch, %g alone", dil, s, j, a, b)
				}
			}
		}
	}
}

// TestESRNNNoAllocs checks that a training step's loss and gradient (the
// smoothing, the inputs, the network's passes, the interval heads and the
// reverse pass) allocate nothing once the buffers are sized, with plain
// and with dilated layers.
func TestESRNNNoAllocs(t *testing.T) {
	for _, dil := range []string{"", "1-2/3"} {
		c := ESConfig{Horizon: 6, Season: 4, Window: 5, Hidden: 6, Chunk: 15, Batch: 2, Dilations: dil, Seed: 2}
		c, net := esNetOf(t, c, 5)
		rows, T := esTestRows(4, &c)
		var w esWork
		c.eval(net, rows, T, &w, true)
		if a := testing.AllocsPerRun(10, func() {
			net.ZeroGrad()
			c.eval(net, rows, T, &w, true)
		}); a != 0 {
			t.Errorf("dilations %q: %v allocations per training step; want 0", dil, a)
		}
	}
}

// TestESRNNSeasonTest checks the seasonality test: a series with no
// significant season (noise around a level) keeps initial factors of 1 and
// starts from γ = 0.05, which it learns; a seasonal series learns its
// factors; with season_test=false every series learns them. An unseen
// series without a season is fitted the same way.
func TestESRNNSeasonTest(t *testing.T) {
	const m = 4
	rng := rand.New(rand.NewPCG(4, 4))
	var series []*dataset.Series
	for i := range 8 {
		y := make([]float64, 40)
		for k := range y {
			y[k] = 100 + 3*rng.NormFloat64()
			if i%2 == 0 {
				y[k] *= 1 + 0.3*math.Sin(2*math.Pi*float64(k)/m)
			}
		}
		series = append(series, &dataset.Series{ID: string(rune('a' + i)), Values: y})
	}
	for i, s := range series {
		if got, want := esFlat(s.Values, m), i%2 == 1; got != want {
			t.Fatalf("series %d: esFlat = %v; want %v", i, got, want)
		}
	}
	fit := func(test string) *ESRNN {
		t.Helper()
		f, err := forecast.New("eslstm", forecast.Options{Horizon: 4, Season: m, Seed: 1, Params: map[string]string{"hidden": "4", "epochs": "3", "batch": "4",
			"season_test": test, "fit_steps": "5"}})
		if err != nil {
			t.Fatal(err)
		}
		e := f.(*ESRNN)
		if err := e.FitGlobal(context.Background(), series); err != nil {
			t.Fatal(err)
		}
		return e
	}
	P := esParams(m)
	moved := func(raw []float64) bool { return slices.ContainsFunc(raw[2:], func(v float64) bool { return v != 0 }) }
	e := fit("true")
	for i := range series {
		raw := e.snaps[len(e.snaps)-1].raw[i*P : (i+1)*P]
		if flat := i%2 == 1; moved(raw) == flat {
			t.Errorf("series %d (flat %v): initial factors %v", i, flat, raw[2:])
		}
		if i%2 == 1 && stat.Sigmoid(raw[1]) == esFlatGamma {
			t.Errorf("series %d: γ stayed at its start %g; it is learned", i, esFlatGamma)
		}
	}
	var f esFitBuf
	if raw := e.fitRaw(&f, series[1].Values, logsOf(series[1].Values)); moved(raw) {
		t.Errorf("unseen series without a season: initial factors %v; want 1 (0 in logs)", raw[2:])
	}
	e = fit("false")
	if raw := e.snaps[0].raw[1*P : 2*P]; !moved(raw) {
		t.Errorf("season_test=false: a flat series' initial factors %v did not move", raw[2:])
	}
}

// logsOf returns the natural logs of y.
func logsOf(y []float64) []float64 {
	out := make([]float64, len(y))
	for i, v := range y {
		out[i] = math.Log(v)
	}
	return out
}

// TestESRNNDriftInput checks the drift input against a direct least-squares
// fit: at every unpadded position t of a row, the input after the window is
// the slope of the line through (i, log y_i), i ≤ t, times Horizon; padded
// steps are 0.
func TestESRNNDriftInput(t *testing.T) {
	c := ESConfig{Horizon: 6, Season: 4, Window: 5, Alpha: 0.5, Gamma: 0.5, Drift: 1}
	rows, T := esTestRows(4, &c)
	I := c.inputs()
	if I != c.Window+1 {
		t.Fatalf("inputs() = %d with Drift; want Window+1 = %d", I, c.Window+1)
	}
	x := make([]float64, T*len(rows)*I)
	c.fill(rows, T, x)
	B := len(rows)
	for b, r := range rows {
		for s := range T {
			got := x[(s*B+b)*I+c.Window]
			want := 0.0
			if s >= r.off {
				tt := r.p0 + s - r.off
				var mt, mv float64
				for i := 0; i <= tt; i++ {
					mt += float64(i)
					mv += r.logy[i]
				}
				n := float64(tt + 1)
				mt, mv = mt/n, mv/n
				var num, den float64
				for i := 0; i <= tt; i++ {
					num += (float64(i) - mt) * (r.logy[i] - mv)
					den += (float64(i) - mt) * (float64(i) - mt)
				}
				if den > 0 {
					want = num / den * float64(c.Horizon)
				}
			}
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("row %d step %d: drift input %.15g; want %.15g", b, s, got, want)
			}
		}
	}
	c.Drift = -1
	if c.inputs() != c.Window {
		t.Errorf("inputs() = %d without Drift; want Window = %d", c.inputs(), c.Window)
	}
}

// TestESRNNFrequencyDefaults checks the defaults that depend on the data's
// frequency (docs/M3-eslstm.md): 30 epochs with a season of at least 4,
// else 20; the drift input for seasonal and annual data, not for data with
// neither; and that given values are kept.
func TestESRNNFrequencyDefaults(t *testing.T) {
	for _, tc := range []struct {
		name          string
		season        int
		kind          dataset.FreqKind
		epochs, drift int
	}{{"monthly", 12, dataset.Monthly, 30, 1}, {"quarterly", 4, dataset.Quarterly, 30, 1},
		{"annual", 1, dataset.Annual, 20, 1}, {"no season", 1, dataset.Index, 20, -1}} {
		e, err := NewESRNN(ESConfig{Season: tc.season})
		if err != nil {
			t.Fatal(err)
		}
		c := e.req
		c.resolve(&dataset.Series{Values: []float64{1, 2, 3}, Freq: dataset.Freq{Kind: tc.kind}})
		if c.Epochs != tc.epochs || c.Drift != tc.drift || c.Last != 3 {
			t.Errorf("%s: epochs %d, drift %d, last %d; want %d, %d, 3", tc.name, c.Epochs, c.Drift, c.Last, tc.epochs, tc.drift)
		}
		e, _ = NewESRNN(ESConfig{Season: tc.season, Epochs: 2, Drift: -tc.drift})
		c = e.req
		c.resolve(&dataset.Series{Values: []float64{1, 2, 3}, Freq: dataset.Freq{Kind: tc.kind}})
		if c.Epochs != 2 || c.Drift != -tc.drift || c.Last != 2 {
			t.Errorf("%s, set: epochs %d, drift %d, last %d; want 2, %d, 2", tc.name, c.Epochs, c.Drift, c.Last, -tc.drift)
		}
	}
}

// TestESRNNFloat32 checks the float32 network path (esNet32) against the
// float64 one from the same seed: the loss, the smoothing parameters'
// gradients (which come through the widened input gradient) and the
// interval heads' gradients (through the widened outputs) agree to float32
// precision.
func TestESRNNFloat32(t *testing.T) {
	c := ESConfig{Cell: "lstm", Horizon: 6, Season: 4, Window: 5, Hidden: 6, Layers: 2, Chunk: 15, Batch: 2, Epochs: 20,
		Penalty: 3, Tau: 0.45, QWeight: 0.7, IntervalGrad: 0.1, Drift: 1, Seed: 2}
	run := func(dtype string) (float64, []float64, []float64) {
		cfg := c
		cfg.DType = dtype
		cfg, net := esNetOf(t, cfg, 5)
		rows, T := esTestRows(4, &cfg)
		var w esWork
		net.ZeroGrad()
		loss := cfg.eval(net, rows, T, &w, true)
		var graw, head []float64
		for _, r := range rows {
			graw = append(graw, r.graw...)
		}
		for _, p := range net.Params() {
			if p.Name == "head.weight" {
				head = slices.Clone(p.G)
			}
		}
		return loss, graw, head
	}
	l64, g64, h64 := run("float64")
	l32, g32, h32 := run("float32")
	close := func(what string, a, b []float64) {
		t.Helper()
		if len(a) != len(b) || len(a) == 0 {
			t.Fatalf("%s: %d and %d values", what, len(a), len(b))
		}
		scale := 0.0
		for _, v := range a {
			scale = max(scale, math.Abs(v))
		}
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-4*scale {
				t.Errorf("%s[%d]: float64 %.7g, float32 %.7g", what, i, a[i], b[i])
			}
		}
	}
	if math.Abs(l64-l32) > 1e-5*math.Abs(l64) {
		t.Errorf("loss: float64 %.9g, float32 %.9g", l64, l32)
	}
	close("smoothing gradient", g64, g32)
	close("head.weight gradient", h64, h32)
}
