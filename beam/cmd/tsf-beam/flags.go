package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	"github.com/tsf-go/tsf/beam/pipeline"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/flagspec"
)

// defaultModel is --model's default, tsf forecast's for many series (its
// collection default: tsf-beam always reads long files, --id): ONE global
// LSTM trained on every series, combined with ets and theta fitted on each
// (combine.Hybrid).
const defaultModel = "hybrid"

// options is a parsed command line.
type options struct {
	cfg         pipeline.Config
	runner      string
	dialTimeout time.Duration
	quiet       bool
	verbose     bool
}

// flagSet defines the flags of tsf-beam's commands: those of
// `tsf forecast` / `tsf backtest` that apply to many series, and the
// pipeline's own (--out, --shards, --workers, --dial-timeout). It prints
// nothing: parse reports errors, printCommandHelp the help.
func flagSet(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet("tsf-beam "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	str := func(name, value, usage string, aliases ...string) {
		p := fs.String(name, value, usage)
		for _, a := range aliases {
			fs.StringVar(p, a, value, "alias of --"+name)
		}
	}
	num := func(name string, value int, usage string, aliases ...string) {
		p := fs.Int(name, value, usage)
		for _, a := range aliases {
			fs.IntVar(p, a, value, "alias of --"+name)
		}
	}
	// Data.
	str("id", "", "series-id `COLUMN` of the long files (required)")
	for _, d := range flagspec.DataFlags() {
		usage := d.Usage
		if d.LongUsage != "" {
			usage = d.LongUsage
		}
		if d.Alias != "" {
			str(d.Name, d.Default, usage, d.Alias)
		} else {
			str(d.Name, d.Default, usage)
		}
	}
	// Model, as tsf forecast.
	if cmd == "forecast" {
		str("model", defaultModel, "model `NAME`: "+strings.Join(modelList(), "|")+" (hybrid: ONE global LSTM trained on every series, on one worker, combined with ets and theta fitted on each; the others but with --global fit each series its own model)", "m")
		fs.Bool("global", false, "train ONE neural network (lstm, gru, rnn, mlp) on the windows of all series, on one worker, and forecast every series from its history")
		str("model-file", "", "forecast every series from its history with the model saved in `FILE` by tsf train (e.g. --global); no refitting")
	} else {
		str("models", "lstm,snaive,ets", "comma-separated model `NAMES` to backtest")
		num("folds", 3, "rolling-origin `FOLDS`")
		num("step", 0, "`STEPS` between origins (default: --horizon)")
		num("max-train", 0, "train on at most the last `POINTS` before each origin (default: all)")
		num("refit-every", 0, "refit every `N` folds, forecasting from new history in between (default: every fold)")
	}
	num("horizon", 0, "forecast `STEPS` (default: each series' season, or 12)", "H")
	// One flag per model setting, as tsf's.
	for _, s := range flagspec.Settings() {
		switch s.Kind {
		case flagspec.SettingCount:
			fs.Int(s.Name, 0, s.Usage)
		case flagspec.SettingReal:
			fs.Float64(s.Name, 0, s.Usage)
		case flagspec.SettingSeed:
			fs.Uint64(s.Name, flagspec.DefaultSeed, s.Usage)
		default:
			fs.String(s.Name, "", s.Usage)
		}
	}
	// Pipeline.
	str("out", "", "output `PREFIX`: PREFIX-00000-of-0000N.csv, PREFIX-errors.csv (required)", "o")
	num("shards", 1, "`N` output files")
	num("workers", 1, "series each Beam worker fits at once")
	fs.Duration("dial-timeout", defaultDialTimeout, "how long to wait for a job server (--endpoint) to answer, e.g. 10s or 2m")
	fs.Bool("quiet", false, "no summary on standard error")
	fs.Bool("verbose", false, "Beam's and Prism's progress messages on standard error")
	return fs
}

// split separates the command's flags and arguments from Beam's flags
// (which live in the flag package's command line: --runner, --endpoint,
// --environment_type, Dataflow's --project, ...). A flag both define
// (Beam's worker --id) is the command's.
func split(fs *flag.FlagSet, args []string) (mine, beam, positional []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		var set *[]string
		var f *flag.Flag
		if f = fs.Lookup(name); f != nil {
			set = &mine
		} else if f = flag.CommandLine.Lookup(name); f != nil {
			set = &beam
		} else if name == "help" || name == "h" {
			return []string{a}, nil, nil, nil
		} else {
			return nil, nil, nil, usagef("run '"+fs.Name()+" --help' for the flags", "unknown flag %s", a)
		}
		*set = append(*set, a)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); hasValue || (ok && b.IsBoolFlag()) {
			continue
		}
		if i+1 >= len(args) {
			return nil, nil, nil, usagef("", "flag %s needs a value", a)
		}
		i++
		*set = append(*set, args[i])
	}
	return mine, beam, positional, nil
}

