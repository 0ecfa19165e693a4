package plots

import (
	"math"
	"time"
)

// Deterministic fixtures for the golden images: no randomness, only sines.

// airline is a monthly series shaped like the classic airline passengers:
// trend, yearly season growing with the level, a little wiggle.
func airline(n int) ([]time.Time, []float64) {
	t := make([]time.Time, n)
	v := make([]float64, n)
	for i := range v {
		t[i] = time.Date(2014, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, i, 0)
		level := 120 + 2.4*float64(i)
		v[i] = level * (1 + 0.16*math.Sin(2*math.Pi*float64(i%12-3)/12) + 0.03*math.Sin(float64(i)*1.7))
	}
	return t, v
}

func forecastFixture() ForecastInput {
	t, v := airline(96)
	h := 12
	fc := make([]float64, h)
	ivs := []Interval{{Level: 0.8}, {Level: 0.95}}
	for i := range fc {
		lvl := 120 + 2.4*float64(84+i)
		fc[i] = lvl * (1 + 0.15*math.Sin(2*math.Pi*float64((84+i)%12-3)/12))
		sd := 6 * math.Sqrt(float64(i+1))
		ivs[0].Lower = append(ivs[0].Lower, fc[i]-1.28*sd)
		ivs[0].Upper = append(ivs[0].Upper, fc[i]+1.28*sd)
		ivs[1].Lower = append(ivs[1].Lower, fc[i]-1.96*sd)
		ivs[1].Upper = append(ivs[1].Upper, fc[i]+1.96*sd)
	}
	return ForecastInput{
		Model:       "lstm",
		Title:       "Monthly passengers: LSTM forecast, 12 months",
		Unit:        "passengers (thousands)",
		HistoryTime: t[:84],
		History:     v[:84],
		Time:        t[84:],
		Forecast:    fc,
		Actual:      v[84:],
		Intervals:   ivs,
	}
}

func forecastIndexFixture() ForecastInput {
	n, h := 200, 30
	hist := make([]float64, n)
	for i := range hist {
		hist[i] = math.Sin(float64(i)/5) + 0.3*math.Sin(float64(i)/1.3)
	}
	fc := make([]float64, h)
	lo, hi := make([]float64, h), make([]float64, h)
	for i := range fc {
		fc[i] = 0.9 * math.Sin(float64(n+i)/5)
		lo[i], hi[i] = fc[i]-0.2-0.02*float64(i), fc[i]+0.2+0.02*float64(i)
	}
	return ForecastInput{Model: "gru", Unit: "signal (a.u.)", History: hist, Forecast: fc,
		Intervals: []Interval{{Level: 0.9, Lower: lo, Upper: hi}}}
}

func comparisonFixture() ComparisonInput {
	t, v := airline(96)
	h := 12
	models := []struct {
		name       string
		mase       float64
		bias, damp float64
	}{{"naive", 1.62, 0, 0}, {"snaive", 0.94, 0, 1}, {"ets", 0.71, 4, 0.95}, {"lstm", 0.58, -3, 1.02}}
	var fcs []ModelForecast
	for _, m := range models {
		f := make([]float64, h)
		for i := range f {
			switch m.name {
			case "naive":
				f[i] = v[83]
			case "snaive":
				f[i] = v[72+i]
			default:
				lvl := 120 + 2.4*float64(84+i)
				f[i] = m.bias + lvl*(1+0.16*m.damp*math.Sin(2*math.Pi*float64((84+i)%12-3)/12))
			}
		}
		fcs = append(fcs, ModelForecast{Model: m.name, Values: f, MASE: m.mase})
	}
	return ComparisonInput{
		Title: "Monthly passengers: four models, 12-month horizon", Unit: "passengers (thousands)",
		HistoryTime: t[:84], History: v[:84], Context: 36, Time: t[84:], Actual: v[84:], Forecasts: fcs,
	}
}

func lossFixture() LossInput {
	var curves []LossCurve
	for _, m := range []struct {
		name        string
		start, rate float64
		floor       float64
	}{{"lstm", 1.0, 0.12, 0.012}, {"gru", 0.9, 0.14, 0.015}, {"rnn", 1.1, 0.05, 0.09}} {
		c := LossCurve{Model: m.name}
		for e := 0; e < 40; e++ {
			tr := m.floor + m.start*math.Exp(-m.rate*float64(e))
			c.Train = append(c.Train, tr*(1+0.04*math.Sin(float64(e))))
			c.Valid = append(c.Valid, 1.15*tr+0.002*float64(e))
		}
		curves = append(curves, c)
	}
	return LossInput{Loss: "MSE (scaled units²)", Curves: curves}
}

func longDepFixture() LongDepInput {
	lags := []float64{5, 10, 20, 50, 100, 200}
	var res []LagErrors
	for _, m := range []struct {
		name string
		half float64 // lag at which the model is halfway to the baseline
	}{{"rnn", 12}, {"gru", 90}, {"lstm", 140}} {
		r := LagErrors{Model: m.name, Lags: lags}
		for _, l := range lags {
			base := 1 / (1 + math.Exp(-(l-m.half)/(0.35*m.half)))
			var seeds []float64
			for s := 0; s < 3; s++ {
				seeds = append(seeds, math.Max(0.005, base*(0.95+0.05*float64(s))+0.01*float64(s)))
			}
			r.Errors = append(r.Errors, seeds)
		}
		res = append(res, r)
	}
	return LongDepInput{Title: "Copy task: test MSE vs lag (3 seeds)", Metric: "test MSE (scaled units²)",
		Results: res, Baseline: 1, LogX: true}
}

func gradientFixture() GradientInput {
	n := 120
	var curves []GradientCurve
	for _, m := range []struct {
		name        string
		decay, init float64
	}{{"rnn", 0.55, 0.7}, {"gru", 0.05, 0.3}, {"lstm", 0.02, 0.25}} {
		c := GradientCurve{Model: m.name}
		for k := 0; k < n; k++ {
			tr := 2 * math.Exp(-m.decay*float64(k))
			in := 0.5 * math.Exp(-m.init*float64(k))
			if tr < 1e-30 {
				tr = 0 // underflow, as float32 BPTT produces
			}
			if in < 1e-30 {
				in = 0
			}
			c.Trained = append(c.Trained, tr)
			c.Init = append(c.Init, in)
		}
		curves = append(curves, c)
	}
	return GradientInput{Curves: curves}
}

func backtestFoldFixture() BacktestInput {
	var ms []ModelErrors
	for j, name := range []string{"naive", "snaive", "ets", "lstm"} {
		e := make([]float64, 5)
		for i := range e {
			e[i] = 30 - 5*float64(j) + 6*math.Sin(float64(i)+float64(j))
		}
		ms = append(ms, ModelErrors{Model: name, Errors: e})
	}
	return BacktestInput{Metric: "MAE (passengers, thousands)", Models: ms}
}

func backtestHorizonFixture() BacktestInput {
	var ms []ModelErrors
	for j, name := range []string{"naive", "snaive", "ets", "lstm"} {
		e := make([]float64, 12)
		for i := range e {
			e[i] = (10 + 2*float64(j%2)) * math.Sqrt(float64(i+1)) / (1 + 0.3*float64(j))
		}
		ms = append(ms, ModelErrors{Model: name, Errors: e})
	}
	return BacktestInput{Metric: "MAE (passengers, thousands)", By: ByHorizon, Models: ms}
}
