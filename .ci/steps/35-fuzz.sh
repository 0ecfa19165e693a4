#!/usr/bin/env bash
# Fuzzes the long-table loader for 20 s (issue 23): ids and rows with quotes,
# spaces, delimiters, ragged rows, empty fields, a BOM and CRLF. Every id must
# load or fail verbatim, the rows add up, every error names the file, and
# dataset.Read and dataset.ReadRecords agree (see FuzzReadLong). The core
# tests already ran its seeds. A failing input is saved under
# dataset/testdata/fuzz/FuzzReadLong/: commit it with the fix, and
# `go test ./dataset/` replays it from then on.
set -euo pipefail
go test ./dataset/ -run '^$' -fuzz '^FuzzReadLong$' -fuzztime 20s
echo "35-fuzz: ok"
