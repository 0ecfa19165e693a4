package windowing

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// ramp returns a series whose value at i is base+i, with one covariate
// equal to -(base+i).
func ramp(name string, n int, base float64) *dataset.Series {
	v, c := make([]float64, n), make([]float64, n)
	for i := range v {
		v[i] = base + float64(i)
		c[i] = -v[i]
	}
	return &dataset.Series{Name: name, Values: v, Covariates: [][]float64{c}, CovariateNames: []string{"neg"}}
}

func TestWindowsCount(t *testing.T) {
	tests := []struct {
		n    []int
		cfg  Config
		want int
	}{
		{[]int{10}, Config{Input: 3}, 7},                        // starts 0..6
		{[]int{10}, Config{Input: 3, Horizon: 2}, 6},            // starts 0..5
		{[]int{10}, Config{Input: 3, Horizon: 2, Stride: 2}, 3}, // 0, 2, 4
		{[]int{10}, Config{Input: 8, Horizon: 2}, 1},
		{[]int{10, 5}, Config{Input: 3, Horizon: 2}, 6 + 1},
	}
	for _, tc := range tests {
		var ss []*dataset.Series
		for i, n := range tc.n {
			ss = append(ss, ramp("s", n, float64(100*i)))
		}
		w, err := New(ss, tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		if w.Len() != tc.want {
			t.Errorf("New(%v, %+v).Len() = %d; want %d", tc.n, tc.cfg, w.Len(), tc.want)
		}
		// Every window lies inside one series: X then Y are consecutive.
		for k := 0; k < w.Len(); k++ {
			v := w.At(k)
			all := append(append([]float64(nil), v.X()...), v.Y()...)
			for i := 1; i < len(all); i++ {
				if all[i] != all[i-1]+1 {
					t.Fatalf("window %d crosses a series boundary: %v", k, all)
				}
			}
		}
	}
}

func TestWindowsErrors(t *testing.T) {
	short := ramp("short", 5, 0)
	_, err := New([]*dataset.Series{ramp("ok", 20, 0), short}, Config{Input: 4, Horizon: 2})
	want := `windowing: series "short" has 5 observations; window 4 + horizon 2 needs at least 6: series too short`
	if err == nil || err.Error() != want || !errors.Is(err, dataset.ErrTooShort) {
		t.Errorf("New(short) = %v; want %s", err, want)
	}
	if _, err := New([]*dataset.Series{ramp("a", 20, 0)}, Config{}); err == nil {
		t.Error("New with Input 0: nil error")
	}
	noCov := &dataset.Series{Name: "b", Values: make([]float64, 20)}
	if _, err := New([]*dataset.Series{ramp("a", 20, 0), noCov}, Config{Input: 2}); err == nil || !strings.Contains(err.Error(), "covariates") {
		t.Errorf("mixed covariates: %v", err)
	}
	if _, err := New(nil, Config{Input: 2}); err == nil {
		t.Error("New(nil): nil error")
	}
}

// TestWindowsAreViews: a window's X is the series' own memory, and never
// reaches past a split boundary.
func TestWindowsAreViews(t *testing.T) {
	s := ramp("a", 100, 0)
	p, err := dataset.Split(s, dataset.SplitOptions{TestLen: 20})
	if err != nil {
		t.Fatal(err)
	}
	w, err := New([]*dataset.Series{p.Train}, Config{Input: 10, Horizon: 5})
	if err != nil {
		t.Fatal(err)
	}
	v := w.At(3)
	if &v.X()[0] != &s.Values[3] {
		t.Error("window X is a copy, not a view")
	}
	last := w.At(w.Len() - 1)
	if y := last.Y(); y[len(y)-1] != 79 || cap(y) != len(y) {
		t.Errorf("last train window ends at %g (cap %d); want 79, capped", y[len(y)-1], cap(y))
	}
}

func TestBatchLayout(t *testing.T) {
	ss := []*dataset.Series{ramp("a", 10, 0), ramp("b", 10, 100)}
	w, err := New(ss, Config{Input: 3, Horizon: 2, Stride: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := w.NewBatch(4)
	ids := []int{0, 6, 5, 9} // a@0, b@0, a@5, b@3
	w.Fill(b, ids)
	starts := []float64{0, 100, 5, 103}
	for bb, st := range starts {
		for tt := 0; tt < 3; tt++ {
			got0 := b.X[(tt*b.B+bb)*b.In+0]
			got1 := b.X[(tt*b.B+bb)*b.In+1]
			if want := st + float64(tt); got0 != want || got1 != -want {
				t.Errorf("x[t=%d,b=%d] = (%g, %g); want (%g, %g)", tt, bb, got0, got1, want, -want)
			}
		}
		for h := 0; h < 2; h++ {
			if got, want := b.Y[bb*b.H+h], st+3+float64(h); got != want {
				t.Errorf("y[b=%d,h=%d] = %g; want %g", bb, h, got, want)
			}
		}
	}
	if a := testing.AllocsPerRun(20, func() { w.Fill(b, ids) }); a != 0 {
		t.Errorf("Fill allocates %g times; want 0", a)
	}
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "windowing: ") {
			t.Errorf("Fill with 5 ids into a 4-row batch: recover() = %v; want a windowing panic", r)
		}
	}()
	w.Fill(b, []int{0, 1, 2, 3, 4})
}

func TestIterShuffles(t *testing.T) {
	w, err := New([]*dataset.Series{ramp("a", 50, 0)}, Config{Input: 5})
	if err != nil {
		t.Fatal(err)
	}
	epoch := func(seed uint64) []int {
		var rng *rand.Rand
		if seed > 0 {
			rng = rand.New(rand.NewPCG(seed, seed))
		}
		it := w.Batches(8, rng)
		b := w.NewBatch(8)
		var got []int
		batches := 0
		for it.Next(b) {
			got = append(got, b.Index...)
			batches++
		}
		if batches != 6 || b.B != 45-40 {
			t.Errorf("seed %d: %d batches, last of %d; want 6, last of 5", seed, batches, b.B)
		}
		return got
	}
	inOrder, a, b, c := epoch(0), epoch(1), epoch(1), epoch(2)
	seen := map[int]bool{}
	for i, k := range a {
		if inOrder[i] != i || a[i] != b[i] {
			t.Fatalf("position %d: in-order %d, seed 1 gives %d then %d", i, inOrder[i], a[i], b[i])
		}
		seen[k] = true
	}
	if len(seen) != w.Len() || equal(a, inOrder) || equal(a, c) {
		t.Errorf("shuffle: %d distinct of %d, same as order %v, same as seed 2 %v", len(seen), w.Len(), equal(a, inOrder), equal(a, c))
	}
	// Next does not allocate.
	it := w.Batches(8, rand.New(rand.NewPCG(1, 1)))
	bb := w.NewBatch(8)
	if allocs := testing.AllocsPerRun(20, func() {
		if !it.Next(bb) {
			it.Reset()
		}
	}); allocs != 0 {
		t.Errorf("Next/Reset allocate %g times; want 0", allocs)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStreams(t *testing.T) {
	// Series of 23 and 13 values, chunk 5, horizon 1: (23-1)/5 = 4 and
	// (13-1)/5 = 2 chunks, 6 in all; 3 streams get q = 2 chunks each:
	// row 0 = a chunks 0,1; row 1 = a chunks 2,3; row 2 = b chunks 0,1.
	ss := []*dataset.Series{ramp("a", 23, 0), ramp("b", 13, 100)}
	st, err := NewStreams(ss, StreamConfig{Batch: 3, Chunk: 5})
	if err != nil {
		t.Fatal(err)
	}
	if st.Len() != 2 {
		t.Fatalf("Len = %d; want 2", st.Len())
	}
	c := st.NewChunk()
	starts := [][]float64{{0, 10, 100}, {5, 15, 105}}
	resets := [][]bool{{true, true, true}, {false, false, false}}
	for k := 0; k < st.Len(); k++ {
		st.Fill(c, k)
		for b := 0; b < 3; b++ {
			if c.Reset[b] != resets[k][b] {
				t.Errorf("chunk %d row %d: reset %v; want %v", k, b, c.Reset[b], resets[k][b])
			}
			for tt := 0; tt < 5; tt++ {
				want := starts[k][b] + float64(tt)
				if x, cv, y := c.X[(tt*3+b)*2], c.X[(tt*3+b)*2+1], c.Y[tt*3+b]; x != want || cv != -want || y != want+1 {
					t.Errorf("chunk %d t=%d b=%d: x=%g cov=%g y=%g; want %g %g %g", k, tt, b, x, cv, y, want, -want, want+1)
				}
			}
		}
	}
	// A row that moves on to a new series mid-epoch is reset there.
	st, err = NewStreams([]*dataset.Series{ramp("a", 11, 0), ramp("b", 11, 100), ramp("c", 11, 200)}, StreamConfig{Batch: 2, Chunk: 5, Horizon: 1})
	if err != nil {
		t.Fatal(err)
	}
	c = st.NewChunk()
	// 2+2+2 chunks, q = 3: row 0 = a0 a1 b0, row 1 = b1 c0 c1.
	want := [][]bool{{true, true}, {false, true}, {true, false}}
	for k := 0; k < 3; k++ {
		st.Fill(c, k)
		if c.Reset[0] != want[k][0] || c.Reset[1] != want[k][1] {
			t.Errorf("chunk %d resets %v; want %v", k, c.Reset, want[k])
		}
	}
	if a := testing.AllocsPerRun(20, func() { st.Fill(c, 1) }); a != 0 {
		t.Errorf("Streams.Fill allocates %g times; want 0", a)
	}
	_, err = NewStreams([]*dataset.Series{ramp("a", 20, 0)}, StreamConfig{Batch: 4, Chunk: 5, Horizon: 1})
	if !errors.Is(err, dataset.ErrTooShort) || !strings.Contains(err.Error(), "needs at least 21") {
		t.Errorf("too short: %v", err)
	}
}
