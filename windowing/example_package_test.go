package windowing_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/windowing"
)

// Cut a series into (input, target) windows, views into the series with no
// copy, and draw them in shuffled mini-batches laid out time-major, the
// layout the recurrent networks of package models read.
func Example() {
	s := &dataset.Series{Name: "x", Values: []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}
	w, err := windowing.New([]*dataset.Series{s}, windowing.Config{Input: 4, Horizon: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	first := w.At(0)
	fmt.Println(w.Len(), "windows; the first:", first.X(), "->", first.Y())

	b := w.NewBatch(3) // one buffer, refilled by every batch
	it := w.Batches(3, rand.New(rand.NewPCG(1, 1)))
	for it.Next(b) {
		// Step t of row r is b.X[(t*b.B+r)*b.In]; its targets start at b.Y[r*b.H].
		fmt.Println("batch of", b.B, "rows, last inputs", b.X[(3*b.B)*b.In:(3*b.B+b.B)*b.In])
	}
	// Output:
	// 5 windows; the first: [0 1 2 3] -> [4 5]
	// batch of 3 rows, last inputs [4 3 5]
	// batch of 2 rows, last inputs [6 7]
}
