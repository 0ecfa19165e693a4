package flagspec

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLibraryNamesNoFlag: the library's strings (its errors, above all)
// never name a command-line flag; they name Options fields and values, and
// the front ends word them in flags (Message, the usage errors here).
func TestLibraryNamesNoFlag(t *testing.T) {
	flagRef := regexp.MustCompile(`(^|[\s(])--[a-z]`)
	var dirs []string
	for _, root := range []string{"dataset", "windowing", "models", "forecast", "plots"} {
		err := filepath.WalkDir(filepath.Join("..", "..", root), func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && d.Name() != "testdata" {
				if m, _ := filepath.Glob(filepath.Join(path, "*.go")); len(m) > 0 {
					rel, _ := filepath.Rel(filepath.Join("..", ".."), path)
					dirs = append(dirs, rel)
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && flagRef.MatchString(lit.Value) {
					t.Errorf("%s: %s names a flag", fset.Position(lit.Pos()), lit.Value)
				}
				return true
			})
		}
	}
}
