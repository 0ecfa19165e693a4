package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

func TestMain(m *testing.M) {
	beamlog.LogLevel = "warn" // Prism's progress lines only in a failure's output
	beam.Init()
	os.Exit(m.Run())
}

// writeLong writes n ManySines series of length points as a long CSV
// (series,time,value) with the rows of all series shuffled when shuffle
// is set, and returns its path.
func writeLong(t *testing.T, dir string, n, length int, shuffle bool) string {
	t.Helper()
	cfg := dataset.ManySinesConfig{Series: n, N: length, Seed: 7}
	var rows []string
	for i := range n {
		s := dataset.ManySines(cfg, i)
		for k, v := range s.Values {
			rows = append(rows, fmt.Sprintf("%s,%s,%s\n", s.ID, s.Format(s.Time[k]), strconv.FormatFloat(v, 'g', 8, 64)))
		}
	}
	if shuffle {
		rng := rand.New(rand.NewPCG(1, 2))
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	path := filepath.Join(dir, "long.csv")
	if err := os.WriteFile(path, []byte("series,time,value\n"+strings.Join(rows, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// reference returns what `tsf forecast --id series` writes for the file:
// forecast.ForecastEach on the series dataset.Read loads, then
// forecast.WriteLongCSV.
func reference(t *testing.T, path string, m Model) []byte {
	t.Helper()
	fr, err := dataset.ReadCSV(path, dataset.Options{IDColumn: "series"})
	if err != nil {
		t.Fatal(err)
	}
	h := m.HorizonFor(fr.Series[0])
	newModel, err := forecast.IntervalFactory(m.Name, m.Options(m.Name, h), forecast.ConformalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	res := forecast.ForecastEach(context.Background(), fr.Series, newModel, h, 2, nil)
	var buf bytes.Buffer
	if err := forecast.WriteLongCSV(&buf, "series", res); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func run(t *testing.T, cfg Config) Counts {
	t.Helper()
	c, err := Run(context.Background(), "prism", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestForecastMatchesForecastEach: on a generated long file whose rows are
// shuffled, the pipeline's forecast file (one shard) is byte for byte the
// output of ForecastEach + WriteLongCSV, the code path of
// `tsf forecast --id`, for a classical and a neural model.
func TestForecastMatchesForecastEach(t *testing.T) {
	dir := t.TempDir()
	path := writeLong(t, dir, 6, 48, true)
	for _, m := range []Model{
		{Name: "ets"},
		{Name: "lstm", Seed: 3, Params: map[string]string{"epochs": "2", "hidden": "8"}},
	} {
		t.Run(m.Name, func(t *testing.T) {
			out := filepath.Join(dir, m.Name)
			c := run(t, Config{Inputs: []string{path}, Read: dataset.Options{IDColumn: "series"}, Model: m, Workers: 2, Out: out})
			got, want := read(t, ShardName(out, 0, 1)), reference(t, path, m)
			if !bytes.Equal(got, want) {
				t.Errorf("pipeline forecast differs from ForecastEach + WriteLongCSV:\n got %.300s\nwant %.300s", got, want)
			}
			if c.Series != 6 || c.Failed != 0 || c.Rows != 6*48 {
				t.Errorf("counts %+v; want 6 series, 0 failed, %d rows", c, 6*48)
			}
		})
	}
}
