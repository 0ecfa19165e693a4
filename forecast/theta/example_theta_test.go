package theta_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/theta"
)

// The Theta method forecasts a seasonal series with its own prediction
// intervals, from the simple-exponential-smoothing model it rests on.
func ExampleTheta() {
	s := monthly(96) // trend + yearly season + noise
	th := theta.NewTheta(theta.ThetaConfig{})
	if err := th.Fit(context.Background(), s); err != nil {
		fmt.Println(err)
		return
	}
	seasonal, m := th.Seasonal()
	fmt.Printf("seasonal: %v (period %d), alpha %.3f, drift %.3f per step\n", seasonal, m, th.Alpha(), th.Drift())
	fc, _ := th.Predict(3)
	i95, _ := fc.Interval(0.95)
	for k, v := range fc.Values {
		fmt.Printf("%s  %.1f  [%.1f, %.1f]\n", fc.Time[k].Format("2006-01"), v, i95.Lo[k], i95.Hi[k])
	}
	// Output:
	// seasonal: true (period 12), alpha 0.955, drift 0.251 per step
	// 2018-01  148.6  [145.8, 151.3]
	// 2018-02  155.2  [151.2, 159.2]
	// 2018-03  158.1  [153.2, 163.1]
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
