package neural

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func quickNeural(t *testing.T, cfg NeuralConfig) *Neural {
	t.Helper()
	if cfg.Hidden == 0 {
		cfg.Hidden = 16
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = 15
	}
	if cfg.Ensemble == 0 {
		cfg.Ensemble = 1 // fast tests; ensembles are tested on their own
	}
	n, err := NewNeural(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNeuralLearnsSeasonality(t *testing.T) {
	s := fctest.SineSeries(600, 1)
	train, test := s.Slice(0, 576), s.Values[576:]
	for _, model := range []string{"lstm", "gru", "rnn", "mlp"} {
		t.Run(model, func(t *testing.T) {
			// NormLast: seasonal naive (NormSeason's reference) would fake
			// most of the cycle; auto would train twice.
			n := quickNeural(t, NeuralConfig{Model: model, Window: 48, Horizon: 24, Seed: 3, LR: 3e-3, Epochs: 25, Normalize: NormLast})
			if err := n.Fit(context.Background(), train); err != nil {
				t.Fatal(err)
			}
			f, err := n.Predict(24)
			if err != nil {
				t.Fatal(err)
			}
			mae := forecast.MAE(test, f.Values)
			mean := forecast.NewMean()
			_ = mean.Fit(context.Background(), train)
			mf, _ := mean.Predict(24)
			base := forecast.MAE(test, mf.Values)
			t.Logf("%s MAE %.3f, mean forecast MAE %.3f", model, mae, base)
			// Measured: every model reaches MAE 0.08–0.18 here, the mean
			// forecast about 1.3; half of the mean's error is a loose bar.
			if !(mae < base/2) {
				t.Errorf("%s MAE = %.3f; want < %.3f (half the mean forecast's)", model, mae, base/2)
			}
			if f.Strategy != Direct || f.Model != model {
				t.Errorf("forecast says model %q strategy %q; want %q %q", f.Model, f.Strategy, model, Direct)
			}
			if len(f.Intervals) != 2 {
				t.Fatalf("got %d intervals; want 2 (80 %% and 95 %%)", len(f.Intervals))
			}
			for k := range f.Values {
				lo80, hi80 := f.Intervals[0].Lo[k], f.Intervals[0].Hi[k]
				lo95, hi95 := f.Intervals[1].Lo[k], f.Intervals[1].Hi[k]
				if !(lo95 <= lo80 && lo80 <= f.Values[k] && f.Values[k] <= hi80 && hi80 <= hi95) {
					t.Fatalf("step %d: intervals not nested around the forecast: 95 [%g, %g] 80 [%g, %g] point %g", k, lo95, hi95, lo80, hi80, f.Values[k])
				}
			}
			if !f.Time[0].Equal(s.Time[576]) {
				t.Errorf("first forecast time %v; want %v", f.Time[0], s.Time[576])
			}
		})
	}
}

func TestNeuralRoundTripBitIdentical(t *testing.T) {
	s := fctest.SineSeries(300, 2)
	dir := t.TempDir()
	for _, model := range []string{"lstm", "gru", "rnn", "mlp", "gru-ensemble"} {
		t.Run(model, func(t *testing.T) {
			// Every normalisation, the level channel and an ensemble must
			// survive the file; lstm keeps the default (auto).
			cfg := NeuralConfig{Model: model, Window: 24, Horizon: 6, Epochs: 2, Seed: 1, Season: 24}
			switch model {
			case "gru":
				cfg.Normalize = NormSeason
			case "rnn":
				cfg.Normalize, cfg.NoLevel = NormLast, true
			case "mlp":
				cfg.Normalize = NormNone
			case "gru-ensemble":
				cfg.Model, cfg.Ensemble, cfg.Normalize = "gru", 3, NormMean
			}
			n := quickNeural(t, cfg)
			if err := n.Fit(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			// Past the trained horizon: chained blocks.
			loaded, want, got := checkRoundTrip(t, filepath.Join(dir, model+".tsf"), n, 15)
			if !slices.EqualFunc(got.Time, want.Time, time.Time.Equal) {
				t.Errorf("loaded forecast times %v; want %v", got.Time, want.Time)
			}
			// From new history without refitting: equal to Predict on the
			// training series itself.
			hp, err := forecast.PredictFrom(loaded, s, 15)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(hp.Values, want.Values) {
				t.Errorf("PredictFrom(training series) = %v; want Predict's %v", hp.Values, want.Values)
			}
		})
	}
}

func TestNeuralDeterministic(t *testing.T) {
	s := fctest.SineSeries(300, 4)
	var runs [2][]float64
	for i := range runs {
		n := quickNeural(t, NeuralConfig{Model: "lstm", Window: 24, Horizon: 4, Epochs: 3, Seed: 9})
		if err := n.Fit(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		f, _ := n.Predict(4)
		runs[i] = f.Values
	}
	if !slices.Equal(runs[0], runs[1]) {
		t.Errorf("same seed, same data: %v then %v", runs[0], runs[1])
	}
}

func TestNeuralRecursive(t *testing.T) {
	s := fctest.SineSeries(400, 5)
	n := quickNeural(t, NeuralConfig{Model: "gru", Window: 48, Horizon: 12, Strategy: Recursive, Seed: 2, LR: 3e-3, Epochs: 60, Normalize: NormLast})
	if err := n.Fit(context.Background(), s.Slice(0, 376)); err != nil {
		t.Fatal(err)
	}
	f, err := n.Predict(24)
	if err != nil {
		t.Fatal(err)
	}
	if f.Strategy != Recursive || f.Len() != 24 {
		t.Fatalf("got strategy %q with %d steps; want recursive with 24", f.Strategy, f.Len())
	}
	mean := forecast.NewMean()
	_ = mean.Fit(context.Background(), s.Slice(0, 376))
	mf, _ := mean.Predict(24)
	if mae, base := forecast.MAE(s.Values[376:], f.Values), forecast.MAE(s.Values[376:], mf.Values); !(mae < base/2) {
		t.Errorf("recursive GRU MAE = %.3f; want < %.3f", mae, base/2)
	}
	// Intervals widen past the calibrated (one) step.
	iv := f.Intervals[0]
	if !(iv.Hi[23]-iv.Lo[23] > iv.Hi[0]-iv.Lo[0]) {
		t.Errorf("interval at step 24 (%g wide) not wider than at step 1 (%g)", iv.Hi[23]-iv.Lo[23], iv.Hi[0]-iv.Lo[0])
	}
}

func TestNeuralCancelKeepsBestWeights(t *testing.T) {
	s := fctest.SineSeries(300, 6)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var epochs int
	n := quickNeural(t, NeuralConfig{Model: "lstm", Window: 24, Horizon: 4, Epochs: 50, Seed: 1,
		Progress: func(e forecast.EpochInfo) {
			epochs = e.Epoch
			if e.Epoch == 3 {
				cancel()
			}
		}})
	err := n.Fit(ctx, s)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fit after cancel = %v; want context.Canceled", err)
	}
	if epochs != 3 || n.History().Stopped != "cancelled" {
		t.Errorf("ran %d epochs, stopped %q; want 3, cancelled", epochs, n.History().Stopped)
	}
	f, err := n.Predict(4)
	if err != nil {
		t.Fatalf("a cancelled model must still forecast: %v", err)
	}
	for _, v := range f.Values {
		if math.IsNaN(v) {
			t.Fatal("NaN forecast")
		}
	}
}

func TestNeuralDivergenceIsAnError(t *testing.T) {
	s := fctest.SineSeries(300, 7)
	n := quickNeural(t, NeuralConfig{Model: "rnn", Window: 24, Horizon: 4, Epochs: 5, LR: 1e300, Clip: -1, Seed: 1, Scale: dataset.ScaleNone, Normalize: NormNone, Loss: "mse"})
	err := n.Fit(context.Background(), s)
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("Fit with lr 1e300 = %v; want ErrDiverged", err)
	}
	if !strings.Contains(err.Error(), "lower learning rate (LR, 1e+300)") || strings.Contains(err.Error(), "--") {
		t.Errorf("error %q does not suggest a lower learning rate by its field, or names a flag", err)
	}
	if _, err := n.MarshalModel(); err == nil {
		// A model that never finished a finite epoch must not be saved.
		if f, _ := n.Predict(1); f != nil && math.IsNaN(f.Values[0]) {
			t.Error("diverged model saved with NaN weights")
		}
	}
}

func TestNeuralErrors(t *testing.T) {
	short := fctest.SineSeries(50, 1)
	tests := []struct {
		name string
		cfg  NeuralConfig
		want string
	}{
		{"too short", NeuralConfig{Window: 48, Horizon: 12}, "train series has 50 points; window 48 + horizon 12 (and validation) needs at least 73"},
		{"bad model", NeuralConfig{Model: "transformer"}, `neural: unknown model "transformer" (want lstm, gru, rnn or mlp)`},
		{"bad strategy", NeuralConfig{Strategy: "both"}, `neural: unknown strategy "both" (want direct or recursive)`},
		{"bad loss", NeuralConfig{Loss: "mape"}, `neural: unknown loss "mape" (want mse, mae or huber)`},
		{"bad schedule", NeuralConfig{Schedule: "linear"}, `neural: unknown schedule "linear" (want plateau, cosine, step or none)`},
		{"bad normalisation", NeuralConfig{Normalize: "log"}, `neural: unknown normalisation "log" (want auto, last, mean, season or none)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := NewNeural(tc.cfg)
			if err == nil {
				err = n.Fit(context.Background(), short)
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("got error %v; want %q", err, tc.want)
			}
		})
	}
	n := quickNeural(t, NeuralConfig{})
	if _, err := n.Predict(3); !errors.Is(err, forecast.ErrNotFitted) {
		t.Errorf("Predict before Fit = %v; want ErrNotFitted", err)
	}
}

func TestNeuralCovariates(t *testing.T) {
	// The target is a covariate delayed by 3 steps: a model that uses the
	// covariate forecasts it; one that ignores it cannot.
	rng := rand.New(rand.NewPCG(3, 3))
	n := 800
	cov := make([]float64, n)
	y := make([]float64, n)
	for i := range cov {
		cov[i] = rng.NormFloat64()
		if i >= 3 {
			y[i] = cov[i-3]
		}
	}
	s := &dataset.Series{Name: "y", Values: y, Covariates: [][]float64{cov}, CovariateNames: []string{"x"}}
	var mae [2]float64
	for i, noCov := range []bool{false, true} {
		m := quickNeural(t, NeuralConfig{Model: "lstm", Window: 12, Horizon: 3, Epochs: 20, Seed: 1, NoCovariates: noCov, LR: 3e-3, Normalize: NormNone})
		if err := m.Fit(context.Background(), s.Slice(0, 797)); err != nil {
			t.Fatal(err)
		}
		f, err := m.Predict(3)
		if err != nil {
			t.Fatal(err)
		}
		mae[i] = forecast.MAE(y[797:], f.Values)
	}
	if !(mae[0] < mae[1]/3) {
		t.Errorf("MAE with covariate %.3f, without %.3f; want the covariate to cut it 3×", mae[0], mae[1])
	}
	m := quickNeural(t, NeuralConfig{Model: "lstm", Window: 12, Horizon: 3, Epochs: 1})
	_ = m.Fit(context.Background(), s)
	if _, err := m.Predict(4); !errors.Is(err, forecast.ErrHorizon) {
		t.Errorf("Predict past the horizon with covariates = %v; want ErrHorizon", err)
	}
}

func TestNeuralCorruptFile(t *testing.T) {
	s := fctest.SineSeries(200, 1)
	n := quickNeural(t, NeuralConfig{Model: "lstm", Window: 12, Horizon: 2, Epochs: 1})
	if err := n.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	m, err := n.MarshalModel()
	if err != nil {
		t.Fatal(err)
	}
	m.Tensors[0].Shape = []int{1, 1}
	m.Tensors[0].Data = []float64{0}
	var buf bytes.Buffer
	if err := forecast.WriteModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	back, err := forecast.ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var k Neural
	if err := k.UnmarshalModel(back); !errors.Is(err, forecast.ErrCorrupt) {
		t.Errorf("wrong tensor shape: %v; want ErrCorrupt", err)
	}
	g, _ := NewNeural(NeuralConfig{Model: "gru"})
	if err := g.UnmarshalModel(back); !errors.Is(err, forecast.ErrKind) {
		t.Errorf("lstm file into gru: %v; want ErrKind", err)
	}
}

// zeroHead sets every member's output layer to zero, so the network
// forecasts exactly what the normalisation took away.
func zeroHead(n *Neural) {
	for _, net := range n.nets {
		ps := net.Params()
		for _, p := range ps[len(ps)-2:] { // head weight and bias
			clear(p.W)
		}
	}
}

func TestNeuralNormalizationReference(t *testing.T) {
	// With a zero head each normalisation forecasts its own reference:
	// naive (last), seasonal naive (season), the window mean (mean), the
	// training mean (none). This pins down what the network corrects.
	s := fctest.SineSeries(300, 8)
	const W, H, m = 36, 30, 24
	tail := s.Values[s.Len()-W:]
	windowMean := 0.0
	for _, v := range tail {
		windowMean += v
	}
	windowMean /= W
	tests := []struct {
		norm string
		want func(k int) float64
	}{
		{NormLast, func(int) float64 { return tail[W-1] }},
		{NormSeason, func(k int) float64 { return tail[W-m+k%m] }},
		{NormMean, func(int) float64 { return windowMean }},
	}
	for _, tc := range tests {
		t.Run(tc.norm, func(t *testing.T) {
			n := quickNeural(t, NeuralConfig{Window: W, Horizon: H, Season: m, Normalize: tc.norm, Epochs: 1, Ensemble: 2})
			if err := n.Fit(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			zeroHead(n)
			f, err := n.Predict(H)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range f.Values {
				if want := tc.want(k); math.Abs(v-want) > 1e-9 {
					t.Fatalf("zero-head %s forecast step %d = %g; want %g", tc.norm, k+1, v, want)
				}
			}
		})
	}
	n := quickNeural(t, NeuralConfig{Window: 12, Horizon: 4, Season: 24, Normalize: NormSeason})
	err := n.Fit(context.Background(), s)
	if want := `lstm: normalisation "season" needs the window (12) to cover a season (24)`; err == nil || err.Error() != want {
		t.Errorf("season longer than window: %v; want %q", err, want)
	}
}

func TestNeuralEnsembleAveragesMembers(t *testing.T) {
	s := fctest.SineSeries(300, 9)
	fit := func(seed uint64, k int) *forecast.Forecast {
		n := quickNeural(t, NeuralConfig{Window: 24, Horizon: 6, Epochs: 3, Seed: seed, Ensemble: k, Combine: CombineBest})
		if err := n.Fit(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		if got := len(n.nets); got != k {
			t.Fatalf("Ensemble %d trained %d networks", k, got)
		}
		f, err := n.Predict(6)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	ens := fit(5, 3)
	var singles [3]*forecast.Forecast
	for i := range singles {
		singles[i] = fit(5+uint64(i), 1)
	}
	for k := range ens.Values {
		want := (singles[0].Values[k] + singles[1].Values[k] + singles[2].Values[k]) / 3
		if math.Abs(ens.Values[k]-want) > 1e-9 {
			t.Errorf("ensemble step %d = %g; want the members' mean %g", k+1, ens.Values[k], want)
		}
	}
	if singles[0].Values[0] == singles[1].Values[0] {
		t.Error("members with different seeds forecast the same: the seeds are not used")
	}
}

func TestNeuralAutoNormalization(t *testing.T) {
	// The relative candidate: a clean daily cycle makes seasonal naive win,
	// so season; a random walk makes naive win, so last; a window shorter
	// than the season cannot hold seasonal naive's reference, so last. Auto
	// trains it and none and, with CombineBest, keeps the lower validation
	// MAE; without validation it takes the relative candidate.
	rng := rand.New(rand.NewPCG(2, 2))
	walk := make([]float64, 300)
	for i := 1; i < len(walk); i++ {
		walk[i] = walk[i-1] + rng.NormFloat64()
	}
	tests := []struct {
		name   string
		s      *dataset.Series
		window int
		val    float64
		rel    string
	}{
		{"seasonal", fctest.SineSeries(300, 3), 48, 0, NormSeason},
		{"random walk", &dataset.Series{Name: "walk", Values: walk}, 48, 0, NormLast},
		{"short window", fctest.SineSeries(300, 3), 12, 0, NormLast},
		{"no validation", fctest.SineSeries(300, 3), 48, -1, NormSeason},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := quickNeural(t, NeuralConfig{Window: tc.window, Horizon: 6, Season: 24, Epochs: 2, Val: tc.val, Combine: CombineBest})
			if err := n.Fit(context.Background(), tc.s); err != nil {
				t.Fatal(err)
			}
			got, cands := n.Config().Normalize, n.History().Candidates
			if tc.val < 0 {
				if got != tc.rel || cands != nil {
					t.Errorf("without validation auto chose %q (candidates %v); want %q alone", got, cands, tc.rel)
				}
				return
			}
			rel, okRel := cands[tc.rel]
			none, okNone := cands[NormNone]
			if len(cands) != 2 || !okRel || !okNone {
				t.Fatalf("auto candidates %v; want %s and none", cands, tc.rel)
			}
			want := tc.rel
			if none < rel {
				want = NormNone
			}
			if got != want || n.History().ValMAE != cands[want] {
				t.Errorf("auto kept %q (validation MAE %g) of %v; want %q", got, n.History().ValMAE, cands, want)
			}
		})
	}
}

// checkRoundTrip saves n to path, loads it back and checks that the loaded
// forecaster predicts h steps bit-identically, intervals included. It
// returns the loaded forecaster and both forecasts for further checks.
func checkRoundTrip(t *testing.T, path string, n *Neural, h int) (loaded forecast.Forecaster, want, got *forecast.Forecast) {
	t.Helper()
	want, err := n.Predict(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := forecast.Save(path, n); err != nil {
		t.Fatal(err)
	}
	if loaded, err = forecast.Load(path); err != nil {
		t.Fatal(err)
	}
	if got, err = loaded.Predict(h); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Values, want.Values) {
		t.Errorf("loaded model forecasts %v; want bit-identical %v", got.Values, want.Values)
	}
	if len(got.Intervals) != len(want.Intervals) {
		t.Fatalf("loaded model has %d intervals; want %d", len(got.Intervals), len(want.Intervals))
	}
	for i := range want.Intervals {
		if !slices.Equal(got.Intervals[i].Lo, want.Intervals[i].Lo) || !slices.Equal(got.Intervals[i].Hi, want.Intervals[i].Hi) {
			t.Errorf("loaded interval %g differs", want.Intervals[i].Level)
		}
	}
	return loaded, want, got
}
