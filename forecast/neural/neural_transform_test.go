package neural

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// skewedSeries is sineSeries through exp: positive, right-skewed,
// multiplicative.
func skewedSeries(n int, seed uint64) *dataset.Series {
	s := fctest.SineSeries(n, seed)
	for i, v := range s.Values {
		s.Values[i] = math.Exp(v / 4) // 5 to 30
	}
	return s
}

func TestNeuralTransformResolves(t *testing.T) {
	ctx := context.Background()
	pos := skewedSeries(200, 3)
	withZero := skewedSeries(200, 3)
	withZero.Values[5] = 0
	symmetric := fctest.SineSeries(200, 3) // level 10, amplitude 2: positive, but its log is skewed left

	// auto: the log of a positive series, nothing with a zero in it.
	n := quickNeural(t, NeuralConfig{Window: 24, Horizon: 6, Epochs: 1, Normalize: NormNone})
	if err := n.Fit(ctx, pos); err != nil {
		t.Fatal(err)
	}
	_, nTrain, _ := splitWindows(pos.Len(), 24, 6, 0.1)
	lo := slices.Min(pos.Values[:nTrain-1+24+6])
	if n.Config().Transform != TransformLog || n.History().Transform != TransformLog || n.floor != lo/2 {
		t.Errorf("positive series: transform %q (history %q), floor %g; want log, log, %g",
			n.Config().Transform, n.History().Transform, n.floor, lo/2)
	}
	for name, s := range map[string]*dataset.Series{"series with a zero": withZero, "symmetric series": symmetric} {
		if err := n.Fit(ctx, s); err != nil {
			t.Fatal(err)
		}
		if n.Config().Transform != TransformNone || n.floor != 0 {
			t.Errorf("%s: transform %q, floor %g; want none, 0", name, n.Config().Transform, n.floor)
		}
	}

	// Asked for, the log needs positive training values.
	n = quickNeural(t, NeuralConfig{Window: 24, Horizon: 6, Epochs: 1, Normalize: NormNone, Transform: TransformLog})
	err := n.Fit(ctx, withZero)
	if !errors.Is(err, forecast.ErrBadData) || !strings.Contains(err.Error(), `transform "log" needs positive values; training value 5 is 0`) {
		t.Errorf("log of a series with a zero: %v; want ErrBadData naming value 5", err)
	}

	// The relative normalisations ignore it.
	n = quickNeural(t, NeuralConfig{Window: 24, Horizon: 6, Epochs: 1, Normalize: NormLast, Transform: TransformLog})
	if err := n.Fit(ctx, withZero); err != nil || n.Config().Transform != TransformNone || n.History().Transform != "" {
		t.Errorf("last with log: %v, transform %q, history %q; want nil, none, empty", err, n.Config().Transform, n.History().Transform)
	}

	// auto: only the globally scaled candidate takes the log.
	n = quickNeural(t, NeuralConfig{Window: 24, Horizon: 6, Season: 24, Epochs: 1})
	if err := n.Fit(ctx, pos); err != nil {
		t.Fatal(err)
	}
	if len(n.parts) != 2 || n.parts[0].cfg.Transform != TransformNone || n.parts[1].cfg.Transform != TransformLog || n.History().Transform != TransformLog {
		t.Fatalf("auto: %d parts, history transform %q; want the globally scaled part alone in logs", len(n.parts), n.History().Transform)
	}
	// The parts keep their own scalers and transforms through a model file.
	loaded, _, _ := checkRoundTrip(t, filepath.Join(t.TempDir(), "auto.tsf"), n, 12)
	if lp := loaded.(*Neural).parts; lp[1].cfg.Transform != TransformLog || lp[1].floor != n.parts[1].floor ||
		!slices.Equal(lp[1].scaler.Center, n.parts[1].scaler.Center) || lp[0].cfg.Transform != TransformNone {
		t.Errorf("loaded parts: transforms %q, %q, floor %g; want none, log, %g", lp[0].cfg.Transform, lp[1].cfg.Transform, lp[1].floor, n.parts[1].floor)
	}

	if _, err := NewNeural(NeuralConfig{Transform: "sqrt"}); err == nil || err.Error() != `neural: unknown transform "sqrt" (want auto, log or none)` {
		t.Errorf("bad transform: %v", err)
	}
	if c, err := NeuralFromOptions("lstm", forecast.Options{Params: map[string]string{"transform": "none", "window": "30"}}); err != nil || c.Transform != TransformNone || c.Window != 30 {
		t.Errorf("transform=none,window=30: %q %d, %v", c.Transform, c.Window, err)
	}
}

