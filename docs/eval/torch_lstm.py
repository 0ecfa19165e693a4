#!/usr/bin/env python3
"""The PyTorch LSTM/RNN of issue 8's reference columns, rerun with several seeds.

The recipe is the one the issue describes ("what a careful Python user writes"):
standard scaling fitted on the training part, window max(2m, 3H) capped at 336,
a direct multi-output head on the last hidden state, 1 layer of 64, Adam 1e-3,
batch 64, early stopping with patience 10 on the last 10 % of training windows
(best weights restored), gradient clipping at 1.0, at most 100 epochs. The
protocol is docs/EVALUATION.md's: 3 rolling-origin folds of H points at the
end, training capped at 5000 (hourly) or 3000 (daily) points, gaps and missing
values interpolated linearly, MASE scaled by the in-sample seasonal-naive MAE.

Only the standard library and torch are needed (Debian: python3-torch; use
/usr/bin/python3 if another Python comes first on the PATH):

    python3 docs/eval/torch_lstm.py --data ../shared/data --series beijing,sunspots --seeds 1,2,3

It prints one line per series, model and seed, then the mean and range.
"""
import argparse
import csv
import datetime as dt
import math
import os
import statistics
import sys
import time

import torch

SPECS = [  # name, file, target, H, m, training cap
    ("airline_passengers", "airline_passengers.csv", "passengers", 12, 12, 0),
    ("sunspots_monthly", "sunspots_monthly.csv", "sunspots", 12, 12, 0),
    ("daily_min_temperatures", "daily_min_temperatures.csv", "min_temp", 14, 7, 3000),
    ("ETTh1", "ETTh1.csv", "OT", 24, 24, 5000),
    ("beijing_pm25_hourly", "beijing_pm25_hourly.csv", "pm2.5", 24, 24, 5000),
]


def parse_time(s):
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(s, layout)
        except ValueError:
            pass
    raise ValueError(f"unparsed time {s!r}")


def load(path, target):
    """Reads the target column, fills absent timestamps (daily and hourly
    series) and missing values by linear interpolation in time."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    tcol = next(iter(rows[0]))
    times = [parse_time(r[tcol]) for r in rows]
    vals = [float(r[target]) if r[target].strip() not in ("", "NA", "NaN") else None for r in rows]
    step = statistics.median(b - a for a, b in zip(times, times[1:]))
    if step <= dt.timedelta(days=1):  # regular grid: insert absent timestamps
        full = {}
        for t, v in zip(times, vals):
            full[t] = v
        t, grid = times[0], []
        while t <= times[-1]:
            grid.append(full.get(t))
            t += step
        vals = grid
    known = [i for i, v in enumerate(vals) if v is not None]
    out = list(vals)
    for i in range(known[0]):
        out[i] = vals[known[0]]
    for a, b in zip(known, known[1:]):
        for i in range(a + 1, b):
            out[i] = vals[a] + (vals[b] - vals[a]) * (i - a) / (b - a)
    for i in range(known[-1] + 1, len(out)):
        out[i] = vals[known[-1]]
    return out


class Net(torch.nn.Module):
    def __init__(self, cell, hidden, horizon):
        super().__init__()
        rnn = torch.nn.LSTM if cell == "lstm" else torch.nn.RNN
        self.rnn = rnn(1, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, horizon)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


def fit_predict(train, W, H, cell, seed, max_epochs=100, patience=10):
    torch.manual_seed(seed)
    mu = statistics.fmean(train)
    sd = statistics.pstdev(train) or 1.0
    z = torch.tensor([(v - mu) / sd for v in train], dtype=torch.float32)
    n = len(z) - W - H + 1
    X = torch.stack([z[i:i + W] for i in range(n)]).unsqueeze(-1)
    Y = torch.stack([z[i + W:i + W + H] for i in range(n)])
    nval = max(1, round(0.1 * n))
    Xt, Yt, Xv, Yv = X[:n - nval], Y[:n - nval], X[n - nval:], Y[n - nval:]
    net = Net(cell, 64, H)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    lossf = torch.nn.MSELoss()
    best, best_state, since = math.inf, None, 0
    g = torch.Generator().manual_seed(seed)
    for _ in range(max_epochs):
        net.train()
        perm = torch.randperm(len(Xt), generator=g)
        for lo in range(0, len(Xt), 64):
            idx = perm[lo:lo + 64]
            opt.zero_grad()
            loss = lossf(net(Xt[idx]), Yt[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
        net.eval()
        with torch.no_grad():
            v = lossf(net(Xv), Yv).item()
        if v < best:
            best, since = v, 0
            best_state = {k: t.clone() for k, t in net.state_dict().items()}
        else:
            since += 1
            if since >= patience:
                break
    net.load_state_dict(best_state)
    with torch.no_grad():
        p = net(z[-W:].reshape(1, W, 1))[0]
    return [float(x) * sd + mu for x in p]


def mase(series, H, m, cap, cell, seed):
    n = len(series)
    scores = []
    for k in range(3):
        origin = n - 3 * H + k * H
        train = series[max(0, origin - cap) if cap else 0:origin]
        W = min(max(2 * m, 3 * H), 336)
        pred = fit_predict(train, W, H, cell, seed)
        scale = statistics.fmean(abs(train[i] - train[i - m]) for i in range(m, len(train)))
        scores.append(statistics.fmean(abs(a - b) for a, b in zip(series[origin:origin + H], pred)) / scale)
    return statistics.fmean(scores)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join("..", "shared", "data"))
    ap.add_argument("--series", default="", help="comma-separated substrings of the series names")
    ap.add_argument("--models", default="lstm", help="lstm,rnn")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    seeds = [int(s) for s in a.seeds.split(",")]
    for name, file, target, H, m, cap in SPECS:
        if a.series and not any(s in name for s in a.series.split(",")):
            continue
        series = load(os.path.join(a.data, file), target)
        for cell in a.models.split(","):
            got = []
            for seed in seeds:
                t0 = time.time()
                got.append(mase(series, H, m, cap, cell, seed))
                print(f"{name:24s} {cell:5s} seed {seed:3d}  MASE {got[-1]:.3f}  ({time.time() - t0:.0f} s)", flush=True)
            print(f"{name:24s} {cell:5s} mean {statistics.fmean(got):.3f}  min {min(got):.3f}  max {max(got):.3f}  over {len(got)} seeds", flush=True)


if __name__ == "__main__":
    sys.exit(main())
