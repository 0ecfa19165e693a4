package plots

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

func samplePlot(t *testing.T) *plot.Plot {
	t.Helper()
	p, err := Backtest(backtestHorizonFixture())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSaveFormats(t *testing.T) {
	magic := map[string][]byte{
		"a.png": []byte("\x89PNG"),
		"b.SVG": []byte("<?xml"),
		"c.pdf": []byte("%PDF"),
	}
	dir := t.TempDir()
	p := samplePlot(t)
	for name, want := range magic {
		path := filepath.Join(dir, name)
		if err := Save(p, path, 0, 0); err != nil {
			t.Fatalf("Save(%s): %v", name, err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(got, want) {
			t.Errorf("Save(%s) wrote %q...; want it to start with %q", name, got[:min(8, len(got))], want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(magic) {
		t.Errorf("dir holds %d files after saving %d; temp files left behind?", len(entries), len(magic))
	}
}

func TestSaveOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(samplePlot(t), path, 0, 0); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.HasPrefix(got, []byte("\x89PNG")) {
		t.Errorf("Save over an old file left %q", got[:min(8, len(got))])
	}
}

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "readonly")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
	}{
		{"parent is a file", filepath.Join(file, "x.pdf"), "not a directory"},
		{"unknown extension", filepath.Join(dir, "x.gif"), `unknown image format ".gif" (want .png, .svg or .pdf)`},
		{"no extension", filepath.Join(dir, "x"), `unknown image format ""`},
		{"missing dir", filepath.Join(dir, "nope", "x.png"), "no such file or directory"},
		{"unwritable dir", filepath.Join(ro, "x.svg"), "permission denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "unwritable dir" && os.Geteuid() == 0 {
				t.Skip("running as root: permissions are not enforced")
			}
			err := Save(samplePlot(t), tc.path, 0, 0)
			if err == nil {
				t.Fatalf("Save(%s) = nil; want error containing %q", tc.path, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("Save(%s) error %q; want it to name the path and contain %q", tc.path, err, tc.want)
			}
			if _, err := os.Stat(tc.path); err == nil {
				t.Errorf("Save(%s) failed but left a file", tc.path)
			}
		})
	}
	// Nothing but the read-only directory and the file is left in dir: no
	// temp files.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("dir holds %v after failed saves; want only [file readonly]", names)
	}
	if entries, _ := os.ReadDir(ro); len(entries) != 0 {
		t.Errorf("read-only dir holds %d files after a failed save; want 0", len(entries))
	}
}

// TestSaveRenderFailure checks that a plot that fails while drawing leaves
// neither the target nor a temp file.
func TestSaveRenderFailure(t *testing.T) {
	dir := t.TempDir()
	p := samplePlot(t)
	p.Add(panicker{})
	path := filepath.Join(dir, "broken.png")
	err := Save(p, path, 0, 0)
	if err == nil || !strings.Contains(err.Error(), "rendering failed") {
		t.Fatalf("Save(panicking plot) error %v; want rendering failed", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed save left %d files", len(entries))
	}
}

type panicker struct{}

func (panicker) Plot(draw.Canvas, *plot.Plot) { panic("boom") }
