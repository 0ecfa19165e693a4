package importtest_test

import (
	"fmt"

	"github.com/tsf-go/tsf/forecast"
)

// Without its family's package imported, a model is an error that names
// the package.
func Example() {
	_, err := forecast.New("ets", forecast.Options{})
	fmt.Println(err)
	// Output:
	// unknown model "ets": it is registered by package github.com/tsf-go/tsf/forecast/ets; import it, or github.com/tsf-go/tsf/forecast/all for every model
}
