package main

import (
	"fmt"
	"strings"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/flagspec"
	"github.com/urfave/cli/v2"
)

// request is the command line of forecast, train, predict, backtest or
// compare, parsed and checked once by the command's parse function
// (parseFit, parsePredict, parseCompare), in the order in which the
// command reports its mistakes; the rest of the command reads the request,
// never the flags.
type request struct {
	// train: tsf train; hold: tsf compare (one fold, the last --horizon
	// points held out).
	train, hold bool

	// The input: the FILE argument ("-" for standard input), the data
	// flags' values as given and as checked, and --target.
	path   string
	data   map[string]string
	read   dataset.Options
	target string

	// The model: --model, lower-cased ("" when not given); --models
	// (backtest, compare) and whether it was given; --global; the model
	// settings given (checked: flagspec.ParseSettings); --season;
	// --horizon (0 when not given: derived from the data); --model-file
	// (predict).
	model     string
	models    []string
	modelsSet bool
	global    bool
	settings  map[string]string
	season    int
	horizon   int
	modelFile string

	// Backtest and compare: the folds (Horizon set once the data is
	// read), and --per-series.
	backtest  forecast.BacktestConfig
	perSeries string

	// Output.
	out, plot, save      string
	json, quiet, verbose bool
	// workers is --workers as given: forecast, train and predict check it
	// on many series only (workers).
	workers int
}

// id is --id, the series-id column of a long file.
func (r *request) id() string { return r.data["id"] }

// parseInput parses the FILE argument.
func (r *request) parseInput(c *cli.Context) error {
	var err error
	if r.path, err = inputArg(c); err != nil {
		return err
	}
	return nil
}

// readData reads the data flags' values, checked by checkData.
func (r *request) readData(c *cli.Context) {
	r.data = map[string]string{}
	for _, name := range flagspec.ReadSettingNames {
		r.data[name] = c.String(name)
	}
	r.target = r.data["target"]
}

// checkData checks the data flags read by readData and sets r.read
// (flagspec.ParseReadSettings; a bad value is a usage error).
func (r *request) checkData() error {
	o, err := flagspec.ParseReadSettings(r.data)
	if err != nil {
		return usage(err)
	}
	r.read = o
	return nil
}

// parseSettings parses the model settings (flagspec.Settings), checking
// every value whatever the model, and --season.
func (r *request) parseSettings(c *cli.Context) error {
	given := map[string]string{}
	for _, s := range flagspec.Settings() {
		if c.IsSet(s.Name) || (s.Kind == flagspec.SettingText && c.String(s.Name) != "") {
			given[s.Name] = fmt.Sprint(c.Value(s.Name))
		}
	}
	if _, err := flagspec.ParseSettings("", given); err != nil {
		return usage(err)
	}
	r.settings, r.season = given, c.Int("season")
	return nil
}

// parseHorizon parses --horizon.
func (r *request) parseHorizon(c *cli.Context) error {
	h := c.Int("horizon")
	if err := flagspec.CheckHorizon(h, c.IsSet("horizon")); err != nil {
		return usage(err)
	}
	r.horizon = h
	return nil
}

// parseOutput parses the output flags the command has.
func (r *request) parseOutput(c *cli.Context) {
	r.out, r.plot, r.save = c.String("out"), c.String("plot"), c.String("save")
	r.json, r.quiet, r.verbose = c.Bool("json"), c.Bool("quiet"), c.Bool("verbose")
	r.workers = c.Int("workers")
}

// modelFor is the model of the command: --model, lower-cased; without it,
// auto for one series and the collection default for many.
func (r *request) modelFor(many bool) string {
	switch {
	case r.model != "":
		return r.model
	case many:
		return collectionModel
	}
	return "auto"
}

// options returns the forecast.Options of model name for horizon h, from
// the settings given (flagspec.ParseSettings: checked by parseSettings).
// auto hands the neural settings to its neural candidates, but trains none
// across series.
func (r *request) options(name string, h int) forecast.Options {
	o, _ := flagspec.ParseSettings(name, r.settings)
	o.Horizon = h
	o.Global = r.global && isNeural(name)
	return o
}

// horizonFor is --horizon, or the default for a series of the given
// season: the season, or 12.
func (r *request) horizonFor(season int) int {
	if h := r.horizon; h > 0 {
		return h
	}
	if season <= 1 {
		return 12
	}
	return season
}

// seasonOf is --season, or s's frequency's season.
func (r *request) seasonOf(s *dataset.Series) int {
	if r.season != 0 {
		return r.season
	}
	return s.Freq.Season()
}

