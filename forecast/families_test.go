package forecast_test

// The core's tests build models of every family by name (ParseSettings
// checks --candidates against the registered names, examples back-test
// ETS); an external test file may import the families, which import the
// core, so the test binary registers them all.
import _ "github.com/tsf-go/tsf/forecast/all"
