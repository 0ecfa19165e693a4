// Package forecast is tsf's user-level API and the core every model family
// builds on: the Forecaster interface, Options and the model registry (New,
// Load), the accuracy metrics, rolling-origin backtests, the many-series
// API (ForecastEach, PredictEach, BacktestEach, BacktestGlobal),
// split-conformal prediction intervals (Conformal, WithIntervals),
// versioned model files, the CSV output, the lag sensitivity of a fitted
// model (LagSensitivity: how much its forecast depends on each past
// value), and the reference baselines (naive, seasonal naive, drift, mean,
// moving average). The model families
// live in sub-packages that register themselves when imported:
// forecast/ets, forecast/theta (Theta and Naive2), forecast/neural (the
// networks and ES-RNN) and forecast/combine (auto and hybrid);
// forecast/all imports every one.
//
// Conventions and invariants:
//
//   - A Forecaster is fitted on a *dataset.Series and forecasts the h steps
//     after it. Any scaling is done inside the Forecaster, fitted on the
//     series it is given, so forecasts, metrics and intervals are always on
//     the original scale of the data and a backtest cannot leak test data
//     into a scaler.
//   - Inputs are never modified. A Forecast owns its slices.
//   - Metrics skip pairs in which either value is NaN and return NaN when no
//     pair is left; the rules for zeros are stated on each metric.
//   - Backtest fold k forecasts the Horizon points from its origin; the
//     Forecaster of that fold is given only points before the origin (at
//     most MaxTrain of them). Results are identical for any number of
//     workers: each fold builds its own Forecaster through a Factory.
//   - Every random choice takes a seed from a config; nothing here uses
//     global randomness.
//   - A Forecast's values and interval bounds are finite: an interval that
//     cannot be computed is left out of Intervals and Forecast.Notes says
//     why; a forecast beyond the float64 range is an ErrNotFinite error.
//   - Bad data (too short, NaN, non-positive values for a multiplicative
//     model) is an error; errors that callers may test are sentinels
//     (ErrTooShort, ErrCorrupt, ErrTruncated, ErrVersion, ErrKind, ...)
//     checked with errors.Is. Programmer misuse (a non-positive horizon
//     passed to a metric helper, mismatched slice lengths) panics with a
//     "forecast: " prefix.
//   - Model files are one file each, written to a temporary file in the same
//     directory and renamed, so a crash never leaves a partial model; see
//     WriteModel for the format.
//
// Models are built by name with New ("naive", "snaive", "drift", "mean",
// "ma", "conformal", and whatever the imported families register with
// Register) and loaded from files with Load, which finds the Constructor by
// the file's kind. A model whose family is not imported is an error that
// names the package to import, never a silently missing model. A new model
// implements Forecaster; to be usable in backtests between refits and by
// `tsf predict` it also implements HistoryPredictor, and to be savable,
// Persistent (mapping itself to a Model: JSON config, named float64
// tensors, scaler JSON and Summary, with its Anchor). Errors for short
// input use ShortError so that messages read "train series has 40 points;
// window 48 + horizon 12 needs at least 60"; CheckHorizon, CheckSeries,
// CheckParams, Forecast.Settle and IntervalLevels are the checks every
// family shares.
//
// Many series: ForecastEach and BacktestEach fit one local model per series
// on a pool of workers; a GlobalModel (a neural model built with
// Options.Global, ES-RNN or Hybrid) is fitted once on the whole collection
// with FitGlobal and forecasts each series from its own history
// (PredictEach, BacktestGlobal), also series it never saw.
//
// Example:
//
//	import _ "github.com/tsf-go/tsf/forecast/all" // every model family
//
//	m, err := forecast.New("ets", forecast.Options{Season: 12})
//	if err != nil {
//		return err
//	}
//	if err := m.Fit(ctx, series); err != nil {
//		return err
//	}
//	fc, err := m.Predict(12)
//	if err != nil {
//		return err
//	}
//	return forecast.WriteCSV(os.Stdout, series, fc)
package forecast
