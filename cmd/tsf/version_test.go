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
	if linkedWorktree() {
		t.Logf("a linked git worktree, where the go command stamps no commit (golang/go#58218): %s", got)
		return
	}
	if want := "commit " + strings.TrimSpace(string(head)); !strings.Contains(got, want) {
		t.Errorf("tsf --version = %q; want it to name %q", got, want)
	}
}

// linkedWorktree reports whether the tests run in a linked git worktree
// (git worktree add), whose .git is a file: the go command looks for a .git
// directory and stamps no VCS information there (golang/go#58218).
func linkedWorktree() bool {
	out, err := exec.Command("git", "rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir").Output()
	f := strings.Fields(string(out))
	return err == nil && len(f) == 2 && f[0] != f[1]
}
