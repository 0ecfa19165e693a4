// Package dataset loads time series from CSV (through gota), parses and
// checks their time index, handles missing values, scales and splits them,
// and generates the synthetic series the demo and the studies use.
//
// Conventions and invariants:
//
//   - A Series is a value and is never modified after it leaves the loader;
//     Slice and Split return views that share memory and are capped, so a
//     training view cannot reach validation or test data.
//   - A Series that leaves the loader has no NaN: every cell is a finite
//     number, a missing-value token handled by the chosen MissingPolicy, or
//     an error. Its time index is strictly increasing.
//   - Bad data is an error naming the file, the row and the column, with
//     the offending text (*CellError, *FileError, *MissingError, *GapError),
//     wrapping a sentinel (ErrNotNumber, ErrUnsorted, ErrMissing, ErrGaps,
//     ErrTooShort, ...) for errors.Is.
//   - Rows are counted as a user counts lines of the file: the header is
//     row 1, the first data row is row 2.
//   - A series id (Options.IDColumn) is the CSV field verbatim, byte for
//     byte after unquoting: never trimmed, so " a" and "a" are two series
//     and an id written back reads back the same. Header names, times and
//     values are trimmed of surrounding spaces.
//   - encoding/csv reads the file (exact line numbers, ragged rows caught:
//     a row with the wrong number of fields fails the read, or in a long
//     file, when the row has its id field, only that row's series);
//     the columns then form a gota DataFrame of String series (no type
//     guessing, no NaN tokens) and dataset parses numbers and times itself,
//     so gota never decides what a cell means, and a gota panic becomes an
//     error.
//   - Calendar frequencies step by calendar months (month ends stay month
//     ends); Series.Format writes times back in the input's own layout.
//   - Scalers are fitted on the series they are given (the training part)
//     and are plain data (exported fields, JSON tags) for model files.
//   - Randomness is injected: generators take a *rand.Rand (math/rand/v2).
//   - Programmer misuse (out-of-range slices, undersized buffers, an unfitted
//     Scaler) panics with a "dataset: " prefix.
package dataset
