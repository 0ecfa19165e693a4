package forecast

import (
	"errors"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// One sentinel for a series too short, whichever package says so.
func TestErrTooShortIsDatasets(t *testing.T) {
	if !errors.Is(&ShortError{}, dataset.ErrTooShort) || !errors.Is(dataset.ErrTooShort, ErrTooShort) {
		t.Error("forecast.ErrTooShort and dataset.ErrTooShort are two sentinels")
	}
}

// CollectionHorizon: the shared season, 12 without one, the given season
// first, and an error naming one series per period when they differ.
func TestCollectionHorizon(t *testing.T) {
	monthly := &dataset.Series{ID: "m", Freq: dataset.Freq{Kind: dataset.Monthly}}
	yearly := &dataset.Series{ID: "y", Freq: dataset.Freq{Kind: dataset.Annual}}
	for _, tc := range []struct {
		series []*dataset.Series
		season int
		want   int
	}{{[]*dataset.Series{monthly, monthly}, 0, 12}, {[]*dataset.Series{yearly}, 0, 12}, {[]*dataset.Series{monthly, yearly}, 4, 4}} {
		if got, err := CollectionHorizon(tc.series, tc.season); got != tc.want || err != nil {
			t.Errorf("CollectionHorizon(season %d) = %d, %v; want %d", tc.season, got, err, tc.want)
		}
	}
	_, err := CollectionHorizon([]*dataset.Series{yearly, monthly, yearly}, 0)
	if err == nil || !strings.Contains(err.Error(), `(series "y"), monthly (series "m")): no common default horizon`) {
		t.Errorf("mixed frequencies: %v", err)
	}
}

func TestCollectionHorizonSentinel(t *testing.T) {
	_, err := CollectionHorizon([]*dataset.Series{{Freq: dataset.Freq{Kind: dataset.Monthly}}, {Freq: dataset.Freq{Kind: dataset.Annual}}}, 0)
	if !errors.Is(err, ErrNoHorizon) {
		t.Errorf("%v does not wrap ErrNoHorizon", err)
	}
}
