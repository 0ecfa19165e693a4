// Package plots draws tsf's pictures with gonum/plot: forecasts with their
// prediction intervals, model comparisons, loss curves, error against
// dependency length, gradient flow back through time, and backtest errors.
//
// Every function takes a small input struct of plain Go values (time.Time
// slices, []float64) and returns a *plot.Plot; Save writes it as .png, .svg
// or .pdf, chosen by the file's extension. The package imports neither
// forecast nor models: callers copy their numbers into the input structs.
//
// Conventions:
//
//   - Inputs are never modified, and a returned plot keeps no reference to
//     them: changing a slice after the call does not change the picture.
//   - Bad data is an error, never a panic and never a half-drawn plot: NaN or
//     ±Inf values, empty input, mismatched lengths and timestamps out of order
//     give an error starting "plots: <kind>: " that names the field and index,
//     such as "plots: forecast: history[5] is NaN". Nothing to draw wraps
//     ErrNoData.
//   - A zero-valued field means its default (documented per field): an empty
//     Title or axis label gets a sensible one.
//   - Each model has one colour in every plot (ModelColor): lstm, gru, rnn,
//     mlp, naive, snaive, drift, mean, ma and ets are fixed, colour-blind-safe
//     Okabe-Ito and Paul Tol colours; other names get a colour from a hash of
//     the name. Observed data (history, actuals) is black; legend keys that
//     explain line styles (train vs validation, at initialisation vs after
//     training) are grey. Solid lines are trained or point values, dashed ones
//     are validation, initialisation, held-out actuals or baselines.
//   - Axis labels carry units: the caller supplies the value unit (Unit,
//     Loss, Metric fields); time axes are labelled "date", or "time (zone)"
//     for sub-daily data, with ticks on calendar boundaries (new years, first
//     days of months, Mondays, midnights) formatted for the span; integer-
//     indexed series are labelled "step" with whole-number ticks.
//   - Log axes never panic. gonum/plot's LogScale panics on values <= 0, and
//     gradient norms underflow to exact zeros, so tsf draws a log axis as a
//     linear axis of log10 values with ticks at powers of ten. Values below a
//     floor (zeros included) are drawn at the floor, and a dotted line labelled
//     "0 and < 1e-31 drawn here" marks it whenever that happened.
//   - Legends never hide data: a legend goes in the emptiest corner of the
//     data area, or above the data after raising the axis top, or in a strip
//     right of the data. Intervals and seed spreads are translucent bands,
//     the wider one lighter.
//   - Save writes a temporary file in the target's directory and renames it,
//     so a failed save leaves no partial file. PNGs are rendered at PNGDPI.
package plots
