package plots_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/tsf-go/tsf/plots"
)

// The distribution of per-series MASE of three models over 200 series,
// saved as a PNG: boxes of quartiles, the median bar, whiskers at the 5th
// and 95th percentiles, the mean as a diamond and a line at MASE 1.
func ExampleDistribution() {
	models := []string{"lstm", "ets", "snaive"}
	values := make([][]float64, len(models))
	for i := range models {
		for k := range 200 {
			values[i] = append(values[i], (0.8+0.2*float64(i))*math.Exp(0.5*math.Sin(float64(k))))
		}
	}
	p, err := plots.Distribution("MASE per series", "MASE", models, values)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "tsf-plots")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := plots.Save(p, filepath.Join(dir, "mase.png"), 0, 0); err != nil {
		fmt.Println(err)
		return
	}
	_, err = plots.Distribution("", "MASE", []string{"lstm"}, [][]float64{{0.9, math.NaN()}})
	fmt.Println(err)
	// Output:
	// plots: distribution: lstm values[1] is NaN
}
