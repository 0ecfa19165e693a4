package buildinfo_test

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/tsf-go/tsf/internal/buildinfo"
)

// A build from a tagged release, as the go command records it: the tag,
// the commit and its time, and the toolchain.
func Example() {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abcd"},
		{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
	}}
	d := buildinfo.Describe(bi)
	fmt.Println(d[:strings.Index(d, "; ")])
	// Output:
	// v1.2.0 (commit 0123abcd, 2026-12-01T10:00:00Z
}
