package forecast_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/forecast"
)

// The Theta method forecasts a seasonal series with its own prediction
// intervals, from the simple-exponential-smoothing model it rests on.
func ExampleTheta() {
	s := monthly(96) // trend + yearly season + noise
	th := forecast.NewTheta(forecast.ThetaConfig{})
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