// printCommandHelp prints the help of command cmd, `tsf-beam cmd --help`.
func printCommandHelp(w io.Writer, cmd string) {
	fmt.Fprintf(w, "usage: tsf-beam %s [flags] FILE.csv|GLOB ...\n\n", cmd)
	fs := flagSet(cmd)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprint(w, "\nBeam's flags are accepted too, e.g. --runner prism (default), --runner universal --endpoint localhost:8073,\n--runner dataflow --project P --region R --temp_location gs://B/tmp; see beam/README.md.\n")
}

// parseBeamFlags parses Beam's flags into the flag package's command line,
// where Beam reads them (flag.Visit tells it which were given, for the
// pipeline options it sends to the runner), returning an error where
// flag.CommandLine would print one and exit.
func parseBeamFlags(args []string) error {
	flag.CommandLine.Init(flag.CommandLine.Name(), flag.ContinueOnError)
	flag.CommandLine.SetOutput(io.Discard)
	return flag.CommandLine.Parse(args)
}

// parse parses a command line into options; flag.ErrHelp for --help.
func parse(cmd string, args []string) (*options, error) {
	fs := flagSet(cmd)
	mine, beamArgs, files, err := split(fs, args)
	if err != nil {
		return nil, err
	}
	if err := fs.Parse(mine); err != nil {
		if err == flag.ErrHelp {
			return nil, err
		}
		return nil, usagef("run 'tsf-beam "+cmd+" --help' for the flags", "%v", err)
	}
	if err := parseBeamFlags(beamArgs); err != nil {
		return nil, usagef("run 'tsf-beam --help' for Beam's flags", "%v", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	get := func(name string) string { return fs.Lookup(name).Value.String() }
	getInt := func(name string) int { n, _ := strconv.Atoi(get(name)); return n }
	// Aliases: the short name's value wins when only it was given.
	for long, short := range map[string]string{"target": "y", "model": "m", "horizon": "H", "out": "o"} {
		if set[short] {
			set[long] = true
		}
	}

	o := &options{runner: *runners.Runner, quiet: get("quiet") == "true", verbose: get("verbose") == "true"}
	if o.dialTimeout = fs.Lookup("dial-timeout").Value.(flag.Getter).Get().(time.Duration); o.dialTimeout <= 0 {
		return nil, usagef("--dial-timeout is a positive duration, e.g. 30s", "invalid value %s for flag --dial-timeout", o.dialTimeout)
	}
	if o.runner == "" {
		o.runner = "prism"
	}
	if len(files) == 0 {
		return nil, usagef("give one or more long CSV files or globs: tsf-beam "+cmd+" --id series --out PREFIX 'data/*.csv'", "missing input file")
	}
	cfg := &o.cfg
	cfg.Mode = pipeline.Mode(cmd)
	cfg.Inputs = files
	if cfg.Out = get("out"); cfg.Out == "" {
		return nil, usagef("add --out PREFIX: forecasts go to PREFIX-00000-of-00001.csv", "missing flag --out")
	}
	if cfg.Read, err = readOptions(get); err != nil {
		return nil, err
	}
	if cfg.Read.IDColumn == "" {
		return nil, usagef("add --id COLUMN, the series-id column of the long files", "missing flag --id")
	}
	for _, f := range []string{"shards", "workers"} {
		if err := flagspec.CheckCount(f, getInt(f), 1); err != nil {
			return nil, usage(err)
		}
	}
	cfg.Shards, cfg.Workers = getInt("shards"), getInt("workers")
	if err := flagspec.CheckHorizon(getInt("horizon"), set["horizon"]); err != nil {
		return nil, usage(err)
	}

	names := []string{}
	if cmd == "forecast" {
		cfg.ModelFile = get("model-file")
		names = append(names, strings.ToLower(get("model")))
		if cfg.ModelFile != "" && (set["model"] || set["global"]) {
			flag := "--model"
			if set["global"] {
				flag = "--global"
			}
			return nil, usagef("a model file holds its model: drop "+flag, "%s and --model-file together", flag)
		}
	} else {
		for _, n := range strings.Split(get("models"), ",") {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return nil, usagef("--models is a comma-separated list, e.g. ets,theta,snaive", "empty --models")
		}
		cfg.Backtest = pipeline.BacktestSpec{Models: names, Folds: getInt("folds"), Step: getInt("step"), MaxTrain: getInt("max-train"), RefitEvery: getInt("refit-every")}
		for _, f := range flagspec.BacktestCounts {
			if err := flagspec.CheckBacktestCount(f, getInt(f)); err != nil {
				return nil, usage(err)
			}
		}
	}
	for _, n := range names {
		if !slices.Contains(forecast.Names(), n) || n == "conformal" {
			return nil, usage(flagspec.UnknownModel("model", n, "a model is one of "+strings.Join(modelList(), ", ")))
		}
		if cmd == "backtest" && forecast.GlobalOnly(n) {
			return nil, usagef("backtest it with tsf backtest --id (which fits it once per fold on every series), or drop it from --models",
				"tsf-beam backtest fits each series on its own and cannot backtest %s, which is fitted on every series at once", n)
		}
	}
	global := cmd == "forecast" && get("global") == "true"
	if err := flagspec.CheckGlobal(global && cfg.ModelFile == "", names[0]); err != nil {
		return nil, usage(err)
	}
	if cfg.Model, err = modelOptions(get, set, names); err != nil {
		return nil, err
	}
	cfg.Model.Name = names[0]
	cfg.Model.Horizon = getInt("horizon")
	cfg.Model.Global = global
	if cfg.ModelFile == "" {
		for _, n := range names {
			if _, err := forecast.New(n, cfg.Model.Options(n, max(cfg.Model.Horizon, 1))); err != nil {
				return nil, usagef("see 'tsf-beam "+cmd+" --help' for the model flags", "%v", err)
			}
		}
	}

	// A job server on this machine runs the workers in this process.
	if *jobopts.EnvironmentType == "" && *jobopts.Endpoint != "" {
		*jobopts.EnvironmentType = "LOOPBACK"
	}
	return o, nil
}

// modelList is the registered models a user can name.
func modelList() []string {
	return slices.DeleteFunc(forecast.Names(), func(n string) bool { return n == "conformal" })
}

// readOptions turns the data flags into dataset.Options, as `tsf` does
// (flagspec.ParseReadSettings).
func readOptions(get func(string) string) (dataset.Options, error) {
	values := map[string]string{}
	for _, name := range flagspec.ReadSettingNames {
		values[name] = get(name)
	}
	o, err := flagspec.ParseReadSettings(values)
	if err != nil {
		return o, usage(err)
	}
	return o, nil
}

// usage turns the command-line vocabulary's errors (a bad value, a
// flagspec.Mistake) into usage errors with their hints; others are
// returned as they are.
func usage(err error) error {
	var se *flagspec.SettingError
	var m *flagspec.Mistake
	switch {
	case errors.As(err, &se):
		return &usageError{msg: err.Error(), hint: se.Hint}
	case errors.As(err, &m):
		return &usageError{msg: err.Error(), hint: m.Hint}
	}
	return err
}

// modelOptions turns the model settings' flags into the pipeline's Model
// by the mapping of `tsf forecast` (flagspec.ParseSettings): Season, Window
// and Seed always; the other settings given, as Params, for the models
// that take them (the neural models, auto and hybrid). A backtest's models
// share one Params, so auto's own settings (--weights, --candidates)
// cannot go with a neural model.
func modelOptions(get func(string) string, set map[string]bool, names []string) (pipeline.Model, error) {
	given := map[string]string{}
	for _, s := range flagspec.Settings() {
		if v := get(s.Name); set[s.Name] || (s.Kind == flagspec.SettingText && v != "") {
			given[s.Name] = v
		}
	}
	var m pipeline.Model
	var from string // the model whose Params m holds
	for _, n := range names {
		o, err := flagspec.ParseSettings(n, given)
		if err != nil {
			return m, usage(err)
		}
		m.Season, m.Window, m.Seed = o.Season, o.Window, o.Seed
		switch {
		case o.Params == nil:
		case m.Params == nil:
			m.Params, from = o.Params, n
		case !maps.Equal(m.Params, o.Params):
			// auto's own settings, which the pipeline would hand to the
			// neural model too.
			neural := from
			if neural == "auto" {
				neural = n
			}
			for _, s := range flagspec.Settings() {
				_, a := m.Params[s.Name]
				_, b := o.Params[s.Name]
				if a != b {
					return m, usagef("backtest auto and "+neural+" in separate runs, or drop --"+s.Name,
						"flag --%s applies to auto alone: a backtest gives auto and %s one set of settings", s.Name, neural)
				}
			}
		}
	}
	return m, nil
}
