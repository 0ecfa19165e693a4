package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tsf-go/tsf/internal/flagspec"
	"github.com/tsf-go/tsf/internal/hints"

	"github.com/tsf-go/tsf/dataset"
	"github.com/urfave/cli/v2"
)

// dataFlags are the flags that say how to read the input CSV
// (flagspec.DataFlags).
func dataFlags() []cli.Flag {
	var fl []cli.Flag
	for _, d := range flagspec.DataFlags() {
		f := &cli.StringFlag{Name: d.Name, Value: d.Default, Usage: d.Usage}
		if d.Alias != "" {
			f.Aliases = []string{d.Alias}
		}
		fl = append(fl, f)
	}
	return fl
}

// inputArg returns the single FILE argument ("-" for stdin).
func inputArg(c *cli.Context) (string, error) {
	switch c.NArg() {
	case 0:
		return "", usagef(fmt.Sprintf("give a CSV file, or - to read standard input: tsf %s FILE.csv", c.Command.Name),
			"missing input file")
	case 1:
		return c.Args().First(), nil
	}
	return "", usagef(fmt.Sprintf("flags go before or after the file, but only one file: tsf %s [flags] FILE.csv", c.Command.Name),
		"too many arguments: %s", strings.Join(c.Args().Slice(), " "))
}

// loadSeries reads the request's input and returns its one target series.
func loadSeries(e *env, r *request) (*dataset.Series, error) {
	fr, err := readFrame(e, r.path, r.read)
	if err != nil {
		return nil, withHint(err, dataHint(err))
	}
	if len(fr.Series) > 1 {
		names := make([]string, len(fr.Series))
		for i, s := range fr.Series {
			names[i] = s.Name
		}
		return nil, withHint(fmt.Errorf("%s: %d value columns (%s); which one is the target?", fr.Name, len(names), strings.Join(names, ", ")),
			fmt.Sprintf("name it with --target, e.g. --target %s", names[0]))
	}
	return fr.Series[0], nil
}

func readFile(path string, o dataset.Options) (*dataset.Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	defer f.Close()
	return dataset.Read(f, path, o)
}

// unwrapPathError turns "open x.csv: no such file or directory" into a
// message without Go's operation name.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// dataHint says what to do about a loader error (hints.Data, which
// tsf-beam shares).
func dataHint(err error) string {
	if errors.Is(err, os.ErrNotExist) {
		return "check the path; use - to read standard input"
	}
	return hints.Data(err)
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
