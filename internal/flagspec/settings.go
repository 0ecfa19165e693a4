package flagspec

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/forecast"
	// Every family registered: --candidates names models by the registry.
	_ "github.com/tsf-go/tsf/forecast/all"
)

// SettingKind is the type of a Setting's value.
type SettingKind int

// The kinds of settings.
const (
	// SettingCount is a whole number of at least 0; 0 means the default.
	SettingCount SettingKind = iota
	// SettingReal is a floating-point number; 0 means the default.
	SettingReal
	// SettingText is a word; empty means the default.
	SettingText
	// SettingSeed is a random seed, a whole number of at least 0;
	// DefaultSeed when not given.
	SettingSeed
)

// DefaultSeed is forecast.Options.Seed when a command line gives no seed.
const DefaultSeed = 1

// Setting is a model setting that a command line gives as a flag --Name.
type Setting struct {
	// Name is the flag's name, without dashes, and the key in
	// Options.Params when the setting goes there.
	Name string
	// Kind is the type of the value.
	Kind SettingKind
	// Usage is the flag's help text; a word in back quotes names the value,
	// as the flag package and urfave/cli print it.
	Usage string

	scope settingScope
	hint  string
	// ok, if not nil, accepts or rejects a parsed real value (NaN too).
	ok func(float64) bool
	// words, if not nil, are the values a text setting accepts.
	words []string
}

// settingScope says which models take a setting, and where.
type settingScope int

const (
	// inOptions: an Options field (Window, Season, Seed), for every model.
	inOptions settingScope = iota
	// inParams: Options.Params of the neural models and of auto, which
	// hands them to its neural candidates.
	inParams
	// inAutoParams: Options.Params of auto alone.
	inAutoParams
)

// settings is the table Settings returns, in help order.
var settings = []Setting{
	{Name: "window", Kind: SettingCount, Usage: "input `STEPS` of the neural models (default: max(2·season, 3·horizon, 8), at most n/3)"},
	{Name: "season", Kind: SettingCount, Usage: "seasonal `PERIOD` (default: from the frequency: 12 monthly, 24 hourly, 7 daily, ...)"},
	{Name: "hidden", Kind: SettingCount, scope: inParams, Usage: "hidden `UNITS` (default 64)"},
	{Name: "layers", Kind: SettingCount, scope: inParams, Usage: "stacked recurrent `LAYERS` (default 1)"},
	{Name: "chrono", Kind: SettingCount, scope: inParams, Usage: "LSTM: chrono initialisation of the gate biases, memory time scales up to `STEPS` (default off: forget bias 1); for dependencies tens of steps back"},
	{Name: "epochs", Kind: SettingCount, scope: inParams, Usage: "most training `EPOCHS` (default 100; early stopping usually ends sooner)"},
	{Name: "batch", Kind: SettingCount, scope: inParams, Usage: "mini-batch `SIZE` (default 64)"},
	{Name: "lr", Kind: SettingReal, scope: inParams, Usage: "Adam learning `RATE` (default 0.001)",
		hint: "--lr is a positive number such as 0.001", ok: func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }},
	{Name: "clip", Kind: SettingReal, scope: inParams, Usage: "global gradient-norm clipping `NORM` (default 1; negative: none)",
		hint: "--clip is a number such as 1; negative for no clipping"},
	{Name: "tbptt", Kind: SettingCount, scope: inParams, Usage: "truncate backpropagation through time after `STEPS` (default: full BPTT over the window)"},
	{Name: "seed", Kind: SettingSeed, Usage: "random `SEED` of initialisation and shuffling",
		hint: "--seed is a whole number such as 1"},
	{Name: "val", Kind: SettingReal, scope: inParams, Usage: "validation `FRACTION` of the windows, for early stopping and intervals (default 0.1; negative: none)",
		hint: "--val is a fraction below 0.5, e.g. 0.1; negative for no validation", ok: func(v float64) bool { return v < 0.5 }},
	{Name: "patience", Kind: SettingCount, scope: inParams, Usage: "`EPOCHS` without validation improvement before stopping (default 10)"},
	{Name: "strategy", Kind: SettingText, scope: inParams, Usage: "multi-step `STRATEGY` of the neural models: direct (default) or recursive",
		words: []string{"direct", "recursive"}},
	{Name: "normalize", Kind: SettingText, scope: inParams, Usage: "window normalisation `MODE` of the neural models: auto (default: one model relative to a reference forecast and one on the globally scaled values, combined by validation error), last (relative to the window's last value), mean (to its mean and spread), season (targets relative to seasonal naive) or none",
		words: []string{"auto", "last", "mean", "season", "none"}},
	{Name: "combine", Kind: SettingText, scope: inParams, Usage: "what --normalize auto does with its two models: `HOW` = inverse2 (default: forecasts weighted by 1/validation MAE²), inverse, mean, best or bestof",
		words: []string{"inverse2", "inverse", "mean", "best", "bestof"}},
	{Name: "transform", Kind: SettingText, scope: inParams, Usage: "target `TRANSFORM` of the globally scaled neural model: auto (default: log of a positive series), log or none",
		words: []string{"auto", "log", "none"}},
	{Name: "ensemble", Kind: SettingCount, scope: inParams, Usage: "average the forecasts of `N` networks trained with seeds seed, seed+1, ... (default 1)"},
	{Name: "dtype", Kind: SettingText, scope: inParams, Usage: "element `TYPE` of the networks' forward and backward passes: float64 (default) or float32 (float32 kernels, float64 master weights; faster for large networks, not for the default LSTM: see docs/PERFORMANCE.md)",
		words: []string{"float64", "float32"}},
	{Name: "candidates", Kind: SettingText, scope: inAutoParams, Usage: "auto: the candidate `MODELS`, comma-separated (default lstm,ets,theta)",
		hint: "--candidates lists models other than auto, e.g. lstm,ets,theta"},
	{Name: "weights", Kind: SettingText, scope: inAutoParams, Usage: "auto: how it combines its candidates, `HOW` = fallback (default: the first alone when it fits the series, else the mean of the others), inverse2 (1/holdout MAE²), mean or best",
		words: []string{"fallback", "inverse2", "mean", "best"}},
	{Name: "schedule", Kind: SettingText, scope: inParams, Usage: "learning-rate `SCHEDULE`: plateau (default), cosine, step or none",
		words: []string{"plateau", "cosine", "step", "none"}},
}