// TestNeuralLogTransformOriginalScale checks that a log model's validation
// forecasts, errors and forecasts are on the original scale: the
// validation MAE recomputed from the series equals the model's, and the
// model file and a history with values at or below zero forecast the same
// way as the fitted model.
func TestNeuralLogTransformOriginalScale(t *testing.T) {
	s := skewedSeries(300, 4)
	const W, H = 24, 6
	n := quickNeural(t, NeuralConfig{Window: W, Horizon: H, Epochs: 3, Normalize: NormNone, Transform: TransformLog})
	if err := n.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	nWin, _, nVal := splitWindows(s.Len(), W, H, 0.1)
	truth := valTruth(s.Values, W, H, nWin, nVal)
	if len(n.valPred) != len(truth) {
		t.Fatalf("%d validation forecasts; want %d", len(n.valPred), len(truth))
	}
	var mae float64
	for i, y := range truth {
		mae += math.Abs(n.valPred[i] - y)
	}
	mae /= float64(len(truth))
	if math.Abs(mae-n.History().ValMAE) > 1e-9*mae {
		t.Errorf("validation MAE %g; recomputed on the original scale %g", n.History().ValMAE, mae)
	}
	// A model forecasting the log's scale would be off by a factor of ~5.
	if mean := mae / (slices.Max(truth) - slices.Min(truth)); mean > 0.5 {
		t.Errorf("validation MAE %g is %.2f of the targets' range: not on the original scale", mae, mean)
	}

	loaded, want, _ := checkRoundTrip(t, filepath.Join(t.TempDir(), "log.tsf"), n, 2*H)
	if ln := loaded.(*Neural); ln.Config().Transform != TransformLog || ln.floor != n.floor {
		t.Errorf("loaded transform %q floor %g; want log %g", ln.Config().Transform, ln.floor, n.floor)
	}
	for _, v := range want.Values {
		if !(v > 0) {
			t.Errorf("forecast %v has a value that is not positive", want.Values)
			break
		}
	}

	// Values at or below zero in a later history are floored, not NaN.
	h := *s
	h.Values = slices.Clone(s.Values)
	h.Values[len(h.Values)-1], h.Values[len(h.Values)-2] = 0, -3
	f, err := n.PredictFrom(&h, H)
	if err != nil {
		t.Fatalf("PredictFrom with values at or below zero: %v", err)
	}
	for _, v := range f.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("PredictFrom with values at or below zero: %v", f.Values)
		}
	}
}

// TestNeuralWidthsFewResiduals: with fewer validation windows than a level
// needs (10 < 19 at 95 %), the width pools the steps' normalised residuals
// instead of being infinite; with enough, each step uses its own.
func TestNeuralWidthsFewResiduals(t *testing.T) {
	n := &Neural{cfg: NeuralConfig{Levels: []float64{0.8, 0.95}}}
	res := make([][]float64, 3)
	for h := range res {
		for i := range 10 {
			res[h] = append(res[h], float64(h+1)*float64(i+1)) // step h: (h+1)·1..10, mean 5.5(h+1)
		}
	}
	n.setWidths(res)
	for h := range 3 {
		// 80 %: own residuals, the ceil(11·0.8) = 9th smallest.
		if want := float64(h+1) * 9; n.widths[0][h] != want {
			t.Errorf("80 %% width of step %d = %g; want %g", h, n.widths[0][h], want)
		}
		// 95 %: 30 pooled scores i/5.5, the ceil(31·0.95) = 30th smallest is 10/5.5.
		if want := 5.5 * float64(h+1) * (10 / 5.5); math.Abs(n.widths[1][h]-want) > 1e-12 {
			t.Errorf("95 %% width of step %d = %g; want %g (pooled)", h, n.widths[1][h], want)
		}
	}
	// Too few even pooled: infinite, as split conformal says.
	n.setWidths([][]float64{{1, 2, 3}})
	if !math.IsInf(n.widths[1][0], 1) {
		t.Errorf("95 %% width from 3 residuals = %g; want +Inf", n.widths[1][0])
	}

	// A monthly series of 150 points has 10 validation windows: both
	// intervals are finite and nested.
	s := skewedSeries(150, 2)
	m := quickNeural(t, NeuralConfig{Window: 24, Horizon: 12, Season: 12, Epochs: 2})
	if err := m.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	f, err := m.Predict(12)
	if err != nil {
		t.Fatal(err)
	}
	for k := range 12 {
		lo80, hi80 := f.Intervals[0].Lo[k], f.Intervals[0].Hi[k]
		lo95, hi95 := f.Intervals[1].Lo[k], f.Intervals[1].Hi[k]
		if math.IsInf(lo95, 0) || math.IsInf(hi95, 0) || lo95 > lo80 || hi95 < hi80 {
			t.Fatalf("step %d: 80 %% [%g, %g], 95 %% [%g, %g]: want finite and nested", k, lo80, hi80, lo95, hi95)
		}
	}
}
