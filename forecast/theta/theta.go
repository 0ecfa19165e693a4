package theta

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/stat"
)

// ThetaConfig configures the Theta method. The zero value is the method as
// entered in the M3 competition.
type ThetaConfig struct {
	// Period is the seasonal period; 0 means the series' frequency season
	// (dataset.Freq.Season).
	Period int
	// Levels are the nominal coverages of the prediction intervals, each
	// in (0, 1); default 0.8 and 0.95.
	Levels []float64
}

// Theta is the classical Theta method of Assimakopoulos & Nikolopoulos
// (2000), the best method of the M3 competition, in the form of Hyndman &
// Billah (2003) and R's forecast::thetaf:
//
//  1. If the period m is above 1 and the series has more than 2m points,
//     seasonality is tested at 90 %: it is significant when the
//     autocorrelation at lag m satisfies |r_m| > 1.645·sqrt((1 + 2·Σ_{k<m}
//     r_k²)/n). A seasonal series is divided by the seasonal indices of a
//     classical multiplicative decomposition (additive, subtracted, if the
//     series has values ≤ 0).
//  2. Simple exponential smoothing is fitted to the adjusted series by
//     least squares (α in [1e-4, 0.9999], initial level optimal for each α).
//  3. The forecast is SES's flat forecast plus the drift of the theta line
//     2 extrapolation, half the slope b of the least-squares line through
//     the adjusted series: step k adds b/2·(k − 1 + (1 − (1 − α)^n)/α).
//  4. The forecast is reseasonalised with the last season's indices.
//
// Prediction intervals are those of the SES state-space model, as thetaf
// computes them, with two corrections for what that model leaves out: the
// variance of step k is w_k·σ²(1 + (k − 1)α²) + (k − 1 + (1 − (1 −
// α)^n)/α)²·Var(b)/4, where σ² is the SES residual variance with n − 2
// degrees of freedom, Var(b) the least-squares variance of the slope (the
// drift is an estimate), and w_k ≥ 1 the ratio of the method's in-sample
// mean squared k-step error to the SES variance where it exceeds 1 (the
// errors of a series grow faster than SES says). The interval is the
// forecast ± z·se; the standard error of a seasonal series is
// reseasonalised with its step's index too, so intervals widen in the high
// season and narrow in the low one, as the forecast does. On M3 monthly
// thetaf's intervals cover 75.0 % and 89.7 % of the test points at 80 %
// and 95 %; these cover 79.0 % and 92.0 %.
//
// A series whose magnitude is beyond 2^±256 is fitted divided by a power
// of two (see stat.UnitOf) and its forecast multiplied back, so its squared
// errors neither overflow nor underflow: the forecasts of c·y are c times
// those of y, intervals included.
type Theta struct {
	cfg    ThetaConfig
	levels []float64

	fitted bool
	at     forecast.Anchor
	m      int       // period in use
	seas   []float64 // seasonal index of position t mod m; nil without season
	mul    bool      // multiplicative season (else additive)
	alpha  float64   // SES smoothing parameter
	level  float64   // SES level after the last point (adjusted scale)
	slope  float64   // least-squares slope of the adjusted series
	slopeV float64   // its variance, from the least-squares fit
	widen  []float64 // interval widening per step (see ETS.fitWiden)
	sigma2 float64   // SES residual variance (adjusted scale)
	// unit is the power of two the series was divided by (stat.UnitOf): level,
	// slope, additive seasonal indices and the variances are in units of
	// it; 0 means 1.
	unit float64
}

var (
	_ forecast.HistoryPredictor = (*Theta)(nil)
	_ forecast.Persistent       = (*Theta)(nil)
)

// NewTheta returns an unfitted Theta model. It panics if a level is outside
// (0, 1) or the period is negative.
func NewTheta(cfg ThetaConfig) *Theta {
	if cfg.Period < 0 {
		panic(fmt.Sprintf("forecast: NewTheta with period %d", cfg.Period))
	}
	return &Theta{cfg: cfg, levels: forecast.IntervalLevels("NewTheta", cfg.Levels)}
}