// Settings returns the model settings a command line gives as flags, in
// the order of its help: Window, Season and Seed, which every model reads,
// then the settings of the neural models (lstm, gru, rnn, mlp), which auto
// hands to its neural candidates, and auto's own (candidates, weights).
// A command defines one flag per setting and passes the values given to
// ParseSettings. The slice is the caller's.
func Settings() []Setting { return slices.Clone(settings) }

// SettingError is a bad value of a setting: the command line's usage error.
// Its message reads `invalid value -3 for flag --hidden: negative`.
type SettingError struct {
	// Flag is the setting's name, without dashes.
	Flag string
	// Kind is the setting's kind; the message quotes the value of a text
	// setting.
	Kind SettingKind
	// Value is the offending value (one model of a list for --candidates).
	Value string
	// Reason says what is wrong with the value; it may be empty.
	Reason string
	// Hint says what the setting accepts, e.g. `--hidden is a count; 0
	// means the default`.
	Hint string
}

// Error returns the message, without the hint.
func (e *SettingError) Error() string {
	v := e.Value
	if e.Kind == SettingText {
		v = strconv.Quote(v)
	}
	msg := fmt.Sprintf("invalid value %s for flag --%s", v, e.Flag)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// ParseSettings checks the values a command line gives for the settings
// (Settings) and returns the Options of model name. values maps a setting's
// name to its value as typed, and holds only the settings given (an empty
// text is the same as none). Every value is checked, whatever the model;
// the Options get Window, Season and Seed (DefaultSeed when not given),
// and, for a neural model (lstm, gru, rnn, mlp) or auto, Params with the
// other settings given; auto's own settings (candidates, weights) go to
// auto only. Horizon, Progress and Global are the caller's to set.
//
// A bad value is a *SettingError. ParseSettings panics if values names a
// setting that Settings does not list.
func ParseSettings(name string, values map[string]string) (forecast.Options, error) {
	for k := range values {
		if !slices.ContainsFunc(settings, func(s Setting) bool { return s.Name == k }) {
			panic(fmt.Sprintf("flagspec: ParseSettings: unknown setting %q", k))
		}
	}
	o := forecast.Options{Seed: DefaultSeed}
	params := map[string]string{}
	for _, s := range settings {
		v, ok := values[s.Name]
		if !ok || (s.Kind == SettingText && v == "") {
			continue
		}
		v, err := s.check(v)
		if err != nil {
			return forecast.Options{}, err
		}
		switch {
		case s.Name == "window":
			o.Window, _ = strconv.Atoi(v)
		case s.Name == "season":
			o.Season, _ = strconv.Atoi(v)
		case s.Name == "seed":
			o.Seed, _ = strconv.ParseUint(v, 10, 64)
		case s.scope == inParams, s.scope == inAutoParams && (name == "auto" || name == "hybrid"):
			params[s.Name] = v
		}
	}
	if forecast.IsNeural(name) || name == "auto" || name == "hybrid" || name == "eslstm" || name == "esrnn" {
		o.Params = params
	}
	return o, nil
}

// check returns v in canonical form (a number as strconv formats it), or
// a *SettingError.
func (s Setting) check(v string) (string, error) {
	bad := func(value, reason, hint string) error {
		return &SettingError{Flag: s.Name, Kind: s.Kind, Value: value, Reason: reason, Hint: hint}
	}
	switch s.Kind {
	case SettingCount:
		hint := fmt.Sprintf("--%s is a count; 0 means the default", s.Name)
		n, err := strconv.Atoi(v)
		if err != nil {
			return "", bad(v, "not a whole number", hint)
		}
		if n < 0 {
			return "", bad(strconv.Itoa(n), "negative", hint)
		}
		return strconv.Itoa(n), nil
	case SettingReal:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "", bad(v, "not a number", s.hint)
		}
		v = strconv.FormatFloat(x, 'g', -1, 64)
		if s.ok != nil && !s.ok(x) {
			return "", bad(v, "", s.hint)
		}
		return v, nil
	case SettingSeed:
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return "", bad(v, "", s.hint)
		}
		return strconv.FormatUint(n, 10), nil
	}
	if s.words != nil && !slices.Contains(s.words, v) {
		return "", bad(v, "", fmt.Sprintf("--%s is %s", s.Name, orList(s.words)))
	}
	if s.Name == "candidates" {
		// Registered models that auto can combine.
		for _, m := range strings.Split(v, ",") {
			m = strings.TrimSpace(m)
			if m != "" && (m == "auto" || m == "hybrid" || m == "conformal" || !slices.Contains(forecast.Names(), m)) {
				return "", bad(m, "", s.hint)
			}
		}
	}
	return v, nil
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
