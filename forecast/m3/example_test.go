package m3_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tsf-go/tsf/forecast/m3"
)

// writeExample writes a two-series M3-shaped data set: one yearly and one
// other series (the real files are in ../shared/data/m3).
func writeExample(dir string) error {
	head := "series,period,type,time,value\n"
	var train, test strings.Builder
	train.WriteString(head)
	test.WriteString(head)
	for y := range 20 {
		fmt.Fprintf(&train, "Y1,YEARLY,MACRO,%d,%d\n", 1970+y, 100+5*y)
	}
	for y := range 6 {
		fmt.Fprintf(&test, "Y1,YEARLY,MACRO,%d,%d\n", 1990+y, 200+5*y)
	}
	for i := range 30 {
		fmt.Fprintf(&train, "O1,OTHER,MICRO,%d,%d\n", i+1, 50+i%3)
	}
	for i := range 8 {
		fmt.Fprintf(&test, "O1,OTHER,MICRO,%d,%d\n", 31+i, 51)
	}
	if err := os.WriteFile(filepath.Join(dir, m3.TrainFile), []byte(train.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, m3.TestFile), []byte(test.String()), 0o644)
}

// Load a data set, forecast every series with a model and print the
// per-group table of sMAPE and MASE.
func Example() {
	dir, err := os.MkdirTemp("", "m3")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := writeExample(dir); err != nil {
		fmt.Println(err)
		return
	}
	d, err := m3.Load(dir) // with the real files: m3.Load("../shared/data/m3")
	if err != nil {
		fmt.Println(err)
		return
	}
	groups := []m3.Group{m3.Yearly, m3.Other}
	run, err := m3.Evaluate(context.Background(), d, "drift", m3.Config{Groups: groups, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	scores, _ := d.Scores(run)
	for _, sm := range d.Summarize(run, scores, groups) {
		fmt.Printf("%-6s %d series  sMAPE %.2f  MASE %.3f\n", sm.Group, sm.Scored, sm.Mean.SMAPE, sm.Mean.MASE)
	}
	// Output:
	// yearly 1 series  sMAPE 0.00  MASE 0.000
	// other  1 series  sMAPE 2.54  MASE 1.000
	// all    2 series  sMAPE 1.27  MASE 0.500
}
