package flagspec

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/neural"
)

// TestParseSettingsOptions: Window, Season and Seed go to every model; the
// training settings to the Params of the neural models and auto only; auto's
// own settings to auto only; numbers in canonical form.
func TestParseSettingsOptions(t *testing.T) {
	given := map[string]string{"window": "24", "season": "12", "seed": "7", "hidden": "8", "lr": "1e-3",
		"dtype": "float32", "weights": "mean", "candidates": "ets,theta", "normalize": ""}
	for _, tc := range []struct {
		model  string
		params map[string]string
	}{
		{"lstm", map[string]string{"hidden": "8", "lr": "0.001", "dtype": "float32"}},
		{"mlp", map[string]string{"hidden": "8", "lr": "0.001", "dtype": "float32"}},
		{"auto", map[string]string{"hidden": "8", "lr": "0.001", "dtype": "float32", "weights": "mean", "candidates": "ets,theta"}},
		{"ets", nil},
		{"snaive", nil},
	} {
		t.Run(tc.model, func(t *testing.T) {
			o, err := ParseSettings(tc.model, given)
			if err != nil {
				t.Fatal(err)
			}
			if o.Window != 24 || o.Season != 12 || o.Seed != 7 || o.Horizon != 0 || o.Global {
				t.Errorf("ParseSettings(%q) = %+v; want window 24, season 12, seed 7", tc.model, o)
			}
			if !maps.Equal(o.Params, tc.params) || (o.Params == nil) != (tc.params == nil) {
				t.Errorf("ParseSettings(%q).Params = %v; want %v", tc.model, o.Params, tc.params)
			}
			if _, err := forecast.New(tc.model, o); err != nil {
				t.Errorf("New(%q, ParseSettings(...)) = %v", tc.model, err)
			}
		})
	}
	o, err := ParseSettings("gru", nil)
	if err != nil || o.Seed != DefaultSeed || o.Params == nil || len(o.Params) != 0 {
		t.Errorf("ParseSettings(gru, nil) = %+v, %v; want seed %d and empty Params", o, err, DefaultSeed)
	}
}

// TestParseSettingsErrors: a bad value is a *SettingError with the message
// and hint of tsf's usage errors, whatever the model.
func TestParseSettingsErrors(t *testing.T) {
	for _, tc := range []struct {
		flag, value, msg, hint string
	}{
		{"hidden", "-3", "invalid value -3 for flag --hidden: negative", "--hidden is a count; 0 means the default"},
		{"window", "x", "invalid value x for flag --window: not a whole number", "--window is a count; 0 means the default"},
		{"lr", "-1", "invalid value -1 for flag --lr", "--lr is a positive number such as 0.001"},
		{"lr", "+Inf", "invalid value +Inf for flag --lr", "--lr is a positive number such as 0.001"},
		{"val", "0.5", "invalid value 0.5 for flag --val", "--val is a fraction below 0.5, e.g. 0.1; negative for no validation"},
		{"val", "NaN", "invalid value NaN for flag --val", "--val is a fraction below 0.5, e.g. 0.1; negative for no validation"},
		{"seed", "-1", "invalid value -1 for flag --seed", "--seed is a whole number such as 1"},
		{"strategy", "both", `invalid value "both" for flag --strategy`, "--strategy is direct or recursive"},
		{"normalize", "max", `invalid value "max" for flag --normalize`, "--normalize is auto, last, mean, season or none"},
		{"combine", "median", `invalid value "median" for flag --combine`, "--combine is inverse2, inverse, mean, best or bestof"},
		{"transform", "sqrt", `invalid value "sqrt" for flag --transform`, "--transform is auto, log or none"},
		{"schedule", "linear", `invalid value "linear" for flag --schedule`, "--schedule is plateau, cosine, step or none"},
		{"dtype", "float16", `invalid value "float16" for flag --dtype`, "--dtype is float64 or float32"},
		{"weights", "median", `invalid value "median" for flag --weights`, "--weights is fallback, inverse2, mean or best"},
		{"candidates", "ets, arima", `invalid value "arima" for flag --candidates`, "--candidates lists models other than auto, e.g. lstm,ets,theta"},
		{"candidates", "auto", `invalid value "auto" for flag --candidates`, "--candidates lists models other than auto, e.g. lstm,ets,theta"},
		{"candidates", "conformal", `invalid value "conformal" for flag --candidates`, "--candidates lists models other than auto, e.g. lstm,ets,theta"},
	} {
		for _, model := range []string{"lstm", "auto", "ets"} {
			_, err := ParseSettings(model, map[string]string{tc.flag: tc.value})
			var se *SettingError
			if !errors.As(err, &se) || err.Error() != tc.msg || se.Hint != tc.hint || se.Flag != tc.flag {
				t.Errorf("ParseSettings(%q, %s=%q) = %v; want %q with hint %q", model, tc.flag, tc.value, err, tc.msg, tc.hint)
			}
		}
	}
}

// TestParseSettingsUnknown: a setting the table does not list is the
// caller's mistake.
func TestParseSettingsUnknown(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("ParseSettings with an unknown setting did not panic")
		}
	}()
	ParseSettings("lstm", map[string]string{"horizon": "12"})
}

// TestSettingsTable: names are unique, every setting has a usage text with
// a value name, and every text setting but candidates lists its words.
func TestSettingsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Settings() {
		if seen[s.Name] {
			t.Errorf("setting %q twice", s.Name)
		}
		seen[s.Name] = true
		if !strings.Contains(s.Usage, "`") {
			t.Errorf("setting %q: usage %q names no value", s.Name, s.Usage)
		}
		if s.Kind == SettingText && s.words == nil && s.Name != "candidates" {
			t.Errorf("text setting %q accepts any word", s.Name)
		}
	}
}

// TestSettingWords: the words of the text settings are forecast/neural's
// constants (the table spells them), and ParseSettings hands each over
// unchanged.
func TestSettingWords(t *testing.T) {
	want := map[string][]string{
		"strategy":  {neural.Direct, neural.Recursive},
		"normalize": {neural.NormAuto, neural.NormLast, neural.NormMean, neural.NormSeason, neural.NormNone},
		"combine":   {neural.CombineInverse2, neural.CombineInverse, neural.CombineMean, neural.CombineBest, neural.CombineBestOf},
		"transform": {neural.TransformAuto, neural.TransformLog, neural.TransformNone},
	}
	for _, s := range Settings() {
		if w, ok := want[s.Name]; ok && !slices.Equal(s.words, w) {
			t.Errorf("--%s accepts %q; the library's words are %q", s.Name, s.words, w)
		}
	}
	for flag, words := range want {
		for _, w := range words {
			o, err := ParseSettings("lstm", map[string]string{flag: w})
			if err != nil || o.Params[flag] != w {
				t.Errorf("ParseSettings(--%s %s) = Params %v, %v; want %s=%s", flag, w, o.Params, err, flag, w)
			}
		}
	}
}
