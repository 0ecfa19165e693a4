// Package buildinfo describes the running binary's build (module version,
// commit, Go version), for the --version of tsf and tsf-beam alike.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Version describes this build from the information the go command embeds
// in the binary (runtime/debug.ReadBuildInfo): what `tsf --version` and
// `tsf-beam --version` print after their names.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Sprintf("(devel) (no build information; %s %s/%s)", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	}
	return Describe(bi)
}

// Describe says which module version and which commit bi is: for
// example "v1.2.0 (commit 0123abcd…, 2026-12-01T10:00:00Z; go1.26.8
// linux/amd64)". A binary built with go install from a tagged release shows
// the tag; one built from a clone shows the pseudo-version the go command
// derives from the commit, or "(devel)", and the commit, marked "modified"
// when the tree had uncommitted changes. Without version-control
// information (go build -buildvcs=false, go run) it says so.
func Describe(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	var vcs []string
	if rev := settings["vcs.revision"]; rev != "" {
		vcs = append(vcs, "commit "+rev)
		if t := settings["vcs.time"]; t != "" {
			vcs = append(vcs, t)
		}
		if settings["vcs.modified"] == "true" {
			vcs = append(vcs, "modified")
		}
	} else {
		vcs = append(vcs, "commit unknown")
	}
	goVersion := bi.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return fmt.Sprintf("%s (%s; %s %s/%s)", v, strings.Join(vcs, ", "), goVersion, runtime.GOOS, runtime.GOARCH)
}
