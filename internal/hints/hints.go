// Package hints holds what tsf and tsf-beam say to do about an error, one
// line after the error itself ("tsf: hint: ..."), so that the two front ends
// give a user the same advice word for word. Each function returns "" for
// an error it has no advice for.
package hints

import (
	"errors"
	"os"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/neural"
)

// Data says what to do about an error of the data loader (package
// dataset). A file that does not exist is the front end's to word (a path
// in tsf, a path or glob in tsf-beam).
func Data(err error) string {
	switch {
	case errors.Is(err, os.ErrPermission):
		return "check the file's permissions"
	case errors.Is(err, dataset.ErrColumn):
		return "name columns with --id, --target, --time and --features exactly as in the header"
	case errors.Is(err, dataset.ErrNotNumber):
		return "fix the cell, or mark it missing (empty or NA) and choose --missing drop|ffill|interpolate"
	case errors.Is(err, dataset.ErrMissing):
		return "choose what to do with them: --missing drop|ffill|interpolate"
	case errors.Is(err, dataset.ErrGaps):
		return "fill the absent steps with --gaps fill, or accept an irregular index with --gaps keep"
	case errors.Is(err, dataset.ErrBadTime):
		return "name the time column with --time, or --time none for an integer index"
	case errors.Is(err, dataset.ErrUnsorted):
		return "sort the file by time and remove duplicate timestamps"
	case errors.Is(err, dataset.ErrEmpty):
		return "the file needs a header line and at least one data row"
	case errors.Is(err, dataset.ErrRagged), errors.Is(err, dataset.ErrCSV):
		return "every row needs as many fields as the header; check quotes and --delimiter"
	case errors.Is(err, dataset.ErrNoID):
		return "give every row an id in the --id column"
	}
	return Fit(err)
}

// Fit says what to do about a fit that failed: a series too short for the
// model, a diverged network, values the model cannot take, a horizon it
// does not support.
func Fit(err error) string {
	switch {
	case errors.Is(err, forecast.ErrTooShort):
		return "use a longer series, or a smaller --window or --horizon"
	case errors.Is(err, neural.ErrDiverged):
		return "lower --lr, or clip gradients with --clip 1"
	case errors.Is(err, forecast.ErrBadData):
		return "the model needs other values (positive ones for a multiplicative or log model); try another --model"
	case errors.Is(err, forecast.ErrHorizon):
		return "choose a --horizon the model supports"
	}
	return ""
}

// ModelFile says what to do about a model file that cannot be used.
func ModelFile(err error) string {
	switch {
	case errors.Is(err, forecast.ErrCorrupt), errors.Is(err, forecast.ErrTruncated):
		return "the file is damaged or not a tsf model; train it again with tsf train --save"
	case errors.Is(err, forecast.ErrVersion):
		return "the model was written by another version of tsf; train it again"
	case errors.Is(err, forecast.ErrKind):
		return "this tsf does not know that kind of model"
	}
	return "check the path of --model-file"
}
