package main

import (
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
			if c.String("model-file") == "" {
				return usagef("name the model saved by tsf train: tsf predict --model-file MODEL.tsf FILE.csv", "missing flag --model-file")
			}
			if _, err := inputArg(c); err != nil {
				return err
			}
			if c.IsSet("horizon") && c.Int("horizon") < 1 {
				return usagef("--horizon is the number of steps to forecast, at least 1", "invalid value %d for flag --horizon", c.Int("horizon"))
			}
			if err := checkPicturePath(c.String("plot")); err != nil {
				return err
			}
			if err := checkOutputPath("out", c.String("out")); err != nil {
				return err
			}
			path := c.String("model-file")
			m, err := forecast.Load(path)
			if err != nil {
				return withHint(fmt.Errorf("--model-file: %w", unwrapPathError(err)), modelFileHint(err))
			}
			in, err := loadInput(c, e)
			if err != nil {
				return err
			}
			h := c.Int("horizon")
			if h == 0 {
				h = trainedHorizon(m)
			}
			if in.many() {
				return runPredictMany(c, e, in, m, h)
			}
			s := in.series[0]
			f, err := forecast.PredictFrom(m, s, h)
			if err != nil {
				return fitError(fmt.Errorf("%s: %w", c.Args().First(), err))
			}
			if err := writeForecast(c, e, s, f, nil); err != nil {
				return err
			}
			if p := c.String("plot"); p != "" {
				pl, err := forecastPlot(s, f, s.Name)
				if err != nil {
					return err
				}
				return savePlot(pl, p)
			}
			return nil
		},
	}
}

// trainedHorizon is the horizon a loaded model was trained or calibrated
// for (forecast.TrainedHorizon).
func trainedHorizon(m forecast.Forecaster) int { return forecast.TrainedHorizon(m) }

// modelFileHint says what to do about a --model-file that cannot be used
// (hints.ModelFile, which tsf-beam shares).
func modelFileHint(err error) string { return hints.ModelFile(err) }