// Name returns "theta".
func (th *Theta) Name() string { return "theta" }

// Seasonal reports whether the fitted series passed the seasonality test,
// and with which period.
func (th *Theta) Seasonal() (bool, int) { return th.seas != nil, th.m }

// Alpha returns the fitted SES smoothing parameter.
func (th *Theta) Alpha() float64 { return th.alpha }

// Drift returns the drift per step of the theta line extrapolation, half
// the least-squares slope of the (seasonally adjusted) series.
func (th *Theta) Drift() float64 { return th.slope / 2 * th.scale() }

// scale returns the unit the fitted state is in (1 if none was set).
func (th *Theta) scale() float64 {
	if th.unit == 0 {
		return 1
	}
	return th.unit
}

// Fit applies the method to s.
func (th *Theta) Fit(ctx context.Context, s *dataset.Series) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if th.levels == nil {
		th.levels = forecast.IntervalLevels("Theta", th.cfg.Levels)
	}
	th.fitted = false
	if err := forecast.CheckSeries(s); err != nil {
		return fmt.Errorf("theta: %w", err)
	}
	y := s.Values
	if len(y) < 3 {
		return fmt.Errorf("theta: %w", &forecast.ShortError{What: "train series", Have: len(y), Need: 3, Why: "the theta method (a trend line and a residual variance)"})
	}
	m := forecast.SeasonOf(th.cfg.Period, s)
	th.m, th.seas, th.mul = m, nil, true
	th.unit = stat.UnitOf(y)
	if th.unit != 1 {
		y = slices.Clone(y)
		for i := range y {
			y[i] /= th.unit
		}
	}
	x := y
	if m > 1 && len(y) > 2*m && stat.SeasonalACF(y, m) {
		th.mul = !slices.ContainsFunc(y, func(v float64) bool { return v <= 0 })
		seas := stat.ClassicalSeason(y, m, th.mul)
		if th.mul && slices.ContainsFunc(seas, func(v float64) bool { return math.Abs(v) < 1e-4 }) {
			seas = nil // thetaf: seasonal indices close to zero, non-seasonal Theta
		}
		if seas != nil {
			th.seas = seas
			x = stat.Deseasonalise(y, seas, th.mul)
		}
	}
	ses := fitSES(x)
	th.alpha, th.level = ses.alpha, ses.level
	th.sigma2 = ses.sse / float64(len(x)-2)
	th.slope, th.slopeV = lsSlope(x)
	th.fitWiden(x, ses.level0)
	th.at = forecast.AnchorOf(s)
	th.fitted = true
	return nil
}

// Predict forecasts the h steps after the fitted series, with intervals.
func (th *Theta) Predict(h int) (*forecast.Forecast, error) {
	if !th.fitted {
		return nil, fmt.Errorf("theta: %w", forecast.ErrNotFitted)
	}
	if err := forecast.CheckHorizon(h); err != nil {
		return nil, fmt.Errorf("theta: %w", err)
	}
	n := th.at.N
	a := th.alpha
	carry := (1 - math.Pow(1-a, float64(n))) / a
	values := make([]float64, h)
	se := make([]float64, h)
	for k := range values {
		values[k] = th.level + th.slope/2*(float64(k)+carry)
		// SES's variance, and the drift's: b/2 is an estimate.
		dk := (float64(k) + carry) / 2
		se[k] = math.Sqrt(th.sigma2*(1+float64(k)*a*a)*th.widenAt(k) + dk*dk*th.slopeV)
		if th.seas != nil {
			si := th.seas[(n+k)%th.m]
			if th.mul {
				values[k] *= si
				se[k] *= si
			} else {
				values[k] += si
			}
		}
	}
	fc := th.at.Forecast(th.Name(), "n/a", values)
	fc.Intervals = stat.NormalIntervals(values, se, th.levels)
	stat.Rescale(fc, th.scale())
	if err := fc.Settle(); err != nil {
		return nil, fmt.Errorf("theta: %w", err)
	}
	return fc, nil
}

