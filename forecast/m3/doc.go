// Package m3 is the M3 forecasting competition as a benchmark for tsf: it
// loads the 3003 series, their test values and the competitors' forecasts
// (../shared/data/m3: m3_train.csv, m3_test.csv, m3_forecasts.csv), scores
// forecasts the way the competition's reference table does, and runs any
// tsf model over the histories.
//
// Conventions:
//
//   - Series keep the competition's order (yearly, quarterly, monthly,
//     other) and names (Y1..Y645, Q1..Q756, M1..M1428, O1..O174); every
//     per-series slice of a Run is indexed like Data.Series.
//   - Each group has a fixed horizon and seasonal period: yearly h = 6,
//     m = 1; quarterly h = 8, m = 4; monthly h = 18, m = 12; other h = 8,
//     m = 1. Monthly, quarterly and yearly histories carry their calendar
//     time (dataset.Monthly, Quarterly, Annual), so models infer the same
//     season; other histories are integer-indexed.
//   - Per series, over the h test steps: sMAPE = mean 200|y−f|/(|y|+|f|);
//     MASE = MAE over the in-sample MAE of the seasonal naive forecast
//     with lag m; coverage = the share of test values inside the 80 % and
//     95 % intervals; MSIS = the mean interval score of the 95 % interval
//     (Gneiting & Raftery 2007, as in M4) over the same seasonal-naive MAE.
//     A group's figure is the plain mean over its series, and "all" is the
//     plain mean over all series scored. The metric functions are
//     forecast.SMAPE, forecast.MASE, forecast.IntervalCoverage and
//     forecast.MSIS.
//   - A model that fails on one series records the error for that series
//     and goes on with the others; the tables say how many were missing.
//   - Results depend only on the data, the model and Config.Seed, never on
//     Config.Workers.
package m3
