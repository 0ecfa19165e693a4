// Package windowing turns series into sliding windows, mini-batches and
// stateful streams for training recurrent models.
//
// Conventions and invariants:
//
//   - A window is a view, not a copy: Windows stores the series and one
//     offset per series, so memory is O(total series length) whatever the
//     input length W. Window.X and Window.Y are subslices of Series.Values.
//   - Windows never cross a series boundary. They never cross a
//     train/validation/test boundary either: build them on the parts of a
//     dataset.Split (each part is a capped view and cannot reach the next).
//   - Buffers are time-major and contiguous, the layout models/ consumes:
//     inputs x[(t*B+b)*In+i] with In = 1 + number of covariates and the
//     target in feature 0; window targets y[b*H+h]; stream targets
//     y[(t*B+b)*H+h]. Batches and chunks are caller-owned and reused: Fill
//     does not allocate.
//   - Randomness is injected: shuffling takes a *rand.Rand (math/rand/v2);
//     a nil source means time order. Same seed, same batches.
//   - Bad configuration or too-short series are errors (wrapping
//     dataset.ErrTooShort where length is the problem); programmer misuse
//     (a batch too small for the ids given, an index out of range) panics
//     with a "windowing: " prefix.
package windowing
