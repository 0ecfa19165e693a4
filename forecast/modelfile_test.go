package forecast

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func TestModelFileRoundTrip(t *testing.T) {
	s := fctest.Synth(120, 12, 3)
	dir := t.TempDir()
	models := []Persistent{
		NewNaive(), NewSeasonalNaive(0), NewDrift(), NewMean(), NewMovingAverage(5),
	}
	for _, f := range models {
		if err := f.Fit(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		t.Run(f.Name(), func(t *testing.T) {
			path := filepath.Join(dir, "m.tsf")
			if err := Save(path, f); err != nil {
				t.Fatal(err)
			}
			g, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := f.Predict(30)
			got, err := g.Predict(30)
			if err != nil {
				t.Fatal(err)
			}
			for k := range want.Values {
				if math.Float64bits(got.Values[k]) != math.Float64bits(want.Values[k]) {
					t.Fatalf("loaded %s step %d = %v; want bit-identical %v", f.Name(), k, got.Values[k], want.Values[k])
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("loaded forecast %+v; want %+v", got, want)
			}
			// PredictFrom works on the loaded model too.
			w2, err1 := PredictFrom(f, s.Slice(0, 100), 5)
			g2, err2 := PredictFrom(g, s.Slice(0, 100), 5)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(w2.Values, g2.Values) {
				t.Errorf("PredictFrom after load = %v, %v; want %v, %v", g2, err2, w2, err1)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("directory holds %d entries after Save; want only the model file", len(entries))
			}
		})
	}
}

func TestModelFileKeepsTensorsBitForBit(t *testing.T) {
	m := &Model{
		Kind:    "lstm",
		Config:  []byte(`{"hidden":8}`),
		Scaler:  []byte(`{"kind":"standard","mean":1.5,"std":2}`),
		Tensors: []Tensor{{Name: "w", Shape: []int{2, 3}, Data: []float64{1, math.NaN(), math.Inf(-1), -0.0, 5e-324, math.Pi}}, {Name: "empty", Shape: []int{0}, Data: []float64{}}},
		Summary: Summary{Series: "x", Points: 10, Freq: "hourly", Epochs: 3, Metrics: map[string]float64{"val_loss": math.NaN(), "train_loss": 0.25}},
	}
	var buf bytes.Buffer
	if err := WriteModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range m.Tensors[0].Data {
		if math.Float64bits(got.Tensors[0].Data[i]) != math.Float64bits(v) {
			t.Errorf("tensor value %d = %v; want %v bit for bit", i, got.Tensors[0].Data[i], v)
		}
	}
	if string(got.Config) != string(m.Config) || string(got.Scaler) != string(m.Scaler) || got.Kind != "lstm" {
		t.Errorf("read back kind %q config %s scaler %s", got.Kind, got.Config, got.Scaler)
	}
	if _, ok := got.Summary.Metrics["val_loss"]; ok || got.Summary.Metrics["train_loss"] != 0.25 || got.Summary.Epochs != 3 {
		t.Errorf("summary %+v; want NaN val_loss dropped, train_loss 0.25, 3 epochs", got.Summary)
	}
}

func TestSaveLeavesNoPartialFile(t *testing.T) {
	dir := t.TempDir()
	err := Save(filepath.Join(dir, "m.tsf"), NewNaive()) // not fitted
	if !errors.Is(err, ErrNotFitted) {
		t.Errorf("Save(unfitted) = %v; want ErrNotFitted", err)
	}
	err = WriteModelFile(filepath.Join(dir, "no", "such", "dir.tsf"), &Model{Kind: "naive"})
	if err == nil {
		t.Error("WriteModelFile into a missing directory succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("directory holds %v after failed saves; want nothing", entries)
	}
}
