package main

import (
	"errors"
	"os"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
)

// dataHint says what to do about an error of the core loader: the hints
// tsf prints (cmd/tsf's dataHint), word for word but for a missing file,
// so that a file tsf-beam cannot start on reads as in tsf.
// TestAgreesWithTSF holds the two to the same text.
func dataHint(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "check the path or glob"
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
	case errors.Is(err, dataset.ErrTooShort):
		return "use a longer series, or a smaller --window or --horizon"
	}
	return ""
}

// fitHint says what to do about a global fit that failed: the hints of
// cmd/tsf's fitError, word for word.
func fitHint(err error) string {
	switch {
	case errors.Is(err, forecast.ErrTooShort):
		return "use a longer series, or a smaller --window or --horizon"
	case errors.Is(err, forecast.ErrDiverged):
		return "lower --lr, or clip gradients with --clip 1"
	case errors.Is(err, forecast.ErrBadData):
		return "a multiplicative model needs positive values; try another --model"
	case errors.Is(err, forecast.ErrHorizon):
		return "choose a --horizon the model supports"
	}
	return ""
}

// modelFileHint says what to do about a model file that cannot be used:
// cmd/tsf's hints for --model-file.
func modelFileHint(err error) string {
	switch {
	case errors.Is(err, forecast.ErrCorrupt), errors.Is(err, forecast.ErrTruncated):
		return "the file is damaged or not a tsf model; train it again with tsf train --save"
	case errors.Is(err, forecast.ErrVersion):
		return "the model was written by another version of tsf; train it again"
	case errors.Is(err, forecast.ErrKind):
		return "this tsf does not know that kind of model"
	case errors.Is(err, forecast.ErrNoHistory):
		return "tsf-beam forecasts every series from its history: save a model that can (tsf train --id --global, or a hybrid)"
	}
	return "check the path of --model-file"
}
