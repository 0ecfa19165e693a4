package hints

import (
	"fmt"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/neural"
)

// Every sentinel of the loader, of a fit and of a model file has advice,
// and a series too short says the same whichever package found it.
func TestEverySentinelHasAdvice(t *testing.T) {
	for _, err := range []error{dataset.ErrColumn, dataset.ErrNotNumber, dataset.ErrMissing, dataset.ErrGaps, dataset.ErrBadTime,
		dataset.ErrUnsorted, dataset.ErrEmpty, dataset.ErrRagged, dataset.ErrCSV, dataset.ErrNoID, dataset.ErrTooShort} {
		if Data(fmt.Errorf("x: %w", err)) == "" {
			t.Errorf("no advice for %v", err)
		}
	}
	for _, err := range []error{forecast.ErrTooShort, neural.ErrDiverged, forecast.ErrBadData, forecast.ErrHorizon} {
		if Fit(fmt.Errorf("x: %w", err)) == "" {
			t.Errorf("no advice for %v", err)
		}
	}
	if Data(dataset.ErrTooShort) != Fit(forecast.ErrTooShort) {
		t.Error("a series too short gets two pieces of advice")
	}
	if ModelFile(forecast.ErrTruncated) != ModelFile(forecast.ErrCorrupt) {
		t.Error("a truncated model file is a corrupt one")
	}
}
