package main

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/internal/flagspec"
)

// TestParseMapsFlagsAsTheCLI: the model flags become forecast.Options as in
// `tsf forecast` (training flags as Params, for the neural models only and
// only when given), Beam's flags go to Beam, and bad values are usage
// errors naming the flag.
func TestParseMapsFlagsAsTheCLI(t *testing.T) {
	o, err := parse("forecast", strings.Fields("--id series --model lstm --epochs 3 --lr 0.01 --window 24 --seed 9 -H 6 --out fc --workers 2 --runner prism --time t --target y a.csv b*.csv"))
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
	// Beam reads which of its flags were given from the flag package's
	// command line (flag.Visit), for the options it sends to the runner.
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "runner" && f.Value.String() == "prism" })
	if !given {
		t.Error("--runner prism is not among the flag package's flags that were set")
	}

	o, err = parse("forecast", strings.Fields("--id series --model theta --epochs 3 --out fc a.csv"))
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
		{"--id s --out fc --hidden -3 a.csv", "invalid value -3 for flag --hidden: negative"},
		{"--id s --out fc --dtype float16 a.csv", `invalid value "float16" for flag --dtype`},
		{"--id s --out fc --candidates ets,arima a.csv", `invalid value "arima" for flag --candidates`},
		{"--id s --model ets --out fc --bogus 1 a.csv", "unknown flag --bogus"},
		{"--id s --model ets --out fc", "missing input file"},
	} {
		_, err := parse("forecast", strings.Fields(tc.args))
		var u *usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parse(%q) = %v; want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}

// TestEverySettingIsAFlag: every model setting of flagspec.Settings is a
// flag of both commands, of its kind, so a new setting cannot be forgotten
// here; a bad value is a usage error naming the flag, with the library's
// hint; and --model's default is tsf forecast --id's (hybrid).
func TestEverySettingIsAFlag(t *testing.T) {
	kinds := map[flagspec.SettingKind]string{flagspec.SettingCount: "int", flagspec.SettingReal: "float64", flagspec.SettingText: "string", flagspec.SettingSeed: "uint64"}
	for _, cmd := range []string{"forecast", "backtest"} {
		fs := flagSet(cmd)
		for _, s := range flagspec.Settings() {
			f := fs.Lookup(s.Name)
			if f == nil {
				t.Errorf("tsf-beam %s has no flag --%s", cmd, s.Name)
				continue
			}
			if got := fmt.Sprintf("%T", f.Value.(flag.Getter).Get()); got != kinds[s.Kind] || f.Usage != s.Usage {
				t.Errorf("tsf-beam %s --%s is a %s flag, %q; want %s, %q", cmd, s.Name, got, f.Usage, kinds[s.Kind], s.Usage)
			}
		}
	}
	if d := flagSet("forecast").Lookup("model").DefValue; d != "hybrid" {
		t.Errorf("--model defaults to %q; want hybrid, as tsf forecast --id", d)
	}

	_, err := parse("forecast", strings.Fields("--id s --out fc --dtype float16 a.csv"))
	var u *usageError
	if !errors.As(err, &u) || err.Error() != `invalid value "float16" for flag --dtype` || u.hint != "--dtype is float64 or float32" {
		t.Errorf("--dtype float16: %v; want a usage error naming --dtype, with hint", err)
	}
}

// TestParseAutoSettings: auto takes the neural settings and its own; in a
// backtest its own cannot go with a neural model, which would get them
// too.
func TestParseAutoSettings(t *testing.T) {
	o, err := parse("forecast", strings.Fields("--id s --out fc --model auto --epochs 5 --dtype float32 --weights mean --candidates lstm,ets a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"epochs": "5", "dtype": "float32", "weights": "mean", "candidates": "lstm,ets"}
	if m := o.cfg.Model; m.Name != "auto" || m.Seed != 1 || !maps.Equal(m.Params, want) {
		t.Errorf("model %+v; want auto, seed 1, params %v", m, want)
	}

	o, err = parse("backtest", strings.Fields("--id s --out bt --models ets,lstm,auto --epochs 5 --dtype float32 a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"epochs": "5", "dtype": "float32"}; !maps.Equal(o.cfg.Model.Params, want) {
		t.Errorf("backtest params %v; want %v", o.cfg.Model.Params, want)
	}
	for _, args := range []string{
		"--id s --out bt --models lstm,auto --weights mean a.csv",
		"--id s --out bt --models auto,gru --candidates ets a.csv",
	} {
		_, err := parse("backtest", strings.Fields(args))
		var u *usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "applies to auto alone") {
			t.Errorf("parse(%q) = %v; want a usage error: auto's own settings would reach the neural model", args, err)
		}
	}
}

// TestParseGlobal: the default model is hybrid, fitted across series,
// which takes the neural settings and its own (--candidates, --weights),
// as tsf forecast --id; --global trains a neural model across series and
// goes with no other model; a model that cannot be built, a global model
// in a backtest, and --global or --model with --model-file are usage
// errors.
func TestParseGlobal(t *testing.T) {
	o, err := parse("forecast", strings.Fields("--id s --out fc --epochs 5 --weights inverse2 --candidates gru,theta a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"epochs": "5", "weights": "inverse2", "candidates": "gru,theta"}
	if m := o.cfg.Model; m.Name != "hybrid" || !m.IsGlobal() || !maps.Equal(m.Params, want) || !maps.Equal(m.Options(m.Name, 6).Params, want) {
		t.Errorf("model %+v; want hybrid, global, params %v", m, want)
	}
	o, err = parse("forecast", strings.Fields("--id s --out fc --model gru --global --hidden 8 a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if m := o.cfg.Model; m.Name != "gru" || !m.IsGlobal() || !m.Options(m.Name, 6).Global || !maps.Equal(m.Params, map[string]string{"hidden": "8"}) {
		t.Errorf("model %+v; want a global gru with hidden 8", m)
	}
	if o, err := parse("forecast", strings.Fields("--id s --out fc --model gru a.csv")); err != nil || o.cfg.Model.IsGlobal() {
		t.Errorf("--model gru without --global: %v, %+v; want a local model", err, o.cfg.Model)
	}
	for _, tc := range []struct{ cmd, args, want, hint string }{
		{"forecast", "--model ets --global", `flag --global needs a neural model, not "ets"`, "--global trains one model across series: use --model lstm, gru, rnn, mlp or hybrid; other models fit each series on its own with --id"},
		{"forecast", "--weights fallback", `hybrid: unknown weights "fallback" (want mean, inverse2 or best)`, "see 'tsf-beam forecast --help' for the model flags"},
		{"forecast", "--global --model-file m.tsf", "--global and --model-file together", "a model file holds its model: drop --global"},
		{"forecast", "--model lstm --model-file m.tsf", "--model and --model-file together", "a model file holds its model: drop --model"},
		{"backtest", "--models ets,hybrid", "tsf-beam backtest fits each series on its own and cannot backtest hybrid, which is fitted on every series at once", "backtest it with tsf backtest --id (which fits it once per fold on every series), or drop it from --models"},
	} {
		_, err := parse(tc.cmd, append(strings.Fields("--id s --out fc "+tc.args), "a.csv"))
		var u *usageError
		if !errors.As(err, &u) || err.Error() != tc.want || u.hint != tc.hint {
			t.Errorf("%s %s: %v (%+v); want the usage error %q with the hint %q", tc.cmd, tc.args, err, u, tc.want, tc.hint)
		}
	}
}
