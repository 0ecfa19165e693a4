package workpool_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/internal/workpool"
)

// Each item writes its own slot, so the result is the same whatever the
// number of workers.
func Example() {
	squares := make([]int, 6)
	workpool.For(context.Background(), len(squares), 3, func(i int) {
		squares[i] = i * i
	})
	fmt.Println(squares)
	// Output:
	// [0 1 4 9 16 25]
}
