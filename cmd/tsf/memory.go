package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/flagspec"
	"github.com/tsf-go/tsf/plots"
	"github.com/urfave/cli/v2"
)

func newMemoryCommand(e *env) *cli.Command {
	fl := []cli.Flag{
		&cli.StringFlag{Name: "models", Value: "lstm,rnn", Usage: "`MODELS`, comma-separated: " + strings.ReplaceAll(modelNames, "|", ",")},
		&cli.IntFlag{Name: "lags", Value: 48, Usage: "farthest lag `K` measured"},
		&cli.IntFlag{Name: "origins", Value: 20, Usage: "the last `N` points are the forecast origins: held out of the fit, forecast one step ahead, and averaged over"},
		&cli.IntFlag{Name: "max-train", Usage: "fit on at most the last `N` points before the origins (default: all)"},
		&cli.StringFlag{Name: "marks", Usage: "`LAGS`, comma-separated, printed in the table and marked in the picture (e.g. 24,168 for hourly data)"},
	}
	fl = append(fl, dataFlags()...)
	fl = append(fl, trainFlags()...)
	fl = append(fl,
		&cli.StringFlag{Name: "plot", Usage: "draw the sensitivities to `FILE` (.png, .svg or .pdf)"},
		&cli.BoolFlag{Name: "json", Usage: "write every lag's sensitivity as JSON"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress or messages on standard error"},
	)
	return &cli.Command{
		Name:      "memory",
		Usage:     "draw where fitted models' forecasts look back: |∂forecast/∂y(t−k)| against the lag k",
		ArgsUsage: "FILE.csv|-",
		Description: `Fits every model of --models on the series without its last --origins points,
then measures, at each of those origins, how much the one-step forecast
changes when the value k steps back changes: |∂forecast/∂y(t−k)| for k = 1 to
--lags, by central differences of the forecast from the perturbed history
(forecast.LagSensitivity), averaged over the origins. It is the picture of a
model's memory on real data: a vanilla RNN's sensitivity falls off
exponentially with k, an LSTM's can reach a weekly (168 h) or yearly (365 d)
lag. Values below the differences' rounding resolution are 0 ("0 and < ...
drawn here" in the picture); a network's sensitivity is 0 beyond its --window.

The table gives, per model, the mean absolute error of the one-step
forecasts at the origins (held out of the fit), the sensitivity at lag 1 and
at each --marks lag, and the farthest lag with a sensitivity above 0.

Examples:
   tsf memory ETTh1.csv --target OT --max-train 4000 --window 192 --lags 192 --marks 24,168 --epochs 10 --plot memory.png
   tsf memory temps.csv --gaps fill --models lstm,rnn,ets --window 380 --lags 380 --marks 7,365 --json`,
		Flags:  fl,
		Action: func(c *cli.Context) error { return runMemory(c, e) },
	}
}

// memoryRequest is the command line of tsf memory, parsed once.
type memoryRequest struct {
	*request
	lags, origins, maxTrain int
	marks                   []int
}

// parseMemory parses and checks the command line of tsf memory.
func parseMemory(c *cli.Context) (*memoryRequest, error) {
	r := &memoryRequest{request: &request{}, lags: c.Int("lags"), origins: c.Int("origins"), maxTrain: c.Int("max-train")}
	if err := r.parseModelsInput(c, "lstm,rnn"); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		flag string
		v    int
	}{{"lags", r.lags}, {"origins", r.origins}} {
		if err := flagspec.CheckCount(f.flag, f.v, 1); err != nil {
			return nil, usage(err)
		}
	}
	if err := flagspec.CheckCount("max-train", r.maxTrain, 0); err != nil {
		return nil, usage(err)
	}
	for _, m := range splitList(c.String("marks")) {
		k, err := strconv.Atoi(m)
		if err != nil || k < 1 {
			return nil, usagef("e.g. --marks 24,168", "--marks: %q is not a lag of 1 or more", m)
		}
		r.marks = append(r.marks, k)
	}
	if err := checkPicturePath(r.plot); err != nil {
		return nil, err
	}
	if err := r.parseSettings(c); err != nil {
		return nil, err
	}
	if err := r.parseHorizon(c); err != nil {
		return nil, err
	}
	if err := r.checkData(); err != nil {
		return nil, err
	}
	return r, nil
}

// memoryResult is one model's measurement.
type memoryResult struct {
	Model string `json:"model"`
	// MAE is the mean absolute error of the one-step forecasts at the
	// origins.
	MAE float64 `json:"mae"`
	// Sensitivity[k-1] is |∂forecast/∂y(t−k)|.
	Sensitivity []float64 `json:"sensitivity"`
	// Reach is the farthest lag with a sensitivity above 0.
	Reach int `json:"reach"`
}

