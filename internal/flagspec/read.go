package flagspec

import (
	"slices"
	"strings"

	"github.com/tsf-go/tsf/dataset"
)

// DataFlag is a flag that says how to read the input CSV, as both front
// ends define it.
type DataFlag struct {
	// Name is the flag's name, without dashes; Alias its one-letter
	// alias, or "".
	Name, Alias string
	// Default is the value when the flag is not given.
	Default string
	// Usage is the help text; a word in back quotes names the value.
	Usage string
	// LongUsage, if set, is the help text of a front end that reads long
	// files only (tsf-beam), where Usage speaks of wide files too.
	LongUsage string
}

// dataFlags is the table DataFlags returns, in help order.
var dataFlags = []DataFlag{
	{Name: "target", Alias: "y", Usage: "target `COLUMN` (default: the only value column); several, comma-separated, are each a series",
		LongUsage: "target `COLUMN` (default: the only value column)"},
	{Name: "time", Usage: "time `COLUMN` (default: the first column that parses as time; \"none\" for an integer index)"},
	{Name: "features", Usage: "covariate `COLUMNS`, comma-separated (past-observed inputs of the neural models)",
		LongUsage: "covariate `COLUMNS`, comma-separated"},
	{Name: "missing", Default: "error", Usage: "missing values: `POLICY` error, drop, ffill or interpolate"},
	{Name: "gaps", Default: "error", Usage: "absent timestamps: `POLICY` error, keep or fill"},
	{Name: "delimiter", Default: ",", Usage: "field `SEPARATOR`: , ; or tab"},
}

// DataFlags returns the data flags but --id (whose help each command
// words), in help order. The slice is the caller's.
func DataFlags() []DataFlag { return slices.Clone(dataFlags) }

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
