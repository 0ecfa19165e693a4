#!/usr/bin/env bash
# Side-by-side inference speed: forecasting WINDOWS windows (default 10,000)
# with tsf (tsf bench --predict) and PyTorch under torch.no_grad()
# (torch_infer.py), float64 (DTYPE=float32: both sides in float32), same
# thread count, alternating A B A B per config. Prints the milliseconds and
# the ratio tsf/torch (lower is better).
# Usage: [DTYPE=float32] infer_compare.sh TSF_BINARY [threads]   (configs: ../../../shared/bench/configs.json)
set -euo pipefail
tsf=${1:?usage: infer_compare.sh TSF_BINARY [threads]}
threads=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
configs=${CONFIGS:-$here/../../../shared/bench/configs.json}
windows=${WINDOWS:-10000}
dtype=${DTYPE:-float64}
/usr/bin/python3 - "$tsf" "$configs" "$threads" "$windows" "$here/torch_infer.py" "$dtype" <<'PY'
import json, subprocess, sys, statistics
tsf, configs, threads, windows, ti, dtype = sys.argv[1:7]
def js(out, prefix="JSON "):
    return json.loads([l for l in out.splitlines() if l.startswith(prefix)][-1][len(prefix):])
def tsf_run(c):
    return js(subprocess.run([tsf, "bench", "--predict", windows, "--model", c["model"], "--input", str(c["input"]),
        "--hidden", str(c["hidden"]), "--seq", str(c["seq"]), "--horizon", str(c["horizon"]), "--threads", threads,
        "--steps", "3", "--dtype", dtype], check=True, capture_output=True, text=True).stdout)["ms_median"]
def torch_run(c):
    return js(subprocess.run(["/usr/bin/python3", ti, "--model", c["model"], "--input", str(c["input"]),
        "--hidden", str(c["hidden"]), "--seq", str(c["seq"]), "--horizon", str(c["horizon"]), "--windows", windows,
        "--threads", threads, "--reps", "3", "--dtype", dtype], check=True, capture_output=True, text=True).stdout)["ms_median"]
print("# dtype %s, %s threads, %s windows" % (dtype, threads, windows))
print("%-5s %3s %4s %4s %4s %10s %10s %7s" % ("model", "in", "hid", "seq", "hor", "tsf_ms", "torch_ms", "ratio"))
seen = set()
for c in json.load(open(configs)):
    key = (c["model"], c["input"], c["hidden"], c["seq"], c["horizon"])
    if key in seen:
        continue
    seen.add(key)
    a, b = [], []
    for _ in range(2):
        a.append(tsf_run(c)); b.append(torch_run(c))
    r = statistics.median([x / y for x, y in zip(a, b)])
    print("%-5s %3d %4d %4d %4d %10.1f %10.1f %7.2f" % (c["model"], c["input"], c["hidden"], c["seq"], c["horizon"], min(a), min(b), r), flush=True)
PY
