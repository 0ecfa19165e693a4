package windowing

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
)

func benchSeries() []*dataset.Series {
	s := dataset.Sines(dataset.SinesConfig{N: 1_000_000, Noise: 0.1}, rand.New(rand.NewPCG(1, 1)))
	covs := make([][]float64, 7)
	for j := range covs {
		covs[j] = s.Values // shared memory is fine for a benchmark
	}
	s.Covariates = covs
	s.CovariateNames = []string{"c1", "c2", "c3", "c4", "c5", "c6", "c7"}
	return []*dataset.Series{s}
}

// benchmarkNew builds all windows of a 1M-step, 8-feature series: bytes/op
// must not grow with W (windows are views).
func benchmarkNew(b *testing.B, w int) {
	ss := benchSeries()
	b.ReportAllocs()
	for b.Loop() {
		ws, err := New(ss, Config{Input: w, Horizon: 24})
		if err != nil || ws.Len() == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewW16(b *testing.B)   { benchmarkNew(b, 16) }
func BenchmarkNewW256(b *testing.B)  { benchmarkNew(b, 256) }
func BenchmarkNewW4096(b *testing.B) { benchmarkNew(b, 4096) }

// benchmarkEpoch runs one shuffled epoch of batches of 64 (1M windows):
// the copy into the batch is the work; allocations are per epoch only.
func benchmarkEpoch(b *testing.B, w int) {
	ss := benchSeries()
	ws, err := New(ss, Config{Input: w, Horizon: 24, Stride: 16})
	if err != nil {
		b.Fatal(err)
	}
	bt := ws.NewBatch(64)
	it := ws.Batches(64, rand.New(rand.NewPCG(1, 1)))
	b.ReportAllocs()
	for b.Loop() {
		it.Reset()
		for it.Next(bt) {
		}
	}
}

func BenchmarkEpochW16(b *testing.B)  { benchmarkEpoch(b, 16) }
func BenchmarkEpochW256(b *testing.B) { benchmarkEpoch(b, 256) }

// BenchmarkLoadAndWindow1M reads a generated 1,000,000-row CSV with a time
// column and 8 value columns (target + 7 covariates), then windows it
// (W 96, H 24). Loading dominates; the windows add a few hundred bytes.
func BenchmarkLoadAndWindow1M(b *testing.B) {
	csv := bigCSV(1_000_000)
	b.SetBytes(int64(len(csv)))
	b.ReportAllocs()
	for b.Loop() {
		fr, err := dataset.Read(bytes.NewReader(csv), "big.csv", dataset.Options{Targets: []string{"c0"}, AllCovariates: true})
		if err != nil {
			b.Fatal(err)
		}
		ws, err := New(fr.Series, Config{Input: 96, Horizon: 24})
		if err != nil || ws.Len() != 1_000_000-119 {
			b.Fatal(err)
		}
	}
}

func bigCSV(rows int) []byte {
	var buf bytes.Buffer
	buf.WriteString("date,c0,c1,c2,c3,c4,c5,c6,c7\n")
	rng := rand.New(rand.NewPCG(1, 1))
	t := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	var num []byte
	for i := 0; i < rows; i++ {
		buf.WriteString(t.Add(time.Duration(i) * time.Hour).Format("2006-01-02 15:04:05"))
		for j := 0; j < 8; j++ {
			buf.WriteByte(',')
			num = strconv.AppendFloat(num[:0], math.Round(rng.NormFloat64()*1e5)/1e4, 'f', -1, 64)
			buf.Write(num)
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}
