// Package dataset loads time series from CSV (through gota), parses and
// checks their time index, handles missing values, scales and splits them,
// and generates the synthetic series the demo and the studies use.
//
// Conventions: a Series is a value and is never modified after it leaves the
// loader; bad data is reported as an error naming the file, row and column;
// programmer misuse (out-of-range slices) panics with a "dataset: " prefix.
package dataset