// ui returns the command's progress and messages on e's stderr.
func (r *request) ui(e *env) *ui { return newUI(e, r.quiet) }

// parseFit parses the command line of tsf forecast (train = false) and tsf
// train (train = true).
func parseFit(c *cli.Context, train bool) (*request, error) {
	r := &request{train: train, global: c.Bool("global")}
	if c.IsSet("model") {
		r.model = strings.ToLower(c.String("model"))
	}
	r.readData(c)
	name := r.modelFor(r.id() != "" || r.global)
	if err := checkModelName("model", name); err != nil {
		return nil, err
	}
	if err := flagspec.CheckGlobal(r.global, name); err != nil {
		return nil, usage(err)
	}
	r.parseOutput(c)
	if train && r.save == "" {
		return nil, usagef("tsf train fits a model to save it: add --save MODEL.tsf", "missing flag --save")
	}
	if err := r.parseInput(c); err != nil {
		return nil, err
	}
	if err := checkPicturePath(r.plot); err != nil {
		return nil, err
	}
	for _, f := range []struct{ flag, path string }{{"out", r.out}, {"save", r.save}} {
		if err := checkOutputPath(f.flag, f.path); err != nil {
			return nil, err
		}
	}
	if err := r.parseSettings(c); err != nil {
		return nil, err
	}
	if err := r.checkData(); err != nil {
		return nil, err
	}
	if err := r.parseHorizon(c); err != nil {
		return nil, err
	}
	return r, nil
}

// parsePredict parses the command line of tsf predict; the command checks
// the data flags after loading the model (checkData).
func parsePredict(c *cli.Context) (*request, error) {
	r := &request{modelFile: c.String("model-file")}
	r.readData(c)
	if r.modelFile == "" {
		return nil, usagef("name the model saved by tsf train: tsf predict --model-file MODEL.tsf FILE.csv", "missing flag --model-file")
	}
	if err := r.parseInput(c); err != nil {
		return nil, err
	}
	if err := r.parseHorizon(c); err != nil {
		return nil, err
	}
	r.parseOutput(c)
	if err := checkPicturePath(r.plot); err != nil {
		return nil, err
	}
	if err := checkOutputPath("out", r.out); err != nil {
		return nil, err
	}
	return r, nil
}

// parseModelsInput parses --models (example: an example list for the usage
// error of an empty one), the data flags (checked later by checkData), the
// FILE argument and the output flags, in that order.
func (r *request) parseModelsInput(c *cli.Context, example string) error {
	r.models, r.modelsSet = splitList(strings.ToLower(c.String("models"))), c.IsSet("models")
	r.readData(c)
	if len(r.models) == 0 {
		return usagef("e.g. --models "+example, "flag --models is empty")
	}
	for _, n := range r.models {
		if err := checkModelName("models", n); err != nil {
			return err
		}
	}
	if err := r.parseInput(c); err != nil {
		return err
	}
	r.parseOutput(c)
	return nil
}

// parseCompare parses the command line of tsf backtest (hold = false) and
// tsf compare (hold = true: one fold).
func parseCompare(c *cli.Context, hold bool) (*request, error) {
	r := &request{hold: hold}
	if err := r.parseModelsInput(c, "lstm,snaive,ets"); err != nil {
		return nil, err
	}
	r.backtest = forecast.BacktestConfig{Folds: 1, Workers: r.workers}
	if !hold {
		r.perSeries = c.String("per-series")
		counts := []struct {
			flag string
			dst  *int
		}{{"folds", &r.backtest.Folds}, {"step", &r.backtest.Step}, {"max-train", &r.backtest.MaxTrain}, {"refit-every", &r.backtest.RefitEvery}}
		for _, f := range counts {
			*f.dst = c.Int(f.flag)
		}
		for _, f := range counts {
			if err := flagspec.CheckBacktestCount(f.flag, *f.dst); err != nil {
				return nil, usage(err)
			}
		}
	}
	if err := flagspec.CheckCount("workers", r.workers, 0); err != nil {
		return nil, usage(err)
	}
	if err := checkPicturePath(r.plot); err != nil {
		return nil, err
	}
	if err := r.parseSettings(c); err != nil {
		return nil, err
	}
	r.backtest.Season = r.season
	if err := r.parseHorizon(c); err != nil {
		return nil, err
	}
	if err := r.checkData(); err != nil {
		return nil, err
	}
	return r, nil
}
