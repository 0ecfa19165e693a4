package main

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/internal/hints"

	"github.com/tsf-go/tsf/forecast"
	"github.com/urfave/cli/v2"
)

func newPredictCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "predict",
		Usage:     "forecast from a saved model with new history, without retraining",
		ArgsUsage: "FILE.csv|-",
		Description: `Loads a model saved by tsf train (or tsf forecast --save) and forecasts the
steps after the end of FILE.csv with the model's fitted parameters: nothing is
retrained. The history must have the columns the model was trained with and
at least its window of points. Output as in tsf forecast.

Many series: with --id COLUMN (a long file) or a file of several value
columns, every series is forecast from its own history with the one model,
including series it never saw (a global model: tsf train --id --global),
on --workers cores at once. Output, failures and exit status as in
tsf forecast --id.

Examples:
   tsf predict --model-file sales.tsf sales-2024.csv
   tsf predict --model-file load.tsf --horizon 24 --json - < load.csv
   tsf predict --model-file air.tsf air.csv --target passengers --plot next.png
   tsf predict --model-file stores.tsf stores-2025.csv --id store --target sales --out fc.csv`,
		Flags: append(append([]cli.Flag{
			&cli.StringFlag{Name: "model-file", Aliases: []string{"f"}, Usage: "the saved model `FILE` (required)"},
			&cli.IntFlag{Name: "horizon", Aliases: []string{"H"}, Usage: "forecast `STEPS` (default: the horizon the model was trained for)"},
			idFlag("every series is forecast from its history, output is one long CSV"),
		}, dataFlags()...),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the forecast CSV to `FILE` (- for standard output)"},
			&cli.StringFlag{Name: "plot", Usage: "draw the forecast to `FILE` (.png, .svg or .pdf)"},
			&cli.BoolFlag{Name: "json", Usage: "write one JSON document to standard output"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no messages on standard error"},
			workersFlag(),
		),
		Action: func(c *cli.Context) error {
			r, err := parsePredict(c)
			if err != nil {
				return err
			}
			m, err := forecast.Load(r.modelFile)
			if err != nil {
				return withHint(fmt.Errorf("--model-file: %w", unwrapPathError(err)), modelFileHint(err))
			}
			if err := r.checkData(); err != nil {
				return err
			}
			return runPredict(c.Context, e, r, m)
		},
	}
}

// runPredict forecasts the request's input from its history with the
// loaded model m.
func runPredict(ctx context.Context, e *env, r *request, m forecast.Forecaster) error {
	in, err := loadInput(e, r)
	if err != nil {
		return err
	}
	h := r.horizon
	if h == 0 {
		h = trainedHorizon(m)
	}
	if in.many() {
		return runPredictMany(ctx, e, r, in, m, h)
	}
	s := in.series[0]
	f, err := forecast.PredictFrom(m, s, h)
	if err != nil {
		return fitError(fmt.Errorf("%s: %w", r.path, err))
	}
	if err := writeForecast(e, r, s, f, nil); err != nil {
		return err
	}
	return plotForecast(r, s, f)
}

func trainedHorizon(m forecast.Forecaster) int { return forecast.TrainedHorizon(m) }

// modelFileHint says what to do about a --model-file that cannot be used
// (hints.ModelFile, which tsf-beam shares).
func modelFileHint(err error) string { return hints.ModelFile(err) }
