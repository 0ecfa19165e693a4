package work_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/forecast/internal/work"
)

// Pool runs the work on its workers, each result in its own slot, so the
// outcome does not depend on their number; Safely turns a panic into an
// error.
func Example() {
	sq := make([]int, 5)
	work.Pool(context.Background(), len(sq), 2, func(i int) { sq[i] = i * i })
	fmt.Println(sq)
	_, err := work.Safely(func() (int, error) { panic("boom") })
	fmt.Println(err)
	// Output:
	// [0 1 4 9 16]
	// panic: boom
}
