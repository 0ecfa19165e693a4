package dataset_test

import (
	"fmt"
	"strings"

	"github.com/tsf-go/tsf/dataset"
)

// Read a monthly CSV with a missing value, fill it by linear interpolation,
// hold out the last points as a test set and scale on the training part
// only: what every forecaster in tsf does before it trains.
func Example() {
	csv := "month,passengers\n1960-07,622\n1960-08,606\n1960-09,\n1960-10,461\n1960-11,390\n1960-12,432\n"
	fr, err := dataset.Read(strings.NewReader(csv), "airline.csv", dataset.Options{Missing: dataset.MissingInterpolate})
	if err != nil {
		fmt.Println(err) // names the file, row and column
		return
	}
	s := fr.Series[0]
	fmt.Println(s.Name, s.Len(), "points,", s.Freq, "season", s.Freq.Season())
	fmt.Printf("%.1f\n", s.Values) // interpolated in time: 1960-09 is 31 of the 61 days from 1960-08 to 1960-10

	parts, err := dataset.Split(s, dataset.SplitOptions{TestLen: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	sc := dataset.Scaler{Method: dataset.ScaleMinMax}
	if err := sc.Fit(parts.Train); err != nil { // never sees the test values
		fmt.Println(err)
		return
	}
	fmt.Printf("train %d, test %d, test scaled %.3f\n", parts.Train.Len(), parts.Test.Len(), sc.Transform(parts.Test).Values)
	// Output:
	// passengers 6 points, monthly season 12
	// [622.0 606.0 532.3 461.0 390.0 432.0]
	// train 4, test 2, test scaled [-0.441 -0.180]
}
