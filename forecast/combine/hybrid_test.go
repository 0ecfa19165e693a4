package combine

import (
	"bytes"
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// quickHybrid is a hybrid with a small, fast network.
func quickHybrid(t *testing.T, cfg HybridConfig) *Hybrid {
	t.Helper()
	if cfg.Horizon == 0 {
		cfg.Horizon = 6
	}
	if cfg.Season == 0 {
		cfg.Season = 12
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{"epochs": "4", "hidden": "8", "lr": "0.003"}
	}
	hy, err := NewHybrid(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return hy
}

func modelBytes(t *testing.T, p forecast.Persistent) []byte {
	t.Helper()
	m, err := p.MarshalModel()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := forecast.WriteModel(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// roundTrip writes hy's model file, reads it back, checks that writing the
// loaded model gives the same bytes, and returns it with the bytes.
func roundTrip(t *testing.T, hy *Hybrid) (*Hybrid, []byte) {
	t.Helper()
	data := modelBytes(t, hy)
	m, err := forecast.ReadModel(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var back Hybrid
	if err := back.UnmarshalModel(m); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(modelBytes(t, &back), data) {
		t.Error("the model file does not round-trip byte for byte")
	}
	return &back, data
}

// The hybrid's combination, its pooled validation scores and its intervals,
// checked against a recomputation from its members; the model file round
// trips bit for bit and forecasts unseen series alike; the result does not
// depend on the number of workers.
func TestHybridFitRoundTripWorkers(t *testing.T) {
	ctx := context.Background()
	train := fctest.ManySines(24, 3)
	hy := quickHybrid(t, HybridConfig{Seed: 2, Workers: 1})
	if err := hy.FitGlobal(ctx, train); err != nil {
		t.Fatal(err)
	}
	ms := hy.Members()
	if len(ms) != 3 || ms[0].Name != "eslstm (global)" || ms[1].Name != "ets" || ms[2].Name != "theta" {
		t.Fatalf("members %+v", ms)
	}
	for _, m := range ms {
		if m.Series != len(train) || !(m.MASE > 0) || !(m.SMAPE > 0) || math.Abs(m.Weight-1.0/3) > 1e-15 {
			t.Errorf("member %+v: want %d validation windows, finite scores, weight 1/3", m, len(train))
		}
	}
	// The network's pooled validation MASE, recomputed from a network
	// trained the same way on the shortened series.
	short := make([]*dataset.Series, len(train))
	for i, s := range train {
		short[i] = s.Slice(0, s.Len()-6)
	}
	net, err := hy.cfg.member("eslstm")
	if err != nil {
		t.Fatal(err)
	}
	if err := net.(forecast.GlobalFitter).FitGlobal(ctx, short); err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for i, s := range short {
		f, err := forecast.PredictFrom(net, s, 6)
		if err != nil {
			t.Fatal(err)
		}
		sum += forecast.MASE(train[i].Values[s.Len():], f.Values, s.Values, 12)
	}
	if want := sum / float64(len(train)); math.Abs(ms[0].MASE-want) > 1e-12 {
		t.Errorf("network validation MASE %v, recomputed %v", ms[0].MASE, want)
	}
	n, levels := hy.Calibration()
	if n != len(train) || !slices.Equal(levels, []float64{0.8, 0.95}) {
		t.Errorf("calibration on %d windows, levels %v; want %d, [0.8 0.95]", n, levels, len(train))
	}

	// The forecast of a series is the mean of the members' forecasts.
	unseen := fctest.ManySines(3, 77)
	fc, err := hy.PredictFrom(unseen[0], 6)
	if err != nil {
		t.Fatal(err)
	}
	nf, _ := hy.net.PredictFrom(unseen[0], 6)
	want := slices.Clone(nf.Values)
	for _, name := range []string{"ets", "theta"} {
		m, _ := forecast.New(name, forecast.Options{Horizon: 6, Season: 12, Seed: 2})
		if err := m.Fit(ctx, unseen[0]); err != nil {
			t.Fatal(err)
		}
		f, _ := m.Predict(6)
		for k := range want {
			want[k] += f.Values[k]
		}
	}
	for k := range want {
		if d := math.Abs(fc.Values[k] - want[k]/3); d > 1e-9*math.Abs(want[k]) {
			t.Errorf("step %d: hybrid %v, mean of members %v", k, fc.Values[k], want[k]/3)
		}
	}
	if len(fc.Intervals) != 2 {
		t.Fatalf("intervals %+v; want 80 %% and 95 %%", fc.Intervals)
	}
	for k := range 6 {
		lo80, hi80 := fc.Intervals[0].Lo[k], fc.Intervals[0].Hi[k]
		lo95, hi95 := fc.Intervals[1].Lo[k], fc.Intervals[1].Hi[k]
		if !(lo95 <= lo80 && lo80 < hi80 && hi80 <= hi95) || math.IsInf(hi95, 0) || lo95 < 0 {
			t.Errorf("step %d: 95 %% [%v, %v] must hold 80 %% [%v, %v], finite, not below 0", k, lo95, hi95, lo80, hi80)
		}
	}

	// Bit for bit through a model file, also for series it never saw.
	back, data := roundTrip(t, hy)
	for _, s := range append(unseen, train[:3]...) {
		a, err1 := hy.PredictFrom(s, 6)
		b, err2 := back.PredictFrom(s, 6)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !slices.Equal(a.Values, b.Values) || !slices.Equal(a.Intervals[1].Hi, b.Intervals[1].Hi) {
			t.Errorf("series %s: loaded model forecasts %v, fitted %v", s.ID, b.Values, a.Values)
		}
	}

	// Same seed and data, same model file, whatever the workers.
	hy4 := quickHybrid(t, HybridConfig{Seed: 2, Workers: 4})
	if err := hy4.FitGlobal(ctx, train); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(modelBytes(t, hy4), data) {
		t.Error("4 workers gave another model than 1")
	}
}

// A member that cannot forecast a series leaves the others to it, with
// their weights renormalised; a series no member can forecast is an error
// naming every member's reason; the horizon is bounded by the calibration.
func TestHybridShortAndUnforecastable(t *testing.T) {
	ctx := context.Background()
	hy := quickHybrid(t, HybridConfig{Seed: 1})
	if err := hy.FitGlobal(ctx, fctest.ManySines(12, 5)); err != nil {
		t.Fatal(err)
	}
	two := &dataset.Series{Name: "two", Values: []float64{5, 6}, Freq: dataset.Freq{Kind: dataset.Index}}
	fc, err := hy.PredictFrom(two, 6)
	if err != nil {
		t.Fatalf("two points: %v", err)
	}
	nf, _ := hy.net.PredictFrom(two, 6)
	th, _ := forecast.New("theta", forecast.Options{Horizon: 6, Season: 12})
	thErr := th.Fit(ctx, two)
	for k := range 6 {
		want := nf.Values[k]
		if thErr == nil {
			f, _ := th.Predict(6)
			want = (want + f.Values[k]) / 2
		}
		if math.Abs(fc.Values[k]-want) > 1e-9*math.Abs(want) {
			t.Fatalf("step %d: %v, want %v (the members that could forecast, renormalised)", k, fc.Values[k], want)
		}
	}
	for _, iv := range fc.Intervals {
		if !allFinite(iv.Lo) || !allFinite(iv.Hi) {
			t.Errorf("interval %g not finite: %v %v", iv.Level, iv.Lo, iv.Hi)
		}
	}
	if _, err := hy.PredictFrom(two, 7); !errors.Is(err, forecast.ErrHorizon) {
		t.Errorf("7 steps from a model fitted for 6: %v; want ErrHorizon", err)
	}
	empty := &dataset.Series{Name: "none", Freq: dataset.Freq{Kind: dataset.Index}}
	if _, err := hy.PredictFrom(empty, 6); !errors.Is(err, forecast.ErrTooShort) {
		t.Errorf("empty history: %v; want ErrTooShort", err)
	}
}

// The weights follow the pooled validation MASE: inverse2 ∝ 1/MASE², best
// the lowest alone.
func TestHybridWeights(t *testing.T) {
	ctx := context.Background()
	train := fctest.ManySines(16, 9)
	fits := map[string]*Hybrid{}
	for _, w := range []string{"mean", "inverse2", "best"} {
		hy := quickHybrid(t, HybridConfig{Seed: 1, Weights: w})
		if err := hy.FitGlobal(ctx, train); err != nil {
			t.Fatal(err)
		}
		fits[w] = hy
	}
	ms := fits["mean"].Members()
	inv := fits["inverse2"].Members()
	sum := 0.0
	for _, m := range ms {
		sum += 1 / (m.MASE * m.MASE)
	}
	best := 0
	for j, m := range ms {
		if inv[j].MASE != m.MASE {
			t.Fatalf("member %s: validation MASE %v under inverse2, %v under mean: the validation must not depend on the weights", m.Name, inv[j].MASE, m.MASE)
		}
		if want := 1 / (m.MASE * m.MASE) / sum; math.Abs(inv[j].Weight-want) > 1e-12 {
			t.Errorf("inverse2 weight of %s %v; want %v", m.Name, inv[j].Weight, want)
		}
		if m.MASE < ms[best].MASE {
			best = j
		}
	}
	for j, m := range fits["best"].Members() {
		if want := float64(b2i(j == best)); m.Weight != want {
			t.Errorf("best: weight of %s %v; want %v", m.Name, m.Weight, want)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Conformal bounds by hand: 19 errors 1..19 give the 90 % interval at
// ranks 1 and 19 (⌊20·0.05⌋, ⌈20·0.95⌉); at 95 % they are too few per step,
// and pooled over the steps (each step divided by its mean |error|) they
// are enough; with 2 windows of 3 steps nothing calibrates 95 %.
func TestHybridBands(t *testing.T) {
	var errs [][]float64
	for i := 1; i <= 19; i++ {
		errs = append(errs, []float64{float64(i), 2 * float64(i)})
	}
	b, ok := bandOf(errs, 2, 0.9)
	if !ok || b.lo[0] != 1 || b.hi[0] != 19 || b.lo[1] != 2 || b.hi[1] != 38 {
		t.Errorf("90 %%: %+v %v; want per step [1, 19] and [2, 38]", b, ok)
	}
	b, ok = bandOf(errs, 2, 0.95)
	// Pooled: every step divided by its mean |e| (10 and 20) gives the
	// values i/10 twice; 38 of them; rank ⌈39·0.975⌉ = 39 > 38: too few.
	if ok {
		t.Errorf("95 %% from 19 windows of 2 steps: %+v; want none (38 pooled errors are too few)", b)
	}
	errs = append(errs, []float64{20, 40})
	b, ok = bandOf(errs, 2, 0.95)
	if !ok || math.Abs(b.hi[0]-20) > 1e-12 || math.Abs(b.hi[1]-40) > 1e-12 || math.Abs(b.lo[0]-1) > 1e-12 {
		t.Errorf("95 %% pooled from 40 errors: %+v %v; want [1, 20] and [2, 40]", b, ok)
	}
	if _, ok := bandOf([][]float64{{1, 2, 3}, {4, 5, 6}}, 3, 0.95); ok {
		t.Error("2 windows of 3 steps calibrated a 95 % interval")
	}
}

// Bad configurations are refused with the reason.
func TestHybridConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  HybridConfig
		want string
	}{
		{HybridConfig{Weights: "fallback"}, `unknown weights "fallback"`},
		{HybridConfig{Candidates: []string{"ets", "theta"}}, "exactly one neural model"},
		{HybridConfig{Candidates: []string{"ets", "lstm"}}, "must come first"},
		{HybridConfig{Candidates: []string{"lstm", "gru"}}, "must come first"},
		{HybridConfig{Candidates: []string{"lstm", "ets", "ets"}}, "given twice"},
		{HybridConfig{Candidates: []string{"lstm", "auto"}}, "auto cannot be a member"},
		{HybridConfig{Candidates: []string{"lstm", "nope"}}, "unknown model"},
		{HybridConfig{Levels: []float64{1.5}}, "level 1.5"},
	} {
		_, err := NewHybrid(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want an error with %q", tc.cfg, err, tc.want)
		}
	}
}

// A collection too short for the network: ets and theta forecast alone,
// the network left out with the reason, and the model file round-trips.
func TestHybridWithoutNetwork(t *testing.T) {
	var series []*dataset.Series
	for _, s := range fctest.ManySines(4, 8) {
		series = append(series, s.Slice(0, 30))
	}
	hy := quickHybrid(t, HybridConfig{Candidates: []string{"lstm", "ets", "theta"}, Seed: 1, Params: map[string]string{"epochs": "2", "hidden": "4", "window": "24"}})
	if err := hy.FitGlobal(context.Background(), series); err != nil {
		t.Fatal(err)
	}
	ms := hy.Members()
	if hy.Network() != nil || ms[0].Weight != 0 || !strings.Contains(ms[0].Skipped, "needs at least") || ms[1].Weight != 0.5 || ms[2].Weight != 0.5 {
		t.Fatalf("members %+v; want the network left out for being too short, ets and theta at 0.5", ms)
	}
	fc, err := hy.PredictFrom(series[0], 6)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, 6)
	for _, name := range []string{"ets", "theta"} {
		m, _ := forecast.New(name, forecast.Options{Horizon: 6, Season: 12, Seed: 1})
		if err := m.Fit(context.Background(), series[0]); err != nil {
			t.Fatal(err)
		}
		f, _ := m.Predict(6)
		for k := range want {
			want[k] += f.Values[k] / 2
		}
	}
	for k := range want {
		if math.Abs(fc.Values[k]-want[k]) > 1e-9*math.Abs(want[k]) {
			t.Fatalf("step %d: %v; want the mean of ets and theta %v", k, fc.Values[k], want[k])
		}
	}
	back, _ := roundTrip(t, hy)
	if b, _ := back.PredictFrom(series[0], 6); !slices.Equal(b.Values, fc.Values) {
		t.Errorf("loaded model forecasts %v; want %v", b.Values, fc.Values)
	}
}

// A collection eslstm cannot take the log of (every series has a value at
// or below 0): ets and theta forecast it, the network named as left out.
func TestHybridNonPositive(t *testing.T) {
	var series []*dataset.Series
	for _, s := range fctest.ManySines(4, 2) {
		v := *s
		v.Values = make([]float64, s.Len())
		for i, x := range s.Values {
			v.Values[i] = x - s.Values[0]
		}
		series = append(series, &v)
	}
	hy := quickHybrid(t, HybridConfig{Seed: 1})
	if err := hy.FitGlobal(context.Background(), series); err != nil {
		t.Fatal(err)
	}
	if ms := hy.Members(); hy.Network() != nil || ms[0].Weight != 0 || !strings.Contains(ms[0].Skipped, "positive") {
		t.Fatalf("members %+v; want eslstm left out for non-positive values", ms)
	}
	if _, err := hy.PredictFrom(series[1], 6); err != nil {
		t.Fatal(err)
	}
}
