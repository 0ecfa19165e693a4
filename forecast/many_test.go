package forecast

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

func TestFitMany(t *testing.T) {
	series := []*dataset.Series{synth(60, 12, 1), indexSeries(5), synth(80, 12, 2)}
	models, err := FitMany(context.Background(), series, func() Forecaster { return NewSeasonalNaive(12) }, 2)
	if !errors.Is(err, ErrTooShort) || models[1] != nil || models[0] == nil || models[2] == nil {
		t.Fatalf("FitMany = %v, %v; want series 1 too short, the others fitted", models, err)
	}
	if want := `series 1 ("idx"): snaive: train series has 5 points; season 12 needs at least 12`; err.Error() != want {
		t.Errorf("error %q; want %q", err, want)
	}
	fcs, err := PredictMany(models, 12, 0)
	if err != nil || fcs[1] != nil {
		t.Fatalf("PredictMany = %v, %v", fcs, err)
	}
	for _, i := range []int{0, 2} {
		want := series[i].Values[series[i].Len()-12:]
		if !reflect.DeepEqual(fcs[i].Values, want) {
			t.Errorf("series %d forecast %v; want the last season %v", i, fcs[i].Values, want)
		}
	}
}
