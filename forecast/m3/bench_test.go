package m3

import (
	"path/filepath"
	"testing"
)

// BenchmarkLoad loads the 3003 M3 histories and tests (the mark:
// under a second).
func BenchmarkLoad(b *testing.B) {
	dir := dataDir(b)
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadMeta is Load's own pass over m3_train.csv for the period
// and type columns.
func BenchmarkReadMeta(b *testing.B) {
	path := filepath.Join(dataDir(b), TrainFile)
	for b.Loop() {
		if _, err := readMeta(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadForecasts reads the 878k competitors' forecasts.
func BenchmarkReadForecasts(b *testing.B) {
	d := shared(b)
	path := filepath.Join(dataDir(b), ForecastsFile)
	for b.Loop() {
		if _, err := ReadForecasts(path, d); err != nil {
			b.Fatal(err)
		}
	}
}
