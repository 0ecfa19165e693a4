package main

import "github.com/urfave/cli/v2"

func newTrainCommand(e *env) *cli.Command {
	fc := newForecastCommand(e)
	var flags []cli.Flag
	for _, f := range fc.Flags {
		switch f.Names()[0] {
		case "out", "plot", "json", "workers":
			continue
		}
		flags = append(flags, f)
	}
	return &cli.Command{
		Name:      "train",
		Usage:     "fit a model on a CSV series and save it (--save, required)",
		ArgsUsage: "FILE.csv|-",
		Description: `Fits the model exactly as tsf forecast does (same flags, same defaults) and
saves it to --save, a checksummed model file written atomically. Forecast
from it later, on new history and without retraining, with tsf predict.
A Ctrl-C (or SIGTERM) stops training, saves nothing and leaves --save as it
was (exit 130).

Many series: with --id COLUMN (a long file, one row per series and time) and
no --model, the collection default, hybrid, is fitted on every series (one
global ES-LSTM combined with ets and theta, weights and intervals chosen on
every series' last --horizon points) and saved as one model file; with
--global, one neural network (lstm, gru, rnn or mlp) trained on the windows
of every series, each window normalised on its own. tsf predict --id
forecasts any series from its history with either, including series it never
saw. A local model (--model ets, theta, ...) without --global is refused
(exit 2): a model file holds one model, and per-series local model files are
not supported; tsf forecast --id fits and forecasts each series with its own
model in one go.

Examples:
   tsf train sales.csv --target sales --horizon 12 --save sales.tsf
   tsf train load.csv --model gru --window 96 --horizon 24 --epochs 200 --save load.tsf
   tsf predict --model-file sales.tsf new-sales.csv
   tsf train stores.csv --id store --target sales --global --horizon 8 --save stores.tsf
   tsf predict --model-file stores.tsf new-stores.csv --id store --target sales --out fc.csv`,
		Flags: flags,
		Action: func(c *cli.Context) error {
			r, err := parseFit(c, true)
			if err != nil {
				return err
			}
			return runFit(c.Context, e, r)
		},
	}
}
