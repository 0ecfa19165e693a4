package plots

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestLagSensitivityPlot draws a curve with zeros beyond a window and a
// mark, and checks the refusals.
func TestLagSensitivityPlot(t *testing.T) {
	rnn := []float64{0.9, 0.2, 0.01, 1e-4, 0, 0}
	lstm := []float64{0.8, 0.3, 0.1, 0.05, 0.2, 0.01}
	p, err := LagSensitivity(SensitivityInput{Curves: []SensitivityCurve{{"rnn", rnn}, {"lstm", lstm}}, Marks: []int{5, 50}})
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(p, filepath.Join(t.TempDir(), "memory.png"), 0, 0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   SensitivityInput
		want string
	}{
		{SensitivityInput{}, "no data"},
		{SensitivityInput{Curves: []SensitivityCurve{{"", rnn}}}, "empty model name"},
		{SensitivityInput{Curves: []SensitivityCurve{{"rnn", nil}}}, "no data"},
		{SensitivityInput{Curves: []SensitivityCurve{{"rnn", []float64{1, -1}}}}, "negative"},
		{SensitivityInput{Curves: []SensitivityCurve{{"rnn", rnn}}, Marks: []int{0}}, "lags start at 1"},
		{SensitivityInput{Curves: []SensitivityCurve{{"rnn", rnn}}, Floor: -1}, "negative"},
	} {
		_, err := LagSensitivity(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "plots: lag sensitivity") {
			t.Errorf("%+v: error %v; want one containing %q", tc.in, err, tc.want)
		}
	}
	if _, err := LagSensitivity(SensitivityInput{}); !errors.Is(err, ErrNoData) {
		t.Errorf("no curves: %v; want ErrNoData", err)
	}
}
