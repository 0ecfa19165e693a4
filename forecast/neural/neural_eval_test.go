package neural

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// TestNeuralEvalVariants is the experiment behind the LSTM defaults in
// docs/EVALUATION.md, skipped unless TSF_EVAL_DATA names the shared data
// directory. It runs the protocol of examples/evaluate (same series,
// horizons, folds and training caps) with the default LSTM, but fits every
// fold once, with NormAuto and TSF_EVAL_ENSEMBLE (default 3) networks per
// candidate, and scores from those networks, without refitting, what the
// other settings would have forecast: 1 network or all of them, each
// candidate alone, the best on validation (CombineBest) and the two
// combinations. Every variant is built by the code paths Fit uses (the
// ensemble's members are trained from seeds Seed, Seed+1, ... whatever
// their number), so a variant's scores are those of a fresh fit with that
// setting. With TSF_EVAL_NOLEVEL=1 it also fits the relative candidate
// without the level channel. TSF_EVAL_SERIES selects series like
// evaluate's -series, in the order given.
//
//	TSF_EVAL_DATA=$PWD/../shared/data go test ./forecast/neural -run TestNeuralEvalVariants -v -timeout 3h
func TestNeuralEvalVariants(t *testing.T) {
	dir := os.Getenv("TSF_EVAL_DATA")
	if dir == "" {
		t.Skip("TSF_EVAL_DATA not set")
	}
	K := 3
	if v := os.Getenv("TSF_EVAL_ENSEMBLE"); v != "" {
		var err error
		if K, err = strconv.Atoi(v); err != nil || K < 1 {
			t.Fatalf("TSF_EVAL_ENSEMBLE=%q", v)
		}
	}
	noLevel := os.Getenv("TSF_EVAL_NOLEVEL") == "1"
	specs := []struct {
		name, file, target string
		h, m, cap          int
	}{
		{"airline_passengers", "airline_passengers.csv", "passengers", 12, 12, 0},
		{"sunspots_monthly", "sunspots_monthly.csv", "sunspots", 12, 12, 0},
		{"daily_min_temperatures", "daily_min_temperatures.csv", "min_temp", 14, 7, 3000},
		{"ETTh1", "ETTh1.csv", "OT", 24, 24, 5000},
		{"beijing_pm25_hourly", "beijing_pm25_hourly.csv", "pm2.5", 24, 24, 5000},
	}
	// One network (seed 1, and with TSF_EVAL_SEEDS=1 seed 2, ..., K
	// alone: what a fit with that seed would do) and all K.
	type sel struct{ from, k int }
	sels := []sel{{0, 1}}
	if os.Getenv("TSF_EVAL_SEEDS") == "1" {
		for j := 1; j < K; j++ {
			sels = append(sels, sel{j, 1})
		}
	}
	if K > 1 {
		sels = append(sels, sel{0, K})
	}
	var variants []evalVariant
	for _, sl := range sels {
		for _, v := range []string{"rel", NormNone, CombineBest, CombineMean, CombineInverse, CombineInverse2, CombineBestOf} {
			variants = append(variants, evalVariant{from: sl.from, k: sl.k, how: v})
			if noLevel && v != NormNone {
				variants = append(variants, evalVariant{from: sl.from, k: sl.k, how: v, noLevel: true})
			}
		}
	}
	if f := os.Getenv("TSF_EVAL_SERIES"); f != "" {
		// In the order given.
		var chosen []int
		for _, part := range strings.Split(f, ",") {
			for i, sp := range specs {
				if strings.Contains(sp.name, part) && !slices.Contains(chosen, i) {
					chosen = append(chosen, i)
				}
			}
		}
		var sel = specs[:0:0]
		for _, i := range chosen {
			sel = append(sel, specs[i])
		}
		specs = sel
	}
	for _, sp := range specs {
		fr, err := dataset.ReadCSV(filepath.Join(dir, sp.file), dataset.Options{Targets: []string{sp.target},
			Missing: dataset.MissingInterpolate, Gaps: dataset.GapFill})
		if err != nil {
			t.Fatal(err)
		}
		s := fr.Series[0]
		cache := &evalCache{cfg: NeuralConfig{Model: "lstm", Horizon: sp.h, Season: sp.m, Seed: 1, Ensemble: K, Combine: CombineMean},
			noLevel: noLevel, fits: map[time.Time]*evalFit{}}
		start := time.Now()
		for _, v := range variants {
			v.cache = cache
			r, err := forecast.Backtest(context.Background(), s, func() forecast.Forecaster { v := v; return &v },
				forecast.BacktestConfig{Horizon: sp.h, Folds: 3, MaxTrain: sp.cap, Season: sp.m})
			if err != nil {
				t.Fatalf("%s %s: %v", sp.name, v, err)
			}
			fmt.Fprintf(os.Stderr, "%-24s %-26s MASE %.3f  sMAPE %6.2f  MAE %8.3f  (%.0fs)\n",
				sp.name, v, r.Mean.MASE, r.Mean.SMAPE, r.Mean.MAE, time.Since(start).Seconds())
		}
		for _, end := range slices.SortedFunc(maps.Keys(cache.fits), time.Time.Compare) {
			f := cache.fits[end]
			fmt.Fprintf(os.Stderr, "    fold (train to %s, fitted in %.0fs): validation MAE %v\n", end.Format(time.DateTime), f.elapsed.Seconds(), f.full.history.Candidates)
		}
	}
}

