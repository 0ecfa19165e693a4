package windowing_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/windowing"
)

func ExampleNew() {
	s := &dataset.Series{Name: "x", Values: []float64{1, 2, 3, 4, 5, 6, 7}}
	w, err := windowing.New([]*dataset.Series{s}, windowing.Config{Input: 3, Horizon: 2, Stride: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for k := 0; k < w.Len(); k++ {
		v := w.At(k)
		fmt.Println(v.X(), "->", v.Y())
	}
	_, err = windowing.New([]*dataset.Series{s}, windowing.Config{Input: 6, Horizon: 2})
	fmt.Println(err)
	// Output:
	// [1 2 3] -> [4 5]
	// [3 4 5] -> [6 7]
	// windowing: series "x" has 7 observations; window 6 + horizon 2 needs at least 8: series too short
}

func ExampleWindows_Batches() {
	s := dataset.Sines(dataset.SinesConfig{N: 100}, nil)
	w, _ := windowing.New([]*dataset.Series{s}, windowing.Config{Input: 24, Horizon: 6})
	it := w.Batches(32, rand.New(rand.NewPCG(1, 1)))
	b := w.NewBatch(32) // reused for every batch
	n := 0
	for it.Next(b) {
		// b.X[(t*b.B+row)*b.In+i] is input feature i at step t of row;
		// b.Y[row*b.H+h] is target step h.
		n++
	}
	fmt.Println(w.Len(), "windows in", n, "batches; last batch has", b.B, "rows")
	// Output: 71 windows in 3 batches; last batch has 7 rows
}

func ExampleStreams() {
	s := dataset.Sines(dataset.SinesConfig{N: 1001}, nil)
	st, _ := windowing.NewStreams([]*dataset.Series{s}, windowing.StreamConfig{Batch: 4, Chunk: 50})
	c := st.NewChunk()
	for k := 0; k < st.Len(); k++ {
		st.Fill(c, k)
		if k < 2 {
			fmt.Println("chunk", k, "reset", c.Reset)
		}
		// run the model k1 = 50 steps from the carried state, rows with
		// Reset starting from zero; update; carry the state on.
	}
	fmt.Println(st.Len(), "chunks of", c.T, "steps in", c.B, "streams")
	// Output:
	// chunk 0 reset [true true true true]
	// chunk 1 reset [false false false false]
	// 5 chunks of 50 steps in 4 streams
}
