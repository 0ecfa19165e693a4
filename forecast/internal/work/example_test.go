package work_test

import (
	"fmt"

	"github.com/tsf-go/tsf/forecast/internal/work"
)

// Safely turns a panic into an error, so that one series' failure never
// costs the others (the pool that runs them is internal/workpool's).
func Example() {
	_, err := work.Safely(func() (int, error) { panic("boom") })
	fmt.Println(err)
	// Output:
	// panic: boom
}
