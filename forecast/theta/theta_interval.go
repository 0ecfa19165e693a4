package theta

import (
	"math"

	"github.com/tsf-go/tsf/forecast"
)

// Theta's prediction intervals: those of the SES state-space model,
// widened where the in-sample k-step errors grow faster (see Theta).

// fitWiden sets th.widen from the in-sample multi-step errors of the
// method on the adjusted series x: where the mean squared k-step error
// from every origin exceeds the SES variance of step k, the variance is
// scaled up by their ratio (as ETS does).
func (th *Theta) fitWiden(x []float64, level0 float64) {
	n := len(x)
	K := min(max(24, 2*th.m), n/2)
	th.widen = nil
	if K < 1 || !(th.sigma2 > 0) {
		return
	}
	sq := make([]float64, K)
	cnt := make([]int, K)
	a := th.alpha
	level := level0
	for t := range n {
		carry := (1 - math.Pow(1-a, float64(t))) / a
		for k := 0; k < K && t+k < n; k++ {
			d := x[t+k] - (level + th.slope/2*(float64(k)+carry))
			sq[k] += d * d
			cnt[k]++
		}
		level += a * (x[t] - level)
	}
	th.widen = make([]float64, K)
	w := 1.0
	for k := range K {
		if cnt[k] >= 8 {
			w = math.Max(1, sq[k]/float64(cnt[k])/(th.sigma2*(1+float64(k)*a*a)))
		}
		th.widen[k] = w
	}
}

// widenAt returns the variance factor of step k (0-based).
func (th *Theta) widenAt(k int) float64 {
	if len(th.widen) == 0 {
		return 1
	}
	return th.widen[min(k, len(th.widen)-1)]
}

// IntervalLevels returns the nominal coverages of the forecasts' intervals.
func (th *Theta) IntervalLevels() []float64 { return forecast.IntervalLevels("Theta", th.cfg.Levels) }

var _ forecast.IntervalModel = (*Theta)(nil)
