package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
	}
	tests := []struct {
		name     string
		bi       debug.BuildInfo
		want     []string
		wantNone []string
	}{
		{"release", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: vcs},
			[]string{"v1.2.0 (commit 0123456789abcdef0123456789abcdef01234567, 2026-12-01T10:00:00Z; go1.26.8 "}, []string{"modified"}},
		{"clone with changes", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: append(vcs, debug.BuildSetting{Key: "vcs.modified", Value: "true"})},
			[]string{"(devel) (commit 0123456789abcdef0123456789abcdef01234567, 2026-12-01T10:00:00Z, modified; go1.26.8 "}, nil},
		{"no vcs information", debug.BuildInfo{GoVersion: "go1.26.8"},
			[]string{"(devel) (commit unknown; go1.26.8 "}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Describe(&tc.bi)
			for _, w := range tc.want {
				if !strings.HasPrefix(got, w) {
					t.Errorf("Describe = %q; want it to start with %q", got, w)
				}
			}
			for _, w := range tc.wantNone {
				if strings.Contains(got, w) {
					t.Errorf("Describe = %q; want no %q", got, w)
				}
			}
		})
	}
}
