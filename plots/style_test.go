package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gonum.org/v1/plot/cmpimg"
)

func TestModelColor(t *testing.T) {
	fixed := []string{"lstm", "gru", "rnn", "mlp", "naive", "snaive", "drift", "mean", "ma", "ets"}
	seen := map[color.RGBA]string{}
	for _, m := range fixed {
		c := ModelColor(m)
		if other, ok := seen[c]; ok {
			t.Errorf("ModelColor(%q) = ModelColor(%q) = %v; want distinct colours", m, other, c)
		}
		seen[c] = m
	}
	if ModelColor("LSTM ") != ModelColor("lstm") {
		t.Errorf("ModelColor(%q) = %v; want ModelColor(lstm) = %v", "LSTM ", ModelColor("LSTM "), ModelColor("lstm"))
	}
	for _, name := range []string{"tcn", "transformer", "prophet"} {
		c := ModelColor(name)
		if c != ModelColor(name) {
			t.Errorf("ModelColor(%q) is not deterministic", name)
		}
		if _, ok := seen[c]; ok {
			t.Errorf("ModelColor(%q) = %v reuses a fixed model's colour", name, c)
		}
	}
}

func TestCalendarTicks(t *testing.T) {
	ts := func(y int, m time.Month, d, h int) float64 {
		return unixSeconds(time.Date(y, m, d, h, 0, 0, 0, time.UTC))
	}
	cases := []struct {
		name     string
		min, max float64
		format   string
		first    string
	}{
		{"monthly over years", ts(2014, 3, 1, 0), ts(2021, 12, 1, 0), "2006", "2016"},
		{"monthly over a year", ts(2020, 1, 15, 0), ts(2021, 1, 15, 0), "Jan 2006", "Mar 2020"},
		{"daily over two months", ts(2021, 3, 3, 0), ts(2021, 5, 1, 0), "2 Jan", "15 Mar"},
		{"daily across new year", ts(2020, 12, 20, 0), ts(2021, 1, 10, 0), "2 Jan 2006", "21 Dec 2020"},
		{"hourly over two days", ts(2021, 3, 3, 5), ts(2021, 3, 5, 5), "2 Jan 15:04", "3 Mar 12:00"},
		{"hourly within a day", ts(2021, 3, 3, 1), ts(2021, 3, 3, 20), "15:04", "03:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := chooseCalStep(c.min, c.max)
			if f := timeFormat(s, c.min, c.max, time.UTC); f != c.format {
				t.Errorf("format = %q; want %q", f, c.format)
			}
			ticks := calendarTicker{step: s, loc: time.UTC}.Ticks(c.min, c.max)
			if len(ticks) < 2 || len(ticks) > maxTicks {
				t.Fatalf("got %d ticks; want 2..%d", len(ticks), maxTicks)
			}
			first := time.Unix(int64(ticks[0].Value), 0).UTC().Format(c.format)
			if first != c.first {
				t.Errorf("first tick %s; want %s", first, c.first)
			}
			for _, tk := range ticks {
				if tk.Value < c.min || tk.Value > c.max {
					t.Errorf("tick %v outside [%v, %v]", tk.Value, c.min, c.max)
				}
			}
		})
	}
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		min, max float64
		want     []string
	}{
		{197, 398, []string{"200", "250", "300", "350"}},
		{0.07, 1.35, []string{"0.2", "0.4", "0.6", "0.8", "1.0", "1.2"}},
		{0.07, 1.55, []string{"0.25", "0.50", "0.75", "1.00", "1.25", "1.50"}},
		{-1.3, 2.4, []string{"-1", "0", "1", "2"}},
		{0, 36, []string{"0", "10", "20", "30"}},
	}
	for _, c := range cases {
		var got []string
		for _, tk := range (niceTicks{}).Ticks(c.min, c.max) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !equalStrings(got, c.want) {
			t.Errorf("niceTicks(%g, %g) = %v; want %v", c.min, c.max, got, c.want)
		}
	}
}

func TestLogTicks(t *testing.T) {
	cases := []struct {
		min, max float64 // exponents
		want     []string
	}{
		{-31, 1, []string{"1e-30", "1e-25", "1e-20", "1e-15", "1e-10", "1e-5", "1"}},
		{-2, 1, []string{"0.01", "0.1", "1", "10"}},
		{3, 6, []string{"1000", "10000", "1e5", "1e6"}},
	}
	for _, c := range cases {
		var got []string
		for _, tk := range (logTicks{}).Ticks(c.min, c.max) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !equalStrings(got, c.want) {
			t.Errorf("logTicks(%g, %g) = %v; want %v", c.min, c.max, got, c.want)
		}
	}
}

func equalStrings(a, b []string) bool {
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

// TestEqualPNGDetectsChange makes sure the golden comparison can fail: a
// golden image with one small block of pixels changed must not match.
func TestEqualPNGDetectsChange(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "forecast.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	m := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			m.Set(x, y, img.At(x, y))
		}
	}
	if ok, err := cmpimg.EqualApprox("png", raw, raw, goldenDelta); !ok || err != nil {
		t.Fatalf("EqualApprox(golden, golden) = %v, %v; want true", ok, err)
	}
	// 30×30 pixels, about a legend entry's worth of change.
	for y := 300; y < 330; y++ {
		for x := 300; x < 330; x++ {
			m.Set(x, y, color.RGBA{R: 255, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	if ok, _ := cmpimg.EqualApprox("png", raw, buf.Bytes(), goldenDelta); ok {
		t.Errorf("EqualApprox(golden, golden with a red 30×30 block) = true; want false")
	}
}
