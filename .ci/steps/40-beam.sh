#!/usr/bin/env bash
# The Beam module (beam/, its own go.mod): vet, tests (equivalence with the
# many-series functions on generated and M3 series, bad rows, and with the
# tsf binary in $TSF on odd inputs and on global models: TestAgreesWithTSF
# and TestGlobalAgreesWithTSF build tsf-beam), and end-to-end runs of
# tsf-beam on Prism in process, byte-compared with `tsf forecast --id` on
# the same file: a local model per series (theta), and the default, ONE
# hybrid model fitted on every series inside the pipeline. Needs $TSF and
# $TMPDIR (see README.md).
set -euo pipefail
cd "$(dirname "$0")/../../beam"
start=$SECONDS

go vet ./...
go test ./...
go build -o "$TMPDIR/tsf-beam" ./cmd/tsf-beam
beam="$TMPDIR/tsf-beam"
"$beam" --version
"$beam" --help | grep -q '^Commands:$' || { echo "tsf-beam --help printed no list of commands"; exit 1; }

"$TSF" generate --kind sine --series 40 --n 60 --seed 3 --out "$TMPDIR/many.csv"
"$TSF" forecast "$TMPDIR/many.csv" --id series --model theta --quiet --out "$TMPDIR/cli.csv"
"$beam" forecast --id series --model theta --workers 2 --out "$TMPDIR/beam" "$TMPDIR/many.csv" 2> "$TMPDIR/beam.txt"
cmp "$TMPDIR/cli.csv" "$TMPDIR/beam-00000-of-00001.csv" || { echo "tsf-beam forecast differs from tsf forecast --id"; exit 1; }
grep -q '^tsf-beam: 40 series forecast, 0 failed; 2400 rows read, 0 bad;' "$TMPDIR/beam.txt" || { echo "tsf-beam summary:"; cat "$TMPDIR/beam.txt"; exit 1; }

# The default model: ONE hybrid (a global LSTM with ets and theta) fitted on
# every series inside the pipeline, then every series forecast from its
# history; byte for byte tsf's.
"$TSF" generate --kind sine --series 12 --n 48 --seed 1 --out "$TMPDIR/g.csv"
"$TSF" forecast "$TMPDIR/g.csv" --id series --epochs 2 --hidden 8 --horizon 6 --quiet --out "$TMPDIR/cli-hybrid.csv"
"$beam" forecast --id series --epochs 2 --hidden 8 --horizon 6 --workers 2 --out "$TMPDIR/hybrid" "$TMPDIR/g.csv" 2> "$TMPDIR/hybrid.txt"
cmp "$TMPDIR/cli-hybrid.csv" "$TMPDIR/hybrid-00000-of-00001.csv" || { echo "tsf-beam forecast (default model) differs from tsf forecast --id"; exit 1; }
grep -q '^tsf-beam: 12 series forecast, 0 failed; 576 rows read, 0 bad;' "$TMPDIR/hybrid.txt" || { echo "tsf-beam summary:"; cat "$TMPDIR/hybrid.txt"; exit 1; }

# A bad row fails its series only: exit 1, the series named in the errors
# file with its row, every other series forecast.
{ cat "$TMPDIR/many.csv"; echo 's99,2000-01,1,extra'; } > "$TMPDIR/bad.csv"
if "$beam" forecast --id series --model theta --out "$TMPDIR/bad" "$TMPDIR/bad.csv" 2> "$TMPDIR/bad.txt"; then
	echo "tsf-beam accepted a bad row with exit code 0"; exit 1
fi
grep -q '^s99,.*series ""s99"": row 2402: has 4 fields, the header has 3' "$TMPDIR/bad-errors.csv" || { echo "errors file:"; cat "$TMPDIR/bad-errors.csv"; exit 1; }
cmp "$TMPDIR/cli.csv" "$TMPDIR/bad-00000-of-00001.csv" || { echo "a bad row changed the other series' forecasts"; exit 1; }

echo "beam module: $((SECONDS - start)) s"
