package main

import (
	"errors"
	"os"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/hints"
)

// dataHint says what to do about an error of the core loader: tsf's words
// (hints.Data), but for a missing file, which tsf-beam may have been given
// as a glob.
func dataHint(err error) string {
	if errors.Is(err, os.ErrNotExist) {
		return "check the path or glob"
	}
	return hints.Data(err)
}

// fitHint says what to do about a global fit that failed (hints.Fit, as
// tsf says it).
func fitHint(err error) string { return hints.Fit(err) }

// modelFileHint says what to do about a model file that cannot be used:
// tsf's words (hints.ModelFile), and for a model that cannot forecast from
// history, what tsf-beam needs instead.
func modelFileHint(err error) string {
	if errors.Is(err, forecast.ErrNoHistory) {
		return "tsf-beam forecasts every series from its history: save a model that can (tsf train --id --global, or a hybrid)"
	}
	return hints.ModelFile(err)
}
