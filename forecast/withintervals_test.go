package forecast

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/tsf-go/tsf/forecast/internal/fctest"
)

func TestWithIntervals(t *testing.T) {
	ctx := context.Background()
	s := fctest.Synth(96, 12, 4)
	// A model without intervals of its own: exactly the conformal wrapper.
	w, err := NewWithIntervals("snaive", Options{Horizon: 6}, ConformalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Fit(ctx, s); err != nil {
		t.Fatal(err)
	}
	c := NewConformal(func() Forecaster { f, _ := New("snaive", Options{Horizon: 6}); return f }, ConformalConfig{Horizon: 6})
	if err := c.Fit(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, _ := w.Predict(6)
	want, _ := c.Predict(6)
	if !reflect.DeepEqual(got, want) || w.NoIntervals() != nil {
		t.Errorf("WithIntervals(snaive) = %+v; want the conformal forecast %+v", got, want)
	}
	if _, ok := w.Model().(*Conformal); !ok {
		t.Errorf("Model() is %T; want *Conformal", w.Model())
	}

	// Too short to calibrate 95 % intervals for 6 steps: no intervals,
	// and NoIntervals says why; the point forecast is the model's.
	short := s.Slice(0, 30)
	if err := w.Fit(ctx, short); err != nil {
		t.Fatal(err)
	}
	got, _ = w.Predict(6)
	if len(got.Intervals) != 0 || !errors.Is(w.NoIntervals(), ErrTooShort) {
		t.Errorf("short series: %d intervals, NoIntervals %v", len(got.Intervals), w.NoIntervals())
	}
	if want := short.Values[18:24]; !reflect.DeepEqual(got.Values, want) {
		t.Errorf("short series forecast %v; want the last season %v", got.Values, want)
	}

	if _, err := NewWithIntervals("nope", Options{}, ConformalConfig{}); !errors.Is(err, ErrUnknownModel) {
		t.Errorf("unknown model: %v", err)
	}
}
