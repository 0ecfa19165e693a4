package dataset

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

var (
	bigOnce sync.Once
	bigCSV  []byte
)

// BigCSV returns a generated hourly CSV of rows rows and 8 value columns.
func bigCSVData(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("date,c0,c1,c2,c3,c4,c5,c6,c7\n")
	rng := rand.New(rand.NewPCG(1, 1))
	t := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < rows; i++ {
		b.WriteString(t.Add(time.Duration(i) * time.Hour).Format("2006-01-02 15:04:05"))
		for j := 0; j < 8; j++ {
			fmt.Fprintf(&b, ",%.4f", rng.NormFloat64()*10)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkRead1M loads a 1,000,000-row, 8-column CSV: one target with 7
// covariates.
func BenchmarkRead1M(b *testing.B) {
	bigOnce.Do(func() { bigCSV = bigCSVData(1_000_000) })
	b.SetBytes(int64(len(bigCSV)))
	b.ReportAllocs()
	for b.Loop() {
		fr, err := Read(bytes.NewReader(bigCSV), "big.csv", Options{Targets: []string{"c0"}, AllCovariates: true})
		if err != nil || fr.Series[0].Len() != 1_000_000 {
			b.Fatal(err)
		}
	}
}
