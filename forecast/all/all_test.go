package all_test

import (
	"testing"

	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/all"
)

// TestEveryModelRegistered: importing all registers every model name.
func TestEveryModelRegistered(t *testing.T) {
	for _, name := range []string{"naive", "snaive", "drift", "mean", "ma", "conformal", "ets", "theta", "naive2",
		"lstm", "gru", "rnn", "mlp", "eslstm", "esrnn", "auto", "hybrid"} {
		if _, err := forecast.Lookup(name); err != nil {
			t.Errorf("Lookup(%q) = %v", name, err)
		}
	}
}