// PredictFrom applies the method, with the same settings, to history and
// forecasts the h steps after it. Theta has no parameters beyond those it
// computes from the series in closed form or by a one-dimensional search,
// so, like the baselines, it refits; the fitted model is not changed.
func (th *Theta) PredictFrom(history *dataset.Series, h int) (*forecast.Forecast, error) {
	if !th.fitted {
		return nil, fmt.Errorf("theta: %w", forecast.ErrNotFitted)
	}
	c := &Theta{cfg: th.cfg, levels: th.levels}
	if c.cfg.Period == 0 {
		c.cfg.Period = th.m
	}
	if err := c.Fit(context.Background(), history); err != nil {
		return nil, err
	}
	return c.Predict(h)
}

// lsSlope returns the slope of the least-squares line through (t, y[t])
// and its variance s²/Σ(t−t̄)², s² the residual variance with n−2 degrees
// of freedom (0 for two points).
func lsSlope(y []float64) (slope, variance float64) {
	n := float64(len(y))
	tm := (n - 1) / 2
	ym := 0.0
	for _, v := range y {
		ym += v
	}
	ym /= n
	var sty, stt float64
	for t, v := range y {
		d := float64(t) - tm
		sty += d * (v - ym)
		stt += d * d
	}
	slope = sty / stt
	if len(y) > 2 {
		res := 0.0
		for t, v := range y {
			r := v - ym - slope*(float64(t)-tm)
			res += r * r
		}
		variance = res / (n - 2) / stt
	}
	return slope, variance
}

// sesFit is simple exponential smoothing fitted by least squares.
type sesFit struct {
	alpha, level0, level, sse float64
}

// fitSES fits SES to x: for each α the optimal initial level is the
// least-squares solution in closed form (the one-step errors are linear in
// it), and α is found by a grid over [1e-4, 0.9999] refined by golden
// section around the best grid point.
func fitSES(x []float64) sesFit {
	const lo, hi = 1e-4, 0.9999
	const grid = 24
	best := sesAt(x, lo)
	bi := 0
	for i := 1; i <= grid; i++ {
		f := sesAt(x, lo+(hi-lo)*float64(i)/grid)
		if f.sse < best.sse {
			best, bi = f, i
		}
	}
	a := lo + (hi-lo)*float64(max(bi-1, 0))/grid
	b := lo + (hi-lo)*float64(min(bi+1, grid))/grid
	const g = 0.6180339887498949
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := sesAt(x, c), sesAt(x, d)
	for range 40 {
		if fc.sse < fd.sse {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = sesAt(x, c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = sesAt(x, d)
		}
	}
	for _, f := range []sesFit{fc, fd} {
		if f.sse < best.sse {
			best = f
		}
	}
	return best
}

// sesAt returns SES on x with smoothing parameter alpha and the optimal
// initial level: with e⁰ the errors from level 0, the errors from level l0
// are e⁰_t − (1−α)^t·l0 (t from 0), so l0 = Σe⁰_t(1−α)^t / Σ(1−α)^{2t}.
func sesAt(x []float64, alpha float64) sesFit {
	var num, den float64
	level, d := 0.0, 1.0
	for _, v := range x {
		e := v - level
		num += e * d
		den += d * d
		level += alpha * e
		d *= 1 - alpha
	}
	l0 := num / den
	level = l0
	sse := 0.0
	for _, v := range x {
		e := v - level
		sse += e * e
		level += alpha * e
	}
	return sesFit{alpha: alpha, level0: l0, level: level, sse: sse}
}

func init() {
	forecast.Register("theta", func(o forecast.Options) (forecast.Forecaster, error) {
		if o.Season < 0 {
			return nil, fmt.Errorf("theta: season %d; want at least 0", o.Season)
		}
		return forecast.Checked(NewTheta(ThetaConfig{Period: o.Season}), forecast.CheckParams("theta", o.Params))
	})
}
