package forecast

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func TestBaselines(t *testing.T) {
	s := &dataset.Series{Name: "x", Values: []float64{1, 2, 3, 4, 5, 9}}
	tests := []struct {
		f    Forecaster
		want []float64
	}{
		{NewNaive(), []float64{9, 9, 9}},
		{NewSeasonalNaive(4), []float64{3, 4, 5, 9, 3}},
		{NewDrift(), []float64{9 + 8.0/5, 9 + 16.0/5}},
		{NewMean(), []float64{4, 4}},
		{NewMovingAverage(3), []float64{6, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.f.Name(), func(t *testing.T) {
			if err := tt.f.Fit(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			fc, err := tt.f.Predict(len(tt.want))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fc.Values, tt.want) {
				t.Errorf("%s.Predict(%d) = %v; want %v", tt.f.Name(), len(tt.want), fc.Values, tt.want)
			}
			if !reflect.DeepEqual(fc.Index, s.FutureIndex(len(tt.want))) {
				t.Errorf("%s index = %v; want %v", tt.f.Name(), fc.Index, s.FutureIndex(len(tt.want)))
			}
		})
	}
}

func TestForecastTimestamps(t *testing.T) {
	s := fctest.Synth(30, 12, 1)
	f := NewNaive()
	if err := f.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	fc, _ := f.Predict(3)
	want := s.Future(3)
	if !reflect.DeepEqual(fc.Time, want) {
		t.Errorf("Predict(3).Time = %v; want %v", fc.Time, want)
	}
}

func TestGoldenErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
		is   error
		want string
	}{
		{"snaive", func() error { return NewSeasonalNaive(12).Fit(ctx, fctest.IndexSeries(5)) }, ErrTooShort,
			"snaive: train series has 5 points; season 12 needs at least 12"},
		{"backtest", func() error {
			_, err := Backtest(ctx, fctest.IndexSeries(40), func() Forecaster { return NewNaive() }, BacktestConfig{Horizon: 12, Folds: 3, MinTrain: 10})
			return err
		}, ErrTooShort, "series has 40 points; 10 training points + 3 folds of horizon 12 with step 12 needs at least 46"},
		{"nan", func() error {
			return NewNaive().Fit(ctx, &dataset.Series{Name: "y", Values: []float64{1, math.NaN()}})
		}, ErrBadData, `naive: bad data: series "y" has NaN at point 1`},
		{"horizon", func() error {
			f := NewNaive()
			_ = f.Fit(ctx, fctest.IndexSeries(3))
			_, err := f.Predict(0)
			return err
		}, ErrHorizon, "naive: invalid horizon: horizon 0; want at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v; want %q", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

// spy records what Fit and PredictFrom were given.
type spy struct {
	mu   *sync.Mutex
	seen *[][2]int // [first, last) index values seen per call, via the values
	last float64
}

func (s *spy) Name() string { return "spy" }
func (s *spy) Fit(_ context.Context, x *dataset.Series) error {
	s.record(x)
	return nil
}
func (s *spy) record(x *dataset.Series) {
	s.mu.Lock()
	*s.seen = append(*s.seen, [2]int{int(x.Values[0]), int(x.Values[x.Len()-1]) + 1})
	s.mu.Unlock()
	s.last = x.Values[x.Len()-1]
}
func (s *spy) Predict(h int) (*Forecast, error) {
	v := make([]float64, h)
	for i := range v {
		v[i] = s.last
	}
	return &Forecast{Values: v, Index: make([]int, h)}, nil
}
func (s *spy) PredictFrom(x *dataset.Series, h int) (*Forecast, error) {
	s.record(x)
	return s.Predict(h)
}

func TestUnknownModel(t *testing.T) {
	_, err := New("prophet", Options{})
	// Other files register more models, so only the baselines are checked.
	const want = `unknown model "prophet" (known: `
	if !errors.Is(err, ErrUnknownModel) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("New(prophet) = %v; want %q followed by the registered names", err, want)
	}
	for _, name := range []string{"conformal, ", "drift, ", "ma, ", "mean, ", "naive, ", "snaive"} {
		if err != nil && !strings.Contains(err.Error(), " "+name) {
			t.Errorf("New(prophet) = %v; want it to list %q", err, name)
		}
	}
	for _, name := range []string{"naive", "snaive", "drift", "mean", "ma"} {
		if _, err := New(name, Options{}); err != nil {
			t.Errorf("New(%q) = %v", name, err)
		}
	}
}

func TestBacktestFoldBoundaries(t *testing.T) {
	tests := []struct {
		name   string
		cfg    BacktestConfig
		n      int
		trains [][2]int // training range per fold
	}{
		{"last 3H expanding", BacktestConfig{Horizon: 12, Folds: 3}, 100, [][2]int{{0, 64}, {0, 76}, {0, 88}}},
		{"capped", BacktestConfig{Horizon: 12, Folds: 3, MaxTrain: 70}, 100, [][2]int{{0, 64}, {6, 76}, {18, 88}}},
		{"step 1", BacktestConfig{Horizon: 4, Folds: 3, Step: 1}, 20, [][2]int{{0, 14}, {0, 15}, {0, 16}}},
		{"refit every 2", BacktestConfig{Horizon: 5, Folds: 3, RefitEvery: 2}, 30, [][2]int{{0, 15}, {0, 20}, {0, 25}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen [][2]int
			s := fctest.IndexSeries(tt.n)
			res, err := Backtest(context.Background(), s, func() Forecaster { return &spy{mu: &mu, seen: &seen} }, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Folds) != len(tt.trains) {
				t.Fatalf("%d folds; want %d", len(res.Folds), len(tt.trains))
			}
			got := map[[2]int]bool{}
			for _, r := range seen {
				got[r] = true
			}
			for k, f := range res.Folds {
				if [2]int{f.TrainStart, f.Origin} != tt.trains[k] {
					t.Errorf("fold %d trains on [%d, %d); want %v", k, f.TrainStart, f.Origin, tt.trains[k])
				}
				if !got[tt.trains[k]] {
					t.Errorf("fold %d: the model never saw exactly %v (saw %v)", k, tt.trains[k], seen)
				}
				// The spy forecasts its last seen value: origin-1, so
				// no value at or after the origin reached it.
				if f.Forecast.Values[0] != float64(f.Origin-1) {
					t.Errorf("fold %d forecast from %v; want from the point before origin %d", k, f.Forecast.Values[0], f.Origin)
				}
				if f.Forecast.Index[0] != f.Origin {
					t.Errorf("fold %d forecast index starts at %d; want the origin %d", k, f.Forecast.Index[0], f.Origin)
				}
				if f.Actual[0] != float64(f.Origin) || len(f.Actual) != tt.cfg.Horizon {
					t.Errorf("fold %d actual starts at %v (len %d); want %d (len %d)", k, f.Actual[0], len(f.Actual), f.Origin, tt.cfg.Horizon)
				}
			}
			for _, r := range seen {
				if r[1] > res.Folds[len(res.Folds)-1].Origin {
					t.Errorf("a model saw points up to %d, beyond the last origin", r[1])
				}
			}
		})
	}
}

func TestBacktestCancellationReturnsPartialResults(t *testing.T) {
	s := fctest.IndexSeries(100)
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	calls := 0
	res, err := Backtest(ctx, s, func() Forecaster {
		return &cancelAfter{Naive: NewNaive(), mu: &mu, calls: &calls, after: 2, cancel: cancel}
	}, BacktestConfig{Horizon: 5, Folds: 10, Workers: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if res == nil || len(res.Folds) != 2 {
		t.Fatalf("got %v folds; want the 2 finished before cancellation", res)
	}
	if res.Folds[0].Index != 0 || res.Folds[1].Index != 1 {
		t.Errorf("partial folds %d, %d; want 0, 1", res.Folds[0].Index, res.Folds[1].Index)
	}
}

// cancelAfter cancels the backtest's context in its (after+1)-th Fit.
type cancelAfter struct {
	*Naive
	mu     *sync.Mutex
	calls  *int
	after  int
	cancel context.CancelFunc
}

func (c *cancelAfter) Fit(ctx context.Context, s *dataset.Series) error {
	c.mu.Lock()
	*c.calls++
	n := *c.calls
	c.mu.Unlock()
	if n > c.after {
		c.cancel()
		return ctx.Err()
	}
	return c.Naive.Fit(ctx, s)
}

func TestBacktestPerStep(t *testing.T) {
	// Naive on 0..n-1: the error at step k is k+1 in every fold.
	res, err := Backtest(context.Background(), fctest.IndexSeries(50), func() Forecaster { return NewNaive() }, BacktestConfig{Horizon: 3, Folds: 4})
	if err != nil {
		t.Fatal(err)
	}
	for k, sc := range res.PerStep {
		if sc.MAE != float64(k+1) || sc.MASE != float64(k+1) {
			t.Errorf("PerStep[%d] MAE %g MASE %g; want %d, %d", k, sc.MAE, sc.MASE, k+1, k+1)
		}
	}
	if res.Mean.MAE != 2 {
		t.Errorf("Mean.MAE = %g; want 2", res.Mean.MAE)
	}
}
