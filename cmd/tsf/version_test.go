package main

import (
	"os/exec"
	"strings"
	"testing"
)

// testVersion checks tsf --version on the built binary: the version line,
// and the commit of the checkout it was built from.
func testVersion(t *testing.T, bin string) {
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("tsf --version: %v", err)
	}
	got := string(out)
	if !strings.HasPrefix(got, "tsf version ") || strings.Count(got, "\n") != 1 {
		t.Fatalf("tsf --version = %q; want one line \"tsf version ...\"", got)
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		// Not a git checkout (a module download): the go command stamps
		// the module version instead; nothing more to compare.
		t.Logf("no git checkout (%v): %s", err, got)
		return
	}
	if want := "commit " + strings.TrimSpace(string(head)); !strings.Contains(got, want) {
		t.Errorf("tsf --version = %q; want it to name %q", got, want)
	}
}
