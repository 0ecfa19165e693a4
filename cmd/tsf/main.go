// Command tsf forecasts time series from CSV files with recurrent neural
// networks (LSTM, GRU, vanilla RNN) and classical baselines, backtests them,
// and draws the pictures that show why an LSTM remembers what an RNN forgets.
//
// Run `tsf --help` for the commands, and `tsf demo` for a tour on built-in
// synthetic data.
package main

import (
	"context"
	"os"
)

func main() {
	ctx, stop := withInterrupt(context.Background(), os.Stderr, os.Exit)
	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
