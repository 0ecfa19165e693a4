// Package theta provides the Theta method as entered in the M3 competition
// (Assimakopoulos and Nikolopoulos 2000, with R forecast's thetaf
// seasonality test and intervals) and Naive2, M3's seasonally adjusted
// naive benchmark, which share the classical seasonal adjustment.
// Importing it registers the models "theta" and "naive2" with the forecast
// package.
//
// Invariants:
//
//   - A seasonal period is used only when the series passes thetaf's 90 %
//     autocorrelation test at that lag and has at least two seasons; the
//     forecast is re-seasonalised with the same indices.
//   - Fitting is deterministic and closed-form (SES by a bounded search),
//     and scaling the data scales the forecasts exactly.
//   - Theta's intervals are finite or left out, with the Forecast's Notes
//     saying why; Naive2 gives none.
//   - Theta's model file (kind "theta", theta_file.go) round-trips bit for
//     bit.
//
// Example:
//
//	th := theta.NewTheta(theta.ThetaConfig{})
//	if err := th.Fit(ctx, series); err != nil {
//		return err
//	}
//	fc, err := th.Predict(18)
package theta
