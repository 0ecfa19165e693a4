package neural

import (
	"testing"

	"github.com/tsf-go/tsf/forecast"
)

// TestSettingsWords: the flag vocabulary of the forecast package (which
// cannot import this package) accepts every value this package names, and
// hands it over unchanged.
func TestSettingsWords(t *testing.T) {
	for flag, words := range map[string][]string{
		"strategy":  {Direct, Recursive},
		"normalize": {NormAuto, NormLast, NormMean, NormSeason, NormNone},
		"combine":   {CombineInverse2, CombineInverse, CombineMean, CombineBest, CombineBestOf},
		"transform": {TransformAuto, TransformLog, TransformNone},
	} {
		for _, w := range words {
			o, err := forecast.ParseSettings("lstm", map[string]string{flag: w})
			if err != nil {
				t.Errorf("ParseSettings(--%s %s) = %v", flag, w, err)
				continue
			}
			if o.Params[flag] != w {
				t.Errorf("ParseSettings(--%s %s) gives Params %v; want %s=%s", flag, w, o.Params, flag, w)
			}
		}
	}
}