// evalVariant is one setting TestNeuralEvalVariants scores: k networks of
// each candidate from the one trained with seed Seed+from, and how the candidates are used (one alone:
// "rel" or NormNone, or a Combine); noLevel takes the relative candidate
// without the level channel.
type evalVariant struct {
	from, k int
	how     string
	noLevel bool
	cache   *evalCache
	model   *Neural
}

func (v evalVariant) String() string {
	s := fmt.Sprintf("k=%d %s", v.k, v.how)
	if v.k == 1 {
		s = fmt.Sprintf("seed %d %s", 1+v.from, v.how)
	}
	if v.noLevel {
		s += " level=false"
	}
	return s
}

// evalCache holds every fold's fit, by the end of its training series
// (capped training series all have the same length).
type evalCache struct {
	cfg     NeuralConfig
	noLevel bool
	mu      sync.Mutex
	fits    map[time.Time]*evalFit
}

type evalFit struct {
	once    sync.Once
	full    *Neural // NormAuto, CombineMean: parts relative, none
	flat    *Neural // the relative candidate without level channel (noLevel only)
	err     error
	elapsed time.Duration
}

func (v *evalVariant) Name() string { return "lstm" }

func (v *evalVariant) Predict(h int) (*forecast.Forecast, error) { return v.model.Predict(h) }

func (v *evalVariant) Fit(ctx context.Context, s *dataset.Series) error {
	c := v.cache
	c.mu.Lock()
	end := s.Time[s.Len()-1]
	f := c.fits[end]
	if f == nil {
		f = &evalFit{}
		c.fits[end] = f
	}
	c.mu.Unlock()
	f.once.Do(func() {
		start := time.Now()
		f.full, f.err = NewNeural(c.cfg)
		if f.err == nil {
			f.err = f.full.Fit(ctx, s)
		}
		if f.err == nil && len(f.full.parts) != 2 {
			f.err = fmt.Errorf("auto fitted %d parts", len(f.full.parts))
		}
		if f.err == nil && c.noLevel {
			fc := f.full.parts[0].cfg
			fc.NoLevel, fc.Progress = true, nil
			f.flat, f.err = NewNeural(fc)
			if f.err == nil {
				f.err = f.flat.Fit(ctx, s)
			}
		}
		f.elapsed = time.Since(start)
	})
	if f.err != nil {
		return f.err
	}
	rel, none := f.full.parts[0], f.full.parts[1]
	if v.noLevel {
		rel = f.flat
	}
	W, H := rel.cfg.Window, rel.out
	nWin, _, nVal := splitWindows(s.Len(), W, H, rel.cfg.Val)
	valIDs := make([]int, nVal)
	for i := range valIDs {
		valIDs[i] = nWin - nVal + i
	}
	sub := func(p *Neural) (*Neural, error) {
		q := *p
		q.nets = p.nets[v.from : v.from+v.k]
		q.valPred = nil
		wins, err := q.windows(q.transformed(s))
		if err != nil {
			return nil, err
		}
		q.calibrate(wins, valIDs, s.Values)
		return &q, nil
	}
	pr, err := sub(rel)
	if err != nil {
		return err
	}
	pn, err := sub(none)
	if err != nil {
		return err
	}
	parts := []*Neural{pr, pn}
	switch v.how {
	case "rel":
		v.model = parts[0]
	case NormNone:
		v.model = parts[1]
	default:
		cfg := f.full.cfg
		cfg.Combine = v.how
		v.model = autoResult(cfg, parts, valTruth(s.Values, W, H, nWin, nVal))
	}
	return nil
}
