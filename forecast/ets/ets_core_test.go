package ets

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func TestBacktestDeterministicAcrossWorkers(t *testing.T) {
	s := fctest.Synth(200, 12, 7)
	models := []forecast.Factory{
		func() forecast.Forecaster { return forecast.NewSeasonalNaive(0) },
		func() forecast.Forecaster { return forecast.NewDrift() },
		func() forecast.Forecaster { return NewETS(ETSConfig{Trend: "add", Season: "add"}) },
	}
	var first []*forecast.BacktestResult
	for _, w := range []int{1, 2, 5} {
		rs, err := forecast.Compare(context.Background(), s, models, forecast.BacktestConfig{Horizon: 6, Folds: 4, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = rs
			continue
		}
		if !reflect.DeepEqual(rs, first) {
			t.Errorf("results with %d workers differ from 1 worker", w)
		}
	}
	if first[0].Mean.MASE >= first[1].Mean.MASE {
		t.Errorf("on a seasonal series snaive MASE %g >= drift %g", first[0].Mean.MASE, first[1].Mean.MASE)
	}
}

func TestModelFileRejectsBadFiles(t *testing.T) {
	s := fctest.Synth(60, 12, 4)
	f := NewETS(ETSConfig{Trend: "add", Season: "add"})
	if err := f.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tsf")
	if err := forecast.Save(good, f); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	flip := func(at int) []byte {
		b := bytes.Clone(data)
		b[at] ^= 0x10
		return b
	}
	nl := bytes.IndexByte(data, '\n')
	v2 := append([]byte("tsf-model 2"), data[nl:]...)
	tests := []struct {
		name string
		data []byte
		is   []error
		msg  string
	}{
		{"empty", nil, []error{forecast.ErrTruncated, forecast.ErrCorrupt}, "truncated model file: corrupt model file: empty file"},
		{"truncated header", data[:nl+20], []error{forecast.ErrTruncated, forecast.ErrCorrupt}, "no checksum line at the end"},
		{"truncated payload", data[:len(data)-100], []error{forecast.ErrTruncated, forecast.ErrCorrupt}, "no checksum line at the end"},
		{"truncated magic", data[:5], []error{forecast.ErrTruncated, forecast.ErrCorrupt}, "file ends inside the first line"},
		{"payload bit flip", flip(len(data) - 90), []error{forecast.ErrCorrupt}, "checksum mismatch"},
		{"header bit flip", flip(nl + 10), []error{forecast.ErrCorrupt}, "checksum mismatch"},
		{"not a model", []byte("month,passengers\n1949-01,112\n"), []error{forecast.ErrCorrupt}, `not a tsf-model file (starts with "month,passengers")`},
		{"future version", v2, []error{forecast.ErrVersion}, "file has format version 2; this tsf reads version 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "bad.tsf")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := forecast.Load(path)
			if err == nil {
				t.Fatal("Load accepted a bad file")
			}
			for _, is := range tt.is {
				if !errors.Is(err, is) {
					t.Errorf("errors.Is(%v, %v) = false", err, is)
				}
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q; want it to name %s and say %q", err, path, tt.msg)
			}
		})
	}
	t.Run("wrong kind", func(t *testing.T) {
		err := forecast.LoadInto(good, forecast.NewNaive())
		if !errors.Is(err, forecast.ErrKind) || !strings.Contains(err.Error(), `file holds a "ets" model; want "naive"`) {
			t.Errorf("LoadInto(ets file, naive) = %v; want ErrKind", err)
		}
	})
	t.Run("unregistered kind", func(t *testing.T) {
		var buf bytes.Buffer
		if err := forecast.WriteModel(&buf, &forecast.Model{Kind: "prophet"}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "p.tsf")
		os.WriteFile(path, buf.Bytes(), 0o644)
		_, err := forecast.Load(path)
		if !errors.Is(err, forecast.ErrKind) || !strings.Contains(err.Error(), `no model of kind "prophet" is registered`) {
			t.Errorf("Load(prophet) = %v; want ErrKind", err)
		}
	})
	t.Run("missing tensor", func(t *testing.T) {
		m, _ := f.MarshalModel()
		m.Tensors = m.Tensors[:1]
		err := NewETS(ETSConfig{}).UnmarshalModel(m)
		if !errors.Is(err, forecast.ErrCorrupt) || !strings.Contains(err.Error(), `ets model has no tensor "init"`) {
			t.Errorf("UnmarshalModel without init = %v; want ErrCorrupt", err)
		}
	})
}

// TestETSGoldenErrors: the messages of ETS's errors, word for word.
func TestETSGoldenErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
		is   error
		want string
	}{
		{"ets", func() error { return NewETS(ETSConfig{Period: 12, Season: "add"}).Fit(ctx, fctest.IndexSeries(20)) }, forecast.ErrTooShort,
			"ets: train series has 20 points; ets with season 12 needs at least 26"},
		{"not fitted", func() error { _, err := NewETS(ETSConfig{}).Predict(3); return err }, forecast.ErrNotFitted, "ets: model is not fitted"},
		{"mul season on zeros", func() error {
			return NewETS(ETSConfig{Period: 2, Season: "mul"}).Fit(ctx, fctest.IndexSeries(20))
		}, forecast.ErrBadData, `ets: bad data: multiplicative season needs positive values in series "idx"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v; want %q", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

// TestETSRegistered: importing the package registers "ets", which rejects
// an unknown parameter by name.
func TestETSRegistered(t *testing.T) {
	if _, err := forecast.New("ets", forecast.Options{}); err != nil {
		t.Errorf("New(ets) = %v", err)
	}
	if _, err := forecast.New("ets", forecast.Options{Params: map[string]string{"trend": "add", "sesaon": "mul"}}); err == nil || err.Error() != `ets: unknown parameter "sesaon" (known: trend, season)` {
		t.Errorf("New(ets, typo) = %v; want the unknown parameter named", err)
	}
}

// TestETSModelFileRoundTrip: a saved ETS model loads and forecasts bit for
// bit as the one saved.
func TestETSModelFileRoundTrip(t *testing.T) {
	s := fctest.Synth(120, 12, 3)
	dir := t.TempDir()
	models := []forecast.Persistent{
		NewETS(ETSConfig{}), NewETS(ETSConfig{Trend: "damped", Season: "mul"}),
	}
	for _, f := range models {
		if err := f.Fit(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		t.Run(f.Name(), func(t *testing.T) {
			path := filepath.Join(dir, "m.tsf")
			if err := forecast.Save(path, f); err != nil {
				t.Fatal(err)
			}
			g, err := forecast.Load(path)
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
			w2, err1 := forecast.PredictFrom(f, s.Slice(0, 100), 5)
			g2, err2 := forecast.PredictFrom(g, s.Slice(0, 100), 5)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(w2.Values, g2.Values) {
				t.Errorf("PredictFrom after load = %v, %v; want %v, %v", g2, err2, w2, err1)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("directory holds %d entries after Save; want only the model file", len(entries))
			}
		})
	}
}
