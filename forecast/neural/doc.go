// Package neural provides tsf's neural forecasters: Neural, the local or
// global RNN, LSTM, GRU or MLP forecaster built on the models package, and
// ESRNN, Smyl's ES-RNN (per-series exponential smoothing learned together
// with one global dilated LSTM or RNN). Importing it registers "lstm",
// "gru", "rnn", "mlp", "eslstm" and "esrnn" with the forecast package.
//
// Invariants:
//
//   - Same seed, same data, same Config → the same weights, forecasts and
//     model file, whatever the number of workers or GOMAXPROCS.
//   - Scaling and window normalisation are fitted inside the model on the
//     series it is given, so forecasts and intervals are on the original
//     scale and a backtest cannot leak test data into them.
//   - Intervals are conformal, from validation residuals; one that cannot
//     be computed (too few residuals) is left out and the Forecast's Notes
//     say why. No value or bound is NaN or infinite.
//   - A global model (NeuralConfig.Global, ESRNN) is fitted once with
//     FitGlobal and forecasts any series from its history with
//     PredictFrom; a series it cannot use is skipped and listed by
//     Skipped, never silently dropped.
//   - Files: neural*.go are Neural, eslstm*.go ESRNN; each has one file
//     for its model file format (neural_file.go, eslstm_file.go) and one
//     for its intervals (neural_interval.go; ESRNN's quantiles are
//     outputs of its network, eslstm_loss.go).
//
// Example:
//
//	n, err := neural.NewNeural(neural.NeuralConfig{Model: "lstm", Horizon: 12, Seed: 1})
//	if err != nil {
//		return err
//	}
//	if err := n.Fit(ctx, series); err != nil {
//		return err
//	}
//	fc, err := n.Predict(12)
package neural
