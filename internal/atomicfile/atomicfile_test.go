package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n"); return err }); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "a,b\n" {
		t.Fatalf("ReadFile = %q, %v; want %q", got, err, "a,b\n")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v; want 0644", fi.Mode().Perm())
	}

	// A failing writer leaves the old content and no temporary file.
	boom := errors.New("boom")
	err = Write(path, func(w io.Writer) error { io.WriteString(w, "partial"); return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Write with failing writer = %v; want boom", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "a,b\n" {
		t.Errorf("after a failed write the file holds %q; want the old content", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("directory holds %d entries after a failed write; want 1 (no temporary file)", len(ents))
	}

	// A directory that does not exist is an error, and creates nothing.
	if err := Write(filepath.Join(dir, "nope", "x"), func(io.Writer) error { return nil }); err == nil {
		t.Error("Write into a missing directory succeeded")
	}
}
