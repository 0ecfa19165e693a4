package combine_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast/combine"
)

// A combination builds its members by name, so their families must be
// imported (a program imports forecast/all); auto here averages ETS and
// Theta with equal weights.
func Example() {
	r := rand.New(rand.NewPCG(1, 1))
	s := &dataset.Series{Name: "sales", Freq: dataset.Freq{Kind: dataset.Monthly}, Layout: "2006-01"}
	t0 := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for t := range 96 {
		s.Time = append(s.Time, s.Freq.Add(t0, t))
		s.Values = append(s.Values, 100+0.5*float64(t)+10*math.Sin(2*math.Pi*float64(t)/12)+r.NormFloat64())
	}
	a, err := combine.NewAuto(combine.AutoConfig{Candidates: []string{"ets", "theta"}, Weights: "mean"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := a.Fit(context.Background(), s); err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range a.Members() {
		fmt.Printf("%s weight %.2f\n", m.Name, m.Weight)
	}
	// Output:
	// ets weight 0.50
	// theta weight 0.50
}
