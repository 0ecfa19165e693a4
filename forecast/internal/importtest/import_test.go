package importtest

import (
	"errors"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/combine"
)

// TestNewNamesPackage: New of a model whose family is not imported is an
// ErrUnknownModel error naming the package to import and forecast/all.
func TestNewNamesPackage(t *testing.T) {
	for name, pkg := range map[string]string{
		"ets":    "github.com/tsf-go/tsf/forecast/ets",
		"theta":  "github.com/tsf-go/tsf/forecast/theta",
		"naive2": "github.com/tsf-go/tsf/forecast/theta",
		"lstm":   "github.com/tsf-go/tsf/forecast/neural",
		"eslstm": "github.com/tsf-go/tsf/forecast/neural",
	} {
		_, err := forecast.New(name, forecast.Options{})
		want := `unknown model "` + name + `": it is registered by package ` + pkg + `; import it, or github.com/tsf-go/tsf/forecast/all for every model`
		if !errors.Is(err, forecast.ErrUnknownModel) || err.Error() != want {
			t.Errorf("New(%q) = %v; want %q", name, err, want)
		}
	}
	// A name no package registers still lists the registered ones.
	if _, err := forecast.New("prophet", forecast.Options{}); err == nil || !strings.HasPrefix(err.Error(), `unknown model "prophet" (known: `) {
		t.Errorf("New(prophet) = %v; want the registered names", err)
	}
	// The imported ones are there.
	for _, name := range []string{"naive", "conformal", "auto", "hybrid"} {
		if _, err := forecast.Lookup(name); err != nil {
			t.Errorf("Lookup(%q) = %v", name, err)
		}
	}
}

// TestLoadNamesPackage: a model file of a kind whose family is not
// imported is an ErrKind error naming the package.
func TestLoadNamesPackage(t *testing.T) {
	_, err := forecast.FromModel(&forecast.Model{Kind: "ets"})
	const want = `wrong model kind: no model of kind "ets" is registered; package github.com/tsf-go/tsf/forecast/ets registers it: import it, or github.com/tsf-go/tsf/forecast/all for every model`
	if !errors.Is(err, forecast.ErrKind) || err.Error() != want {
		t.Errorf("FromModel(kind ets) = %v; want ErrKind naming forecast/ets", err)
	}
}

// TestAutoCandidateNotImported: auto and hybrid refuse a candidate whose
// family is not imported, naming the package, rather than leaving it out.
func TestAutoCandidateNotImported(t *testing.T) {
	_, err := combine.NewAuto(combine.AutoConfig{Candidates: []string{"snaive", "theta"}})
	if !errors.Is(err, forecast.ErrUnknownModel) || !strings.Contains(err.Error(), "github.com/tsf-go/tsf/forecast/theta") {
		t.Errorf("NewAuto(snaive, theta) = %v; want an error naming forecast/theta", err)
	}
	if _, err := forecast.New("auto", forecast.Options{}); !errors.Is(err, forecast.ErrUnknownModel) {
		t.Errorf(`New("auto") with its default candidates unregistered = %v; want ErrUnknownModel`, err)
	}
	if _, err := forecast.New("hybrid", forecast.Options{}); !errors.Is(err, forecast.ErrUnknownModel) {
		t.Errorf(`New("hybrid") with its members unregistered = %v; want ErrUnknownModel`, err)
	}
}
