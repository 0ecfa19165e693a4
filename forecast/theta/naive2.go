package theta

import (
	"context"
	"fmt"
	"slices"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/stat"
)

// Naive2 is the NAIVE2 benchmark of the M competitions: the naive forecast
// of the seasonally adjusted series, reseasonalised, as the M4 benchmarks
// define it. When the season m is above 1, the series has at least 3m
// points, every value is positive and the autocorrelation at lag m passes
// the 90 % seasonality test that Theta uses, the seasonal indices are those
// of a classical multiplicative decomposition (R's decompose); otherwise
// Naive2 is the plain naive forecast. It gives no intervals.
//
// On the M3 yearly and other series it reproduces the competition's NAIVE2
// forecasts exactly; on quarterly and monthly series the competition's own
// seasonal adjustment made other choices on some series (see forecast/m3).
type Naive2 struct {
	given  int // the season as given (0 = the series' frequency's)
	m      int
	seas   []float64 // multiplicative indices by position t mod m; nil if none
	last   float64   // the last value, seasonally adjusted
	at     forecast.Anchor
	fitted bool
}

var _ forecast.HistoryPredictor = (*Naive2)(nil)

// NewNaive2 returns a NAIVE2 forecaster with season m (0 means the
// series' frequency's).
func NewNaive2(m int) *Naive2 { return &Naive2{given: m} }

// Name returns "naive2".
func (n *Naive2) Name() string { return "naive2" }

// Seasonal reports whether the fitted series was seasonally adjusted, and
// the season.
func (n *Naive2) Seasonal() (bool, int) { return n.seas != nil, n.m }

// Fit seasonally adjusts s if it tests seasonal and keeps its last value.
func (n *Naive2) Fit(ctx context.Context, s *dataset.Series) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n.fitted = false
	if err := forecast.CheckSeries(s); err != nil {
		return fmt.Errorf("naive2: %w", err)
	}
	y := s.Values
	if len(y) < 1 {
		return fmt.Errorf("naive2: %w", &forecast.ShortError{What: "train series", Have: len(y), Need: 1, Why: "a naive forecast"})
	}
	n.m, n.seas = forecast.SeasonOf(n.given, s), nil
	n.last = y[len(y)-1]
	if n.m > 1 && len(y) >= 3*n.m && !slices.ContainsFunc(y, func(v float64) bool { return v <= 0 }) && stat.SeasonalACF(y, n.m) {
		n.seas = stat.ClassicalSeason(y, n.m, true)
		n.last /= n.seas[(len(y)-1)%n.m]
	}
	n.at = forecast.AnchorOf(s)
	n.fitted = true
	return nil
}

// Predict forecasts the h steps after the fitted series.
func (n *Naive2) Predict(h int) (*forecast.Forecast, error) {
	if !n.fitted {
		return nil, fmt.Errorf("naive2: %w", forecast.ErrNotFitted)
	}
	if err := forecast.CheckHorizon(h); err != nil {
		return nil, fmt.Errorf("naive2: %w", err)
	}
	v := make([]float64, h)
	for k := range v {
		v[k] = n.last
		if n.seas != nil {
			v[k] *= n.seas[(n.at.N+k)%n.m]
		}
	}
	return n.at.Forecast(n.Name(), "n/a", v), nil
}

// PredictFrom forecasts the h steps after history with the same settings,
// without changing the fitted state.
func (n *Naive2) PredictFrom(history *dataset.Series, h int) (*forecast.Forecast, error) {
	c := NewNaive2(n.given)
	if err := c.Fit(context.Background(), history); err != nil {
		return nil, err
	}
	return c.Predict(h)
}

func init() {
	forecast.Register("naive2", func(o forecast.Options) (forecast.Forecaster, error) {
		if o.Season < 0 {
			return nil, fmt.Errorf("naive2: season %d; want at least 0", o.Season)
		}
		return forecast.Checked(NewNaive2(o.Season), forecast.CheckParams("naive2", o.Params))
	})
}