func runMemory(c *cli.Context, e *env) error {
	r, err := parseMemory(c)
	if err != nil {
		return err
	}
	s, err := loadSeries(e, r.request)
	if err != nil {
		return err
	}
	n := s.Len()
	if n <= r.origins+r.lags {
		return withHint(&forecast.ShortError{What: "series " + s.Name, Have: n, Need: r.origins + r.lags + 1,
			Why: fmt.Sprintf("--origins %d held out, each with --lags %d values and one more before it", r.origins, r.lags)},
			"lower --lags or --origins")
	}
	train := s.Slice(0, n-r.origins)
	if r.maxTrain > 0 && train.Len() > r.maxTrain {
		train = s.Slice(train.Len()-r.maxTrain, train.Len())
	}
	h := r.horizonFor(r.seasonOf(s))
	u := r.ui(e)
	var results []memoryResult
	for _, name := range r.models {
		u.printf("%s: fitting %d points, then %d forecasts from %d origins", name, train.Len(), (2*r.lags+1)*r.origins, r.origins)
		res, err := measureMemory(c.Context, name, r.options(name, h), s, train, r.lags, r.origins)
		if err != nil {
			if c.Context.Err() != nil {
				return fmt.Errorf("memory: %w", c.Context.Err())
			}
			return fitError(fmt.Errorf("%s: %w", name, err))
		}
		results = append(results, res)
	}
	if err := writeOutput(e, "-", func(w io.Writer) error {
		if r.json {
			if err := writeJSON(w, results); err != nil {
				return err
			}
			return nil
		}
		return writeMemory(w, s, r.origins, r.marks, results)
	}); err != nil {
		return err
	}
	if r.plot != "" {
		in := plots.SensitivityInput{Title: fmt.Sprintf("%s: where the one-step forecast looks back", s.Name), Marks: r.marks}
		for _, res := range results {
			in.Curves = append(in.Curves, plots.SensitivityCurve{Model: res.Model, Values: res.Sensitivity})
		}
		p, err := plots.LagSensitivity(in)
		if err != nil {
			return fmt.Errorf("--plot %s: %w", r.plot, err)
		}
		if err := savePlot(p, r.plot); err != nil {
			return err
		}
		u.printf("wrote %s", r.plot)
	}
	return nil
}

// measureMemory fits model name on train (the points of s before its last
// origins, or the latest of them) and measures its one-step MAE at the
// last origins points of s and its lag sensitivity there.
func measureMemory(ctx context.Context, name string, o forecast.Options, s, train *dataset.Series, lags, origins int) (memoryResult, error) {
	res := memoryResult{Model: name}
	m, err := forecast.New(name, o)
	if err != nil {
		return res, err
	}
	if err := m.Fit(ctx, train); err != nil {
		return res, err
	}
	hp, ok := m.(forecast.HistoryPredictor)
	if !ok {
		return res, fmt.Errorf("it cannot forecast from a history, so its sensitivity cannot be measured")
	}
	for t := s.Len() - origins; t < s.Len(); t++ {
		fc, err := hp.PredictFrom(s.Slice(0, t), 1)
		if err != nil {
			return res, err
		}
		res.MAE += math.Abs(fc.Values[0] - s.Values[t])
	}
	res.MAE /= float64(origins)
	res.Sensitivity, err = forecast.LagSensitivity(ctx, hp, s, forecast.SensitivityConfig{MaxLag: lags, Origins: origins})
	if err != nil {
		return res, err
	}
	for k, v := range res.Sensitivity {
		if v > 0 {
			res.Reach = k + 1
		}
	}
	return res, nil
}

// writeMemory writes the table of tsf memory.
func writeMemory(w io.Writer, s *dataset.Series, origins int, marks []int, results []memoryResult) error {
	fmt.Fprintf(w, "%s: one-step forecasts from the last %d points (held out of the fit); |∂forecast/∂y(t−k)|\n\n", s.Name, origins)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "model\tMAE\tlag 1\t"
	for _, k := range marks {
		head += fmt.Sprintf("lag %d\t", k)
	}
	fmt.Fprintln(tw, head+"reach\t")
	for _, res := range results {
		row := fmt.Sprintf("%s\t%.4g\t%.3g\t", res.Model, res.MAE, res.Sensitivity[0])
		for _, k := range marks {
			if k <= len(res.Sensitivity) {
				row += fmt.Sprintf("%.3g\t", res.Sensitivity[k-1])
			} else {
				row += "-\t"
			}
		}
		fmt.Fprintln(tw, row+strconv.Itoa(res.Reach)+"\t")
	}
	return tw.Flush()
}
