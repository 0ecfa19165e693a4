// Package combine provides the forecasters that combine other models by
// name: Auto, which chooses or weights its candidates by their error on a
// holdout of each series, and Hybrid, tsf's default for a collection: one
// global network combined with ETS and Theta, weighted and given intervals
// on every series' last Horizon points, pooled. Importing it registers
// "auto" and "hybrid" with the forecast package.
//
// Invariants:
//
//   - Members are built with forecast.New, so their families must be
//     imported (forecast/all imports every one). A candidate or member
//     whose family is not imported is an error from NewAuto or NewHybrid
//     naming the package to import, never a silently missing candidate.
//   - Same seed, same data → the same weights, forecasts and model file,
//     whatever the number of workers.
//   - A member that fails on a series is skipped and reported (Members,
//     Skipped); the combination's values and bounds are always finite.
//   - The model files (kinds "auto" and "hybrid") embed their members'
//     files, so a loaded combination forecasts bit for bit as the saved
//     one; hybrid_file.go is Hybrid's format.
//
// Example:
//
//	import _ "github.com/tsf-go/tsf/forecast/all" // the members
//
//	hy, err := combine.NewHybrid(combine.HybridConfig{Horizon: 12})
//	if err != nil {
//		return err
//	}
//	if err := hy.FitGlobal(ctx, series); err != nil {
//		return err
//	}
//	fcs := forecast.PredictEach(ctx, hy, series, 12, 0, nil)
package combine
