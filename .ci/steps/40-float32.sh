#!/usr/bin/env bash
# The float32 engine (issue 16): the generated assembly matches its
# generators, the pure-Go fallback passes the float32 tests, and
# `tsf bench --dtype float32` runs.
set -euo pipefail
gen="$TMPDIR/linalg-gen"
mkdir -p "$gen"
(cd internal/linalg && go run gen_kernel.go -out "$gen/kernel_amd64.s" -shape "$gen/kernel_shape.go" &&
	go run gen_vmath.go -out "$gen/vmath_amd64.s")
for f in kernel_amd64.s kernel_shape.go vmath_amd64.s; do
	cmp "$gen/$f" "internal/linalg/$f" || { echo "internal/linalg/$f is stale: run go generate ./internal/linalg/"; exit 1; }
done
go test -tags purego -short -run '32|DType|Float32|Master32|Parity' ./internal/linalg/ ./models/
"$TSF" bench --model lstm --hidden 32 --seq 32 --batch 16 --steps 3 --dtype float32 --json > "$TMPDIR/bench32.json"
grep -q '"dtype":"float32"' "$TMPDIR/bench32.json" || { echo "tsf bench --dtype float32 did not report float32"; cat "$TMPDIR/bench32.json"; exit 1; }
