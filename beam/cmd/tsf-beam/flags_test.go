package main

import (
	"errors"
	"io"
	"maps"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// TestParseMapsFlagsAsTheCLI: the model flags become forecast.Options as in
// `tsf forecast` (training flags as Params, for the neural models only and
// only when given), Beam's flags go to Beam, and bad values are usage
// errors naming the flag.
func TestParseMapsFlagsAsTheCLI(t *testing.T) {
	o, err := parse("forecast", strings.Fields("--id series --model lstm --epochs 3 --lr 0.01 --window 24 --seed 9 -H 6 --out fc --workers 2 --runner prism --time t --target y a.csv b*.csv"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := o.cfg.Model
	if m.Name != "lstm" || m.Horizon != 6 || m.Window != 24 || m.Seed != 9 || !maps.Equal(m.Params, map[string]string{"epochs": "3", "lr": "0.01"}) {
		t.Errorf("model %+v; want lstm, horizon 6, window 24, seed 9, params epochs 3 and lr 0.01", m)
	}
	want := dataset.Options{IDColumn: "series", TimeColumn: "t", Targets: []string{"y"}, Missing: dataset.MissingReject, Gaps: dataset.GapReject}
	if r := o.cfg.Read; r.IDColumn != want.IDColumn || r.TimeColumn != want.TimeColumn || r.Targets[0] != "y" || r.Missing != want.Missing || r.Gaps != want.Gaps {
		t.Errorf("read options %+v; want %+v", r, want)
	}
	if o.runner != "prism" || o.cfg.Workers != 2 || o.cfg.Out != "fc" || strings.Join(o.cfg.Inputs, " ") != "a.csv b*.csv" {
		t.Errorf("runner %q, workers %d, out %q, inputs %v", o.runner, o.cfg.Workers, o.cfg.Out, o.cfg.Inputs)
	}

	o, err = parse("forecast", strings.Fields("--id series --model theta --epochs 3 --out fc a.csv"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.Model.Params != nil {
		t.Errorf("theta got params %v; the training flags are the neural models' only", o.cfg.Model.Params)
	}

	for _, tc := range []struct{ args, want string }{
		{"--model ets --out fc a.csv", "missing flag --id"},
		{"--id s --model ets a.csv", "missing flag --out"},
		{"--id s --model nope --out fc a.csv", `invalid value "nope" for flag --model`},
		{"--id s --model ets --out fc --horizon 0 a.csv", "invalid value 0 for flag --horizon"},
		{"--id s --model lstm --out fc --lr -1 a.csv", "invalid value -1 for flag --lr"},
		{"--id s --model ets --out fc --bogus 1 a.csv", "unknown flag --bogus"},
		{"--id s --model ets --out fc", "missing input file"},
	} {
		_, err := parse("forecast", strings.Fields(tc.args), io.Discard)
		var u *usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parse(%q) = %v; want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}
