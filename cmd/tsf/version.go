package main

import "github.com/tsf-go/tsf/internal/buildinfo"

// version describes this build: module version, commit and Go version
// (buildinfo.Version, shared with the other front end).
func version() string { return buildinfo.Version() }
