// Package ets provides ETS, Holt-Winters exponential smoothing in its
// state-space form, chosen among its variants by AICc as R's ets() does,
// with prediction intervals from the fitted model. Importing it registers
// the model "ets" with the forecast package (Params "trend" and "season").
//
// Invariants:
//
//   - Fitting is deterministic: the same series and ETSConfig give the same
//     parameters, forecasts and intervals (simulated intervals use the
//     seeded stream of ETSConfig.Seed).
//   - The series is scaled by a power of two before fitting and forecasts
//     are scaled back, so fits do not overflow and scaling the data scales
//     the forecasts exactly.
//   - A multiplicative season needs positive values; anything else the
//     model cannot use is forecast.ErrBadData, a series too short for the
//     variant forecast.ErrTooShort.
//   - Every interval bound is finite; an interval that cannot be computed
//     is left out and the Forecast's Notes say why.
//   - The model file (kind "ets") round-trips bit for bit; ets_file.go is
//     its format, ets_interval.go its intervals.
//
// Example:
//
//	e := ets.NewETS(ets.ETSConfig{Trend: "damped"})
//	if err := e.Fit(ctx, series); err != nil {
//		return err
//	}
//	fc, err := e.Predict(12) // fc.Intervals holds 80 % and 95 % intervals
package ets
