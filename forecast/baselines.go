package forecast

import (
	"context"
	"fmt"
	"strconv"

	"github.com/tsf-go/tsf/dataset"
)

// baseline is the shared machinery of the closed-form baselines: each keeps
// the last few training values (tail) it needs and computes its forecast
// from them.
type baseline struct {
	kind   string
	fitted bool
	at     Anchor
	tail   []float64 // the values the forecast needs, owned
	first  float64   // first value (drift only)
	param  int       // season (snaive) or window (ma); 0 for the others
	given  int       // the Season or Window the user gave (0 = default)
	predFn func(b *baseline, h int) []float64
	needFn func(b *baseline) (int, string)
}

// Name returns the model's name, with its season or window once fitted:
// "naive", "snaive(12)", "drift", "mean", "ma(7)".
func (b *baseline) Name() string {
	switch b.kind {
	case "snaive":
		if b.fitted {
			return "snaive(" + strconv.Itoa(b.param) + ")"
		}
	case "ma":
		if b.fitted {
			return "ma(" + strconv.Itoa(b.param) + ")"
		}
	}
	return b.kind
}

func (b *baseline) fit(s *dataset.Series) error {
	b.fitted = false
	if err := CheckSeries(s); err != nil {
		return err
	}
	switch b.kind {
	case "snaive":
		b.param = SeasonOf(b.given, s)
	case "ma":
		b.param = b.given
		if b.param == 0 {
			b.param = max(s.Freq.Season(), 3)
		}
	}
	need, why := b.needFn(b)
	if s.Len() < need {
		return &ShortError{What: "train series", Have: s.Len(), Need: need, Why: why}
	}
	keep := max(b.param, 1)
	if b.kind == "mean" || b.kind == "drift" {
		keep = 1
	}
	b.tail = append([]float64(nil), s.Values[s.Len()-keep:]...)
	b.first = s.Values[0]
	if b.kind == "mean" {
		sum := 0.0
		for _, v := range s.Values {
			sum += v
		}
		b.tail[0] = sum / float64(s.Len())
	}
	b.at = AnchorOf(s)
	b.fitted = true
	return nil
}

// Fit keeps what the forecast needs of s: its last value, season or
// window, its first value (drift) or its mean. It fails with a *ShortError
// when s is too short for the season or window.
func (b *baseline) Fit(ctx context.Context, s *dataset.Series) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.fit(s); err != nil {
		return fmt.Errorf("%s: %w", b.kind, err)
	}
	return nil
}

// Predict forecasts h steps after the fitted series, without intervals
// (wrap the model in a Conformal for them).
func (b *baseline) Predict(h int) (*Forecast, error) {
	if !b.fitted {
		return nil, fmt.Errorf("%s: %w", b.kind, ErrNotFitted)
	}
	if err := CheckHorizon(h); err != nil {
		return nil, fmt.Errorf("%s: %w", b.kind, err)
	}
	return b.at.Forecast(b.Name(), "n/a", b.predFn(b, h)), nil
}

// PredictFrom forecasts the h steps after history with the same settings,
// without changing the fitted state.
func (b *baseline) PredictFrom(history *dataset.Series, h int) (*Forecast, error) {
	c := *b
	c.fitted = false
	if err := c.Fit(context.Background(), history); err != nil {
		return nil, err
	}
	return c.Predict(h)
}

// Naive forecasts the last observed value for every step.
type Naive struct{ baseline }

// SeasonalNaive forecasts the value one season earlier: step k repeats the
// observation at N-m+((k-1) mod m).
type SeasonalNaive struct{ baseline }

// Drift extrapolates the line through the first and last observations.
type Drift struct{ baseline }

// Mean forecasts the mean of the training series.
type Mean struct{ baseline }

// MovingAverage forecasts the mean of the last Window observations.
type MovingAverage struct{ baseline }

