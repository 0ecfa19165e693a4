package hints_test

import (
	"fmt"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/neural"
	"github.com/tsf-go/tsf/internal/hints"
)

// The advice both front ends print under an error.
func Example() {
	fmt.Println(hints.Data(fmt.Errorf("f.csv: row 3: %w", dataset.ErrNotNumber)))
	fmt.Println(hints.Fit(fmt.Errorf("lstm: %w", neural.ErrDiverged)))
	fmt.Println(hints.ModelFile(fmt.Errorf("m.tsf: %w", forecast.ErrVersion)))
	// Output:
	// fix the cell, or mark it missing (empty or NA) and choose --missing drop|ffill|interpolate
	// lower --lr, or clip gradients with --clip 1
	// the model was written by another version of tsf; train it again
}
