package atomicfile_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/tsf-go/tsf/internal/atomicfile"
)

// Write replaces a file whole or not at all: a failed write leaves the file
// as it was, and no temporary file beside it.
func Example() {
	dir, err := os.MkdirTemp("", "atomicfile")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "forecast.csv")

	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "time,forecast\n1,10\n")
		return err
	})
	fmt.Println("first write:", err)

	err = atomicfile.Write(path, func(w io.Writer) error {
		io.WriteString(w, "time,forecast\n1,")
		return errors.New("the model failed half-way")
	})
	fmt.Println("second write:", err)

	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	left, _ := os.ReadDir(dir)
	fmt.Println(len(left), "file in the directory")
	// Output:
	// first write: <nil>
	// second write: the model failed half-way
	// time,forecast
	// 1,10
	// 1 file in the directory
}