var (
	_ HistoryPredictor = (*Naive)(nil)
	_ HistoryPredictor = (*SeasonalNaive)(nil)
	_ HistoryPredictor = (*Drift)(nil)
	_ HistoryPredictor = (*Mean)(nil)
	_ HistoryPredictor = (*MovingAverage)(nil)
)

func needOne(*baseline) (int, string) { return 1, "a naive forecast" }

// NewNaive returns the naive (last value) forecaster.
func NewNaive() *Naive {
	return &Naive{baseline{kind: "naive", needFn: needOne, predFn: func(b *baseline, h int) []float64 {
		out := make([]float64, h)
		for k := range out {
			out[k] = b.tail[0]
		}
		return out
	}}}
}

// NewSeasonalNaive returns the seasonal naive forecaster with period m; m
// = 0 takes the period from the series' frequency (dataset.Freq.Season), so
// a series without season gets the naive forecast.
func NewSeasonalNaive(m int) *SeasonalNaive {
	if m < 0 {
		panic("forecast: NewSeasonalNaive with negative period")
	}
	return &SeasonalNaive{baseline{kind: "snaive", given: m,
		needFn: func(b *baseline) (int, string) {
			return b.param, "season " + strconv.Itoa(b.param)
		},
		predFn: func(b *baseline, h int) []float64 {
			out := make([]float64, h)
			for k := range out {
				out[k] = b.tail[k%b.param]
			}
			return out
		}}}
}

// NewDrift returns the drift forecaster: step k is y[N-1] + k·(y[N-1]-y[0])/(N-1).
func NewDrift() *Drift {
	return &Drift{baseline{kind: "drift",
		needFn: func(*baseline) (int, string) { return 2, "a drift line" },
		predFn: func(b *baseline, h int) []float64 {
			slope := (b.tail[0] - b.first) / float64(b.at.N-1)
			out := make([]float64, h)
			for k := range out {
				out[k] = b.tail[0] + float64(k+1)*slope
			}
			return out
		}}}
}

// NewMean returns the mean forecaster.
func NewMean() *Mean {
	return &Mean{baseline{kind: "mean", needFn: func(*baseline) (int, string) { return 1, "a mean" },
		predFn: func(b *baseline, h int) []float64 {
			out := make([]float64, h)
			for k := range out {
				out[k] = b.tail[0]
			}
			return out
		}}}
}

// NewMovingAverage returns the moving-average forecaster over the last
// window observations; window = 0 means the seasonal period of the series'
// frequency, or 3 when that is 1.
func NewMovingAverage(window int) *MovingAverage {
	if window < 0 {
		panic("forecast: NewMovingAverage with negative window")
	}
	return &MovingAverage{baseline{kind: "ma", given: window,
		needFn: func(b *baseline) (int, string) {
			return b.param, "window " + strconv.Itoa(b.param)
		},
		predFn: func(b *baseline, h int) []float64 {
			sum := 0.0
			for _, v := range b.tail {
				sum += v
			}
			out := make([]float64, h)
			for k := range out {
				out[k] = sum / float64(len(b.tail))
			}
			return out
		}}}
}

func init() {
	Register("naive", func(o Options) (Forecaster, error) {
		return Checked(NewNaive(), CheckParams("naive", o.Params))
	})
	Register("snaive", func(o Options) (Forecaster, error) {
		if o.Season < 0 {
			return nil, fmt.Errorf("snaive: season %d; want at least 0", o.Season)
		}
		return Checked(NewSeasonalNaive(o.Season), CheckParams("snaive", o.Params))
	})
	Register("drift", func(o Options) (Forecaster, error) {
		return Checked(NewDrift(), CheckParams("drift", o.Params))
	})
	Register("mean", func(o Options) (Forecaster, error) {
		return Checked(NewMean(), CheckParams("mean", o.Params))
	})
	Register("ma", func(o Options) (Forecaster, error) {
		if o.Window < 0 {
			return nil, fmt.Errorf("ma: window %d; want at least 0", o.Window)
		}
		return Checked(NewMovingAverage(o.Window), CheckParams("ma", o.Params))
	})
}
