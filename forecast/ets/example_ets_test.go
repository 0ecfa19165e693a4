package ets_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/ets"
)

// ETS chooses its variant by AICc and forecasts with prediction intervals
// of its own, from the fitted model: no refits. On this series (a fixed
// trend and season plus noise) the smoothing parameters go to their lower
// bounds: nothing in it changes over time.
func ExampleETS() {
	s := monthly(96) // trend + yearly season + noise
	e := ets.NewETS(ets.ETSConfig{})
	if err := e.Fit(context.Background(), s); err != nil {
		fmt.Println(err)
		return
	}
	p := e.Params()
	fmt.Printf("%s: alpha %.4f, beta %.4f, gamma %.4f\n", e.Name(), p.Alpha, p.Beta, p.Gamma)
	fc, _ := e.Predict(3)
	i80, _ := fc.Interval(0.8)
	i95, _ := fc.Interval(0.95)
	for k, v := range fc.Values {
		fmt.Printf("%s  %.1f  80%% [%.1f, %.1f]  95%% [%.1f, %.1f]\n", fc.Time[k].Format("2006-01"), v, i80.Lo[k], i80.Hi[k], i95.Lo[k], i95.Hi[k])
	}
	// Output:
	// ets(A,A,A): alpha 0.0001, beta 0.0001, gamma 0.0001
	// 2018-01  148.2  80% [146.9, 149.6]  95% [146.2, 150.3]
	// 2018-02  153.9  80% [152.6, 155.3]  95% [151.9, 156.0]
	// 2018-03  156.8  80% [155.5, 158.1]  95% [154.8, 158.8]
}

// monthly returns a seeded monthly series with trend, season and noise.
func monthly(n int) *dataset.Series {
	r := rand.New(rand.NewPCG(1, 1))
	s := &dataset.Series{Name: "sales", Freq: dataset.Freq{Kind: dataset.Monthly}, Layout: "2006-01"}
	t0 := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for t := range n {
		s.Time = append(s.Time, s.Freq.Add(t0, t))
		s.Values = append(s.Values, 100+0.5*float64(t)+10*math.Sin(2*math.Pi*float64(t)/12)+r.NormFloat64())
	}
	return s
}
