package forecast

import (
	"errors"
	"strings"
	"testing"
)

// TestFamiliesTable: the test binary imports every family (families_test.go),
// so every registered name is either the core's or in the families table,
// and every name in the table is registered: the table that New and Load
// use to name the package to import cannot drift from the packages.
func TestFamiliesTable(t *testing.T) {
	core := map[string]bool{"naive": true, "snaive": true, "drift": true, "mean": true, "ma": true, "conformal": true}
	registered := map[string]bool{}
	for _, n := range Names() {
		registered[n] = true
		if _, ok := families[n]; !ok && !core[n] {
			t.Errorf("%q is registered by a family but missing from families", n)
		}
	}
	for n, pkg := range families {
		if !registered[n] {
			t.Errorf("families names %q (%s), which registers no such model", n, pkg)
		}
		if !strings.HasPrefix(pkg, "github.com/tsf-go/tsf/forecast/") {
			t.Errorf("families[%q] = %q; want a forecast sub-package", n, pkg)
		}
	}
}

// TestLookupUnregisteredFamily: with a family's name unregistered, New and
// FromModel name the package to import.
func TestLookupUnregisteredFamily(t *testing.T) {
	registry.Lock()
	c := registry.m["theta"]
	delete(registry.m, "theta")
	registry.Unlock()
	t.Cleanup(func() {
		registry.Lock()
		registry.m["theta"] = c
		registry.Unlock()
	})
	_, err := New("theta", Options{})
	if !errors.Is(err, ErrUnknownModel) || !strings.Contains(err.Error(), "github.com/tsf-go/tsf/forecast/theta") ||
		!strings.Contains(err.Error(), AllPackage) {
		t.Errorf("New(theta) unregistered = %v; want ErrUnknownModel naming forecast/theta and forecast/all", err)
	}
	_, err = FromModel(&Model{Kind: "theta"})
	if !errors.Is(err, ErrKind) || !strings.Contains(err.Error(), "github.com/tsf-go/tsf/forecast/theta") {
		t.Errorf("FromModel(kind theta) unregistered = %v; want ErrKind naming forecast/theta", err)
	}
}
