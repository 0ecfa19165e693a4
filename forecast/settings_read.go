package forecast

import (
	"strings"

	"github.com/tsf-go/tsf/dataset"
)

// ReadSettingNames are the data flags a command line gives to say how to
// read its CSV input: target, time, features, missing, gaps, delimiter and
// id. ParseReadSettings turns their values into dataset.Options.
var ReadSettingNames = []string{"target", "time", "features", "missing", "gaps", "delimiter", "id"}

// ParseReadSettings checks the data flags' values (name → value as typed,
// a flag's default included; an absent name is an empty value) and returns
// the dataset.Options they say: missing is error, drop, ffill or
// interpolate; gaps error, keep or fill; delimiter , ; or tab; time a
// column, or "none" for an integer index; target and features
// comma-separated columns; id the series-id column of a long file. A bad
// value is a *SettingError.
func ParseReadSettings(values map[string]string) (dataset.Options, error) {
	var o dataset.Options
	bad := func(flag, hint string) error {
		return &SettingError{Flag: flag, Kind: SettingText, Value: values[flag], Hint: hint}
	}
	switch m := dataset.MissingPolicy(values["missing"]); m {
	case dataset.MissingReject, dataset.MissingDrop, dataset.MissingFFill, dataset.MissingInterpolate:
		o.Missing = m
	default:
		return o, bad("missing", "--missing is one of error, drop, ffill, interpolate")
	}
	switch g := dataset.GapPolicy(values["gaps"]); g {
	case dataset.GapReject, dataset.GapKeep, dataset.GapFill:
		o.Gaps = g
	default:
		return o, bad("gaps", "--gaps is one of error, keep, fill")
	}
	switch values["delimiter"] {
	case ",", "":
	case ";":
		o.Delimiter = ';'
	case "tab", "\t", `\t`:
		o.Delimiter = '\t'
	default:
		return o, bad("delimiter", "--delimiter is one of , ; tab")
	}
	switch t := values["time"]; t {
	case "":
	case "none":
		o.NoTime = true
	default:
		o.TimeColumn = t
	}
	o.Targets = columns(values["target"])
	o.Covariates = columns(values["features"])
	o.IDColumn = values["id"]
	return o, nil
}

// columns splits a comma-separated list of column names.
func columns(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
