package flagspec

import (
	"errors"
	"slices"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

func TestParseReadSettings(t *testing.T) {
	base := map[string]string{"missing": "error", "gaps": "error", "delimiter": ","}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for bk, bv := range base {
			if bk != k {
				m[bk] = bv
			}
		}
		return m
	}
	o, err := ParseReadSettings(map[string]string{"missing": "ffill", "gaps": "fill", "delimiter": "tab", "time": "none",
		"target": " a, b ,", "features": "x", "id": "series"})
	if err != nil || o.Missing != dataset.MissingFFill || o.Gaps != dataset.GapFill || o.Delimiter != '\t' || !o.NoTime ||
		!slices.Equal(o.Targets, []string{"a", "b"}) || !slices.Equal(o.Covariates, []string{"x"}) || o.IDColumn != "series" {
		t.Fatalf("got %+v, %v", o, err)
	}
	if o, _ := ParseReadSettings(with("time", "date")); o.TimeColumn != "date" || o.NoTime {
		t.Errorf("--time date: got %+v", o)
	}
	for _, tc := range []struct{ flag, value, msg, hint string }{
		{"missing", "zero", `invalid value "zero" for flag --missing`, "--missing is one of error, drop, ffill, interpolate"},
		{"gaps", "", `invalid value "" for flag --gaps`, "--gaps is one of error, keep, fill"},
		{"delimiter", "|", `invalid value "|" for flag --delimiter`, "--delimiter is one of , ; tab"},
	} {
		_, err := ParseReadSettings(with(tc.flag, tc.value))
		var se *SettingError
		if !errors.As(err, &se) || se.Error() != tc.msg || se.Hint != tc.hint || se.Flag != tc.flag {
			t.Errorf("--%s %q: got %v (%+v); want %q, hint %q", tc.flag, tc.value, err, se, tc.msg, tc.hint)
		}
	}
}
