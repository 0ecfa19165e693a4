#!/usr/bin/python3
"""Inference reference: forecast W windows with a single-layer RNN(tanh)/LSTM
forecaster (Linear head on the last hidden state) in PyTorch on the CPU,
float64 (or --dtype float32, PyTorch's default), under torch.no_grad(): the
counterpart of `tsf bench --predict W [--dtype float32]`.

The windows are run in chunks (one nn.LSTM call per chunk) because nn.LSTM
materialises the hidden state of every step of every window; the fastest of
the chunk sizes tried is reported. Prints one "JSON {...}" line with
ms_median (milliseconds to forecast all W windows, median of --reps).

  /usr/bin/python3 docs/bench/torch_infer.py --model lstm --hidden 64 --seq 128 --horizon 12
"""
import argparse
import json
import os
import statistics
import sys
import time

OMP_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"  # Debian libopenblas0-openmp, as compare.sh


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="lstm", choices=["lstm", "rnn"])
    ap.add_argument("--input", type=int, default=1)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--horizon", type=int, default=1)
    ap.add_argument("--windows", type=int, default=10000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--chunks", default="256,1000,2500")
    ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    a = ap.parse_args()
    if os.environ.get("TSF_INFER_CHILD") != "1":
        env = dict(os.environ, TSF_INFER_CHILD="1", OMP_NUM_THREADS=str(a.threads), OPENBLAS_NUM_THREADS=str(a.threads))
        if os.path.isdir(OMP_DIR):
            env["LD_LIBRARY_PATH"] = OMP_DIR + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
        os.execve(sys.executable, [sys.executable] + sys.argv, env)
    import torch
    import torch.nn as nn
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    cls = nn.LSTM if a.model == "lstm" else nn.RNN
    dt = getattr(torch, a.dtype)
    rnn = cls(a.input, a.hidden, batch_first=True).to(dt)
    head = nn.Linear(a.hidden, a.horizon).to(dt)
    x = torch.randn(a.windows, a.seq, a.input, dtype=dt)
    out = torch.empty(a.windows, a.horizon, dtype=dt)

    def run(chunk):
        with torch.no_grad():
            for b0 in range(0, a.windows, chunk):
                y, _ = rnn(x[b0:b0 + chunk])
                out[b0:b0 + chunk] = head(y[:, -1, :])

    best = None
    for chunk in [int(c) for c in a.chunks.split(",")]:
        run(chunk)  # warm-up
        ts = []
        for _ in range(a.reps):
            t0 = time.perf_counter()
            run(chunk)
            ts.append(1e3 * (time.perf_counter() - t0))
        m = statistics.median(ts)
        if best is None or m < best[0]:
            best = (m, chunk)
    r = dict(model=a.model, input=a.input, hidden=a.hidden, seq=a.seq, horizon=a.horizon, windows=a.windows,
             threads=a.threads, dtype=a.dtype, chunk=best[1], ms_median=best[0], torch=torch.__version__)
    print("JSON " + json.dumps(r))


if __name__ == "__main__":
    main()
