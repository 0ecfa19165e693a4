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
A Ctrl-C during training saves the best weights found so far.

Examples:
   tsf train sales.csv --target sales --horizon 12 --save sales.tsf
   tsf train load.csv --model gru --window 96 --horizon 24 --epochs 200 --save load.tsf
   tsf predict --model-file sales.tsf new-sales.csv`,
		Flags:  flags,
		Action: func(c *cli.Context) error { return runFit(c, e, true) },
	}
}
