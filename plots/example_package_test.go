package plots_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/tsf-go/tsf/plots"
)

// Each picture is a function from plain slices to a *plot.Plot (gonum/plot),
// which Save writes as PNG, SVG or PDF after the file's extension. Bad
// input is an error that names the field, never a wrong picture.
func Example() {
	p, err := plots.Loss(plots.LossInput{Curves: []plots.LossCurve{
		{Model: "rnn", Train: []float64{0.9, 0.5, 0.41, 0.40}, Valid: []float64{0.95, 0.6, 0.52, 0.53}},
		{Model: "lstm", Train: []float64{0.8, 0.3, 0.12, 0.06}, Valid: []float64{0.85, 0.35, 0.15, 0.09}},
	}})
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
	for _, name := range []string{"loss.png", "loss.svg"} {
		if err := plots.Save(p, filepath.Join(dir, name), 0, 0); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("saved loss.png and loss.svg")

	_, err = plots.Loss(plots.LossInput{Curves: []plots.LossCurve{{Model: "lstm"}}})
	fmt.Println(err)
	// Output:
	// saved loss.png and loss.svg
	// plots: loss: lstm train: no data
}
