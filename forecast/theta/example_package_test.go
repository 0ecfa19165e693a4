package theta_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/theta" // registers "theta" and "naive2"
)

// Importing the package registers "theta" and "naive2"; both adjust a
// seasonal series by classical decomposition before forecasting it.
func Example() {
	s := monthly(96)
	for _, name := range []string{"theta", "naive2"} {
		m, err := forecast.New(name, forecast.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := m.Fit(context.Background(), s); err != nil {
			fmt.Println(err)
			return
		}
		fc, _ := m.Predict(3)
		fmt.Printf("%-6s %.1f %.1f %.1f\n", m.Name(), fc.Values[0], fc.Values[1], fc.Values[2])
	}
	// Output:
	// theta  148.6 155.2 158.1
	// naive2 148.3 154.6 157.3
}
