#!/usr/bin/env bash
# Peak RSS of stateful TBPTT(32, 64) training (LSTM, hidden 64, 16 streams)
# over a generated series of 10^4 and 10^6 steps, with /usr/bin/time -v.
# The series itself is 8 bytes a step (80 KB and 8 MB).
# Usage: memory.sh TSF_BINARY
set -euo pipefail
tsf=${1:?usage: memory.sh TSF_BINARY}
for n in 10000 1000000; do
  /usr/bin/time -v "$tsf" bench --tbptt-stream "$n" --batch 16 --hidden 64 2>&1 |
    grep -E "TBPTT|Maximum resident|Elapsed" | sed 's/^[[:space:]]*//'
done
