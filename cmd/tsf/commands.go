package main

import "github.com/urfave/cli/v2"

// commands lists every subcommand, one file each.
func commands(e *env) []*cli.Command {
	return []*cli.Command{
		newForecastCommand(e),
		newTrainCommand(e),
		newPredictCommand(e),
		newBacktestCommand(e),
		newCompareCommand(e),
		newGenerateCommand(e),
		newBenchCommand(e),
		newDemoCommand(e),
		newLongdepCommand(e),
		newGradflowCommand(e),
		newMemoryCommand(e),
		newCompletionCommand(e),
	}
}
