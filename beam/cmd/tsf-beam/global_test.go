package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// m3Monthly writes the first n monthly M3 series of ../shared/data/m3
// with at least 90 points to dir as m3.csv, or skips the test when the
// shared data is absent.
func m3Monthly(t *testing.T, dir string, n int) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "data", "m3", "m3_train.csv"))
	if err != nil {
		t.Skipf("M3 data not found beside the repository (../shared/data/m3): %v", err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	rows := map[string][]string{}
	var ids []string
	for _, l := range lines[1:] {
		id, _, _ := strings.Cut(l, ",")
		if !strings.HasPrefix(id, "M") {
			continue
		}
		if rows[id] == nil {
			ids = append(ids, id)
		}
		rows[id] = append(rows[id], l)
	}
	text := lines[0]
	for _, id := range ids {
		if n > 0 && len(rows[id]) >= 90 {
			text += strings.Join(rows[id], "")
			n--
		}
	}
	writeFile(t, dir, "m3.csv", text)
}

// TestGlobalAgreesWithTSF: without --model (hybrid, one model fitted on
// every series) and with --model lstm --global, tsf-beam's forecast file
// is byte for byte the one `tsf forecast --id` writes with the same flags,
// on a generated collection and on monthly M3 series; and where tsf's
// global fit cannot start or fails (series of different seasons without
// --horizon, series too short for the network) tsf-beam exits as tsf,
// with its message and hint, and writes nothing. A series that cannot be
// loaded fails alone, in both.
func TestGlobalAgreesWithTSF(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runBin(t, dir, tsfBin, "generate", "--kind", "sine", "--series", "12", "--n", "48", "--seed", "1", "--out", "s.csv"); code != 0 {
		t.Fatalf("tsf generate: %s", stderr)
	}
	s := string(read(t, filepath.Join(dir, "s.csv")))
	writeFile(t, dir, "bad.csv", strings.Replace(s, "\n", "\nbad,2000-01,1\nbad,2000-02,x\n", 1))
	writeFile(t, dir, "mixed.csv", lines("series,time,value", monthly("m", 30), []string{"d,2000-01-01,1", "d,2000-01-02,2", "d,2000-01-03,3"}))
	writeFile(t, dir, "short.csv", lines("series,time,value", monthly("a", 5), monthly("b", 6)))
	small := "--epochs 2 --hidden 8"
	cases := []struct {
		name, input, flags string
		m3                 bool
		code               int
	}{
		{name: "default model", input: "s.csv", flags: "--horizon 6 " + small},
		{name: "default model, the season's horizon", input: "s.csv", flags: small + " --seed 4 --weights inverse2"},
		{name: "lstm --global", input: "s.csv", flags: "--model lstm --global --horizon 6 " + small},
		{name: "gru --global, the season's horizon", input: "s.csv", flags: "--model gru --global " + small},
		{name: "m3, default model", input: "m3.csv", flags: "--target value --time time --horizon 18 " + small, m3: true},
		{name: "m3, rnn --global", input: "m3.csv", flags: "--target value --time time --model rnn --global --horizon 18 " + small, m3: true},
		{name: "a series that cannot be loaded", input: "bad.csv", flags: "--horizon 6 " + small, code: 1},
		{name: "different seasons, no --horizon", input: "mixed.csv", flags: small, code: 2},
		{name: "too short for the network", input: "short.csv", flags: "--model lstm --global --horizon 2 " + small, code: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.m3 {
				m3Monthly(t, dir, 4)
			}
			for _, f := range []string{"tsf.csv", "beam-00000-of-00001.csv", "beam-errors.csv"} {
				os.Remove(filepath.Join(dir, f))
			}
			common := append([]string{"--id", "series", "--quiet"}, strings.Fields(tc.flags)...)
			tCode, _, tErr := runBin(t, dir, tsfBin, slices.Concat([]string{"forecast", tc.input}, common, []string{"--out", "tsf.csv"})...)
			bCode, _, bErr := runBin(t, dir, tsfBeam, slices.Concat([]string{"forecast"}, common, []string{"--workers", "2", "--out", "beam", tc.input})...)
			if tCode != tc.code || bCode != tc.code {
				t.Errorf("exit codes: tsf %d, tsf-beam %d; want %d\ntsf:\n%stsf-beam:\n%s", tCode, bCode, tc.code, tErr, bErr)
			}
			tMsgs, tHints := tsfMessages(tErr)
			bMsgs, bHints, own := beamMessages(t, bErr, filepath.Join(dir, "beam-errors.csv"))
			if strings.Join(tMsgs, "\n") != strings.Join(bMsgs, "\n") {
				t.Errorf("messages differ\n     tsf: %q\ntsf-beam: %q", tMsgs, bMsgs)
			}
			if own && strings.Join(tHints, "\n") != strings.Join(bHints, "\n") {
				t.Errorf("hints differ\n     tsf: %q\ntsf-beam: %q", tHints, bHints)
			}
			tOut, tErrOut := os.ReadFile(filepath.Join(dir, "tsf.csv"))
			bOut, bErrOut := os.ReadFile(filepath.Join(dir, "beam-00000-of-00001.csv"))
			switch {
			case tErrOut != nil && bErrOut != nil && tc.code != 0: // neither wrote one
			case tErrOut != nil || bErrOut != nil:
				t.Errorf("forecast file: tsf's %v, tsf-beam's %v; want both", tErrOut, bErrOut)
			case !bytes.Equal(tOut, bOut):
				t.Errorf("forecast files differ\n     tsf: %.300s\ntsf-beam: %.300s", tOut, bOut)
			case tc.code == 0 && bytes.Count(bOut, []byte("\n")) < 4*6:
				t.Errorf("forecast file of %d lines", bytes.Count(bOut, []byte("\n")))
			}
			for _, name := range listDir(t, dir) {
				if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "beam-model") {
					t.Errorf("%s left in the output directory", name)
				}
			}
		})
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
