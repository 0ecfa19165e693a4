package neural

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// TestGlobalM3 measures the global neural model on M3 groups: one network
// per group trained on all its series, forecasts scored against the test
// values (sMAPE, MASE with the seasonal-naive in-sample scale, 80/95 %
// coverage). It is an experiment, not a unit test: it runs only with
// TSF_M3=1 and the shared data present. Settings from the environment:
//
//	TSF_M3_GROUPS  comma-separated periods (default MONTHLY; ALL = the four)
//	TSF_M3_MODEL   lstm (default), gru, rnn or mlp
//	TSF_M3_PARAMS  model parameters as key=value,... (NeuralFromOptions keys)
//	TSF_M3_SEED    seed (default 1)
//	TSF_M3_OUT     if set, forecasts go to OUT-<group>.csv
//
// Example: TSF_M3=1 TSF_M3_PARAMS=normalize=mean,transform=none go test -run TestGlobalM3 -v ./forecast/neural/
func TestGlobalM3(t *testing.T) {
	if os.Getenv("TSF_M3") == "" {
		t.Skip("set TSF_M3=1 to run the M3 global-model experiment")
	}
	dir := filepath.Join("..", "..", "..", "shared", "data", "m3")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("M3 data not found at %s: %v", dir, err)
	}
	train, err := dataset.ReadCSV(filepath.Join(dir, "m3_train.csv"), dataset.Options{IDColumn: "series", TimeColumn: "time", Targets: []string{"value"}})
	if err != nil {
		t.Fatal(err)
	}
	test := globalReadM3Test(t, filepath.Join(dir, "m3_test.csv"))
	groups := strings.Split(globalEnvOr("TSF_M3_GROUPS", "MONTHLY"), ",")
	if groups[0] == "ALL" {
		groups = []string{"YEARLY", "QUARTERLY", "MONTHLY", "OTHER"}
	}
	params := map[string]string{}
	if p := os.Getenv("TSF_M3_PARAMS"); p != "" {
		for _, kv := range strings.Split(p, ",") {
			k, v, _ := strings.Cut(kv, "=")
			params[k] = v
		}
	}
	seed, _ := strconv.ParseUint(globalEnvOr("TSF_M3_SEED", "1"), 10, 64)
	var allS, allM float64
	var allN int
	for _, g := range groups {
		h, m := globalM3Geometry(g)
		var series []*dataset.Series
		for _, s := range train.Series {
			if strings.HasPrefix(s.ID, g[:1]) {
				series = append(series, s)
			}
		}
		f, err := forecast.New(globalEnvOr("TSF_M3_MODEL", "lstm"), forecast.Options{Global: true, Horizon: h, Season: m, Seed: seed, Params: params})
		if err != nil {
			t.Fatal(err)
		}
		n := f.(*Neural)
		n.cfg.Progress = func(e forecast.EpochInfo) {
			fmt.Fprintf(os.Stderr, "%s epoch %d train %.4f val %.4f lr %g %.1fs\n", g, e.Epoch, e.TrainLoss, e.ValLoss, e.LearningRate, e.Elapsed.Seconds())
		}
		start := time.Now()
		if err := n.FitGlobal(context.Background(), series); err != nil {
			t.Fatalf("%s: %v", g, err)
		}
		fit := time.Since(start)
		var out *bufio.Writer
		if o := os.Getenv("TSF_M3_OUT"); o != "" {
			fh, err := os.Create(o + "-" + g + ".csv")
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			out = bufio.NewWriter(fh)
			defer out.Flush()
			fmt.Fprintln(out, "series,step,forecast,lo80,hi80,lo95,hi95")
		}
		var sSum, mSum float64
		var in80, in95, pts int
		for _, s := range series {
			fc, err := n.PredictFrom(s, h)
			if err != nil {
				t.Fatalf("%s: %v", s.ID, err)
			}
			y := test[s.ID]
			sm, ms := forecast.SMAPE(y, fc.Values), forecast.MASE(y, fc.Values, s.Values, m)
			sSum += sm
			mSum += ms
			i80, _ := fc.Interval(0.8)
			i95, _ := fc.Interval(0.95)
			for k, v := range y {
				pts++
				if v >= i80.Lo[k] && v <= i80.Hi[k] {
					in80++
				}
				if v >= i95.Lo[k] && v <= i95.Hi[k] {
					in95++
				}
				if out != nil {
					fmt.Fprintf(out, "%s,%d,%g,%g,%g,%g,%g\n", s.ID, k+1, fc.Values[k], i80.Lo[k], i80.Hi[k], i95.Lo[k], i95.Hi[k])
				}
			}
		}
		total := time.Since(start)
		k := float64(len(series))
		hist := n.History()
		t.Logf("%s %s %v seed %d %d train windows, %d series (%d skipped), window %d, norm %s, transform %s: sMAPE %.2f MASE %.3f cover80 %.1f%% cover95 %.1f%%; %d epochs (best %d, %s), fit %.1fs, fit+forecast %.1fs",
			g, n.Name(), params, seed, n.history.TrainWindows, len(series), len(n.Skipped()), n.Config().Window, n.Config().Normalize, n.Config().Transform,
			sSum/k, mSum/k, 100*float64(in80)/float64(pts), 100*float64(in95)/float64(pts),
			len(hist.Train), hist.BestEpoch, hist.Stopped, fit.Seconds(), total.Seconds())
		allS += sSum
		allM += mSum
		allN += len(series)
	}
	if len(groups) > 1 {
		t.Logf("all %d series: sMAPE %.2f MASE %.3f", allN, allS/float64(allN), allM/float64(allN))
	}
}

func globalEnvOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// globalM3Geometry returns the horizon and the MASE season of an M3 period group.
func globalM3Geometry(g string) (h, m int) {
	switch g {
	case "YEARLY":
		return 6, 1
	case "QUARTERLY":
		return 8, 4
	case "MONTHLY":
		return 18, 12
	}
	return 8, 1
}

// globalReadM3Test reads m3_test.csv into series id → test values in order.
func globalReadM3Test(t *testing.T, path string) map[string][]float64 {
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	out := map[string][]float64{}
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(rec[4], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[rec[0]] = append(out[rec[0]], v)
	}
	return out
}
