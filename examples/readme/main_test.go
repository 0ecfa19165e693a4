package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// marker stands on the line before the README's fenced Go block that must
// equal this program.
const marker = "<!-- ci: examples/readme/main.go -->"

// TestReadmeExample checks that the library example in the README is this
// program, word for word, so that what a reader copies is what CI runs.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := bytes.Cut(readme, []byte(marker+"\n```go\n"))
	if !ok {
		t.Fatalf("README.md has no %q line followed by a ```go fence", marker)
	}
	block, _, ok := bytes.Cut(after, []byte("\n```\n"))
	if !ok {
		t.Fatal("README.md: the Go block after the marker does not end")
	}
	block = append(block, '\n')
	if bytes.Equal(block, prog) {
		return
	}
	got, want := strings.Split(string(block), "\n"), strings.Split(string(prog), "\n")
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Fatalf("README.md's library example differs from examples/readme/main.go at line %d of the block:\nREADME:  %q\nmain.go: %q", i+1, g, w)
		}
	}
}
