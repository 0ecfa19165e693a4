#!/usr/bin/env bash
# Training-step time against sequence length and against batch size
# (LSTM, input 1, hidden 64, horizon 1, THREADS threads, default 2): tsf bench --json, one
# line per point with ms per step and ms per (step × sequence × batch row).
# Usage: scaling.sh TSF_BINARY
set -euo pipefail
tsf=${1:?usage: scaling.sh TSF_BINARY}
run() { # seq batch
  "$tsf" bench --model lstm --hidden 64 --seq "$1" --batch "$2" --threads "${THREADS:-2}" --steps "${STEPS:-10}" --json |
    /usr/bin/python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print("%5d %5d %9.2f %9.2f" % (r["seq"], r["batch"], r["ms_step_median"], 1e3*r["ms_step_median"]/(r["seq"]*r["batch"])))'
}
echo "  seq batch   ms/step  µs/(seq·row)"
for s in 32 64 128 256 512; do run "$s" 64; done
for b in 8 16 32 64 128 256; do run 128 "$b"; done
