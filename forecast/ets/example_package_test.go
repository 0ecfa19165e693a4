package ets_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/ets" // registers "ets"
)

// Importing the package registers "ets", so forecast.New builds it by name
// with its Params; the variant is chosen by AICc at Fit.
func Example() {
	m, err := forecast.New("ets", forecast.Options{Params: map[string]string{"trend": "damped"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := monthly(96)
	if err := m.Fit(context.Background(), s); err != nil {
		fmt.Println(err)
		return
	}
	fc, _ := m.Predict(3)
	fmt.Println(m.Name())
	for k, v := range fc.Values {
		fmt.Printf("%s  %.1f\n", fc.Time[k].Format("2006-01"), v)
	}
	// Output:
	// ets(A,Ad,A)
	// 2018-01  148.3
	// 2018-02  154.0
	// 2018-03  156.8
}
