package forecast_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/forecast"
)

// ETS chooses its variant by AICc and forecasts with prediction intervals
// of its own, from the fitted model: no refits. On this series (a fixed
// trend and season plus noise) the smoothing parameters go to their lower
// bounds: nothing in it changes over time.
func ExampleETS() {
	s := monthly(96) // trend + yearly season + noise
	e := forecast.NewETS(forecast.ETSConfig{})
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
