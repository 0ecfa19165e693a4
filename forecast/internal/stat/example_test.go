package stat_test

import (
	"fmt"
	"math"

	"github.com/tsf-go/tsf/forecast/internal/stat"
)

// A model scales its series by a power of two (UnitOf) and fits its
// parameters with NelderMead.
func Example() {
	fmt.Println(math.Log2(stat.UnitOf([]float64{3e300, -1})), stat.UnitOf([]float64{5, 7}))
	nm := stat.NewNelderMead(2)
	x, f := nm.Minimise(func(x []float64) float64 { return (x[0]-1)*(x[0]-1) + (x[1]+2)*(x[1]+2) }, []float64{0, 0}, 1, 500, 1e-12)
	fmt.Printf("x = (%.3f, %.3f), f = %.1g\n", x[0], x[1], f)
	// Output:
	// 999 1
	// x = (1.000, -2.000), f = 0
}
