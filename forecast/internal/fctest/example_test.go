package fctest_test

import (
	"fmt"

	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

// The test series are seeded: the same call gives the same series.
func Example() {
	a, b := fctest.Synth(24, 12, 1), fctest.Synth(24, 12, 1)
	fmt.Println(a.Len(), a.Freq.Season(), a.Values[5] == b.Values[5])
	// Output:
	// 24 12 true
}
