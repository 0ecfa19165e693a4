package forecast_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// Forecast every series of a long file with its own model, as
// `tsf forecast --id` does: the series that cannot be forecast get an
// error naming them, the others are written as one long CSV.
func ExampleForecastEach() {
	const file = `store,month,sales
north,2024-01,10
south,2024-01,50
north,2024-02,12
south,2024-02,52
north,2024-03,11
east,2024-03,7
north,2024-04,13
south,2024-03,51
`
	fr, err := dataset.Read(strings.NewReader(file), "sales.csv", dataset.Options{IDColumn: "store", Targets: []string{"sales"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	newModel, _ := forecast.IntervalFactory("drift", forecast.Options{Horizon: 2}, forecast.ConformalConfig{})
	res := forecast.ForecastEach(context.Background(), fr.Series, newModel, 2, 0, nil)
	for _, r := range res {
		if r.Err != nil {
			fmt.Println("error:", r.Err)
		}
	}
	forecast.WriteLongCSV(os.Stdout, "store", res)
	// Output:
	// error: series "east": drift: train series has 1 points; a drift line needs at least 2
	// store,time,forecast,lo80,hi80,lo95,hi95
	// north,2024-05,14,,,,
	// north,2024-06,15,,,,
	// south,2024-04,51.5,,,,
	// south,2024-05,52,,,,
}
