#!/usr/bin/python3
"""Generate the float32 PyTorch reference values that models/parity32_test.go
checks tsf's float32 engine against.

Writes rnn.json, lstm.json, gru.json, lstm2.json and lstm_tbptt.json into the
directory of this script (or the one given with --out), in the layout of
../torch_parity (format torch_parity/v1, README.md there describes every
field), with "dtype": "float32" and sizes large enough that tsf's float32
assembly kernels and their 8-lane tails are used: input 3, hidden 20, batch 5,
seq 12 (hidden 20 makes the gate blocks 20, 60 and 80 wide, none a multiple of
the 8-lane activation vectors or the 24-column GEMM tile). The linear-head case
also runs three full Adam training steps (lr 0.01) and records the loss of
each and the parameters after them, so the optimiser is checked in float32.

Made with, and only with:

    Debian bookworm, python3 3.11.2-1+b1, python3-torch 1.13.1+dfsg-4
    (torch.__version__ reports 1.13.0a0), CPU, float32, one thread.

    apt-get update && apt-get install -y python3-torch
    /usr/bin/python3 models/testdata/torch_parity_f32/gen.py

Standard library and torch only; deterministic (run twice, byte-identical
files). Every float32 value is written by json.dump as the shortest decimal
of its float64 widening, which parses back to exactly that float32.

Self-check and the tolerance: before writing a file the script runs the same
computation in float64 from the same (float32) weights and inputs, through
the documented equations step by step, and records how far PyTorch's float32
results are from it: for every tensor, max|float32 - float64| / max|float64|
(the normwise relative difference). That is the rounding noise of float32 on
these shapes, and the tolerance of the Go test must sit above it: two float32
implementations that sum in different orders each differ from the exact value
by about that much. The script refuses to write a file whose noise exceeds
1e-5 (a wrong equation gives differences of order 1).
"""

import argparse
import json
import os
import subprocess
import sys

import torch

I, H, B, T = 3, 20, 5, 12  # input size, hidden size, batch, seq (every file)
K = 3  # head outputs (the linear_head_mse case)
GATES = {"rnn": [], "lstm": ["i", "f", "g", "o"], "gru": ["r", "z", "n"]}
MODULES = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
SEEDS = {"rnn": 3234, "lstm": 3235, "gru": 3236, "lstm2": 3237, "lstm_tbptt": 3238}
NOISE_MAX = 1e-5
ADAM_LR, ADAM_STEPS = 0.01, 3
PARAMS = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]


def debian_version():
    """The dpkg version of python3-torch, or None off Debian."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def cell_step(cell, x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One step of the documented equations; returns (h, c)."""
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + b_hh
    if cell == "rnn":
        return torch.tanh(gi + gh), None
    n = h.shape[1]
    if cell == "lstm":
        a = gi + gh
        i = torch.sigmoid(a[:, 0:n])
        f = torch.sigmoid(a[:, n:2 * n])
        g = torch.tanh(a[:, 2 * n:3 * n])
        o = torch.sigmoid(a[:, 3 * n:4 * n])
        c = f * c + i * g
        return o * torch.tanh(c), c
    r = torch.sigmoid(gi[:, 0:n] + gh[:, 0:n])
    z = torch.sigmoid(gi[:, n:2 * n] + gh[:, n:2 * n])
    cand = torch.tanh(gi[:, 2 * n:3 * n] + r * gh[:, 2 * n:3 * n])
    return (1 - z) * cand + z * h, None


def reference(cell, layers, x, h0, c0, params):
    """The documented equations over x (B, T, I) through stacked layers;
    returns the top outputs (B, T, H), h_n and c_n (layers, B, H)."""
    inp = x
    hn, cn = [], []
    for l in range(layers):
        w = [params[f"{k}_l{l}"] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        h = h0[l]
        c = c0[l] if c0 is not None else None
        outs = []
        for t in range(inp.shape[1]):
            h, c = cell_step(cell, inp[:, t, :], h, c, *w)
            outs.append(h)
        inp = torch.stack(outs, dim=1)
        hn.append(h)
        cn.append(c)
    return inp, torch.stack(hn), (torch.stack(cn) if c0 is not None else None)


def noise(a, b):
    """max|a - b| / max|b|, a in float32, b its float64 reference."""
    return float((a.double() - b).abs().max() / b.abs().max())


def f64(t):
    return None if t is None else t.detach().double().clone().requires_grad_()


def check(name, value):
    if not value <= NOISE_MAX:
        sys.exit(f"gen.py: self-check failed: {name}: float32 vs float64 {value:g} > {NOISE_MAX:g}; no file written")
    return value


def gen_info(torch_version, deb, seed, worst):
    return {"script": "gen.py", "torch_version": torch_version, "debian_python3_torch": deb, "seed": seed,
            "self_check": {"max_normwise_rel_diff_float32_module_vs_float64_equations": check("all", worst)}}


def single_layer(cell, torch_version, deb):
    seed = SEEDS[cell]
    lstm = cell == "lstm"
    torch.manual_seed(seed)  # draw order: module, x, h0, (c0), head, target
    mod = MODULES[cell](I, H, num_layers=1, batch_first=True)
    x = torch.randn(B, T, I)
    h0 = 0.5 * torch.randn(1, B, H)
    c0 = 0.5 * torch.randn(1, B, H) if lstm else None
    head = torch.nn.Linear(H, K)
    target = torch.randn(B, K)
    G = max(1, len(GATES[cell]))
    params0 = {k: getattr(mod, k).detach().clone() for k in PARAMS}
    head0 = (head.weight.detach().clone(), head.bias.detach().clone())
    worst = 0.0

    cases = []
    for case in ("sum_sq_outputs", "linear_head_mse"):
        mod.zero_grad()
        head.zero_grad()
        xs, hs = x.clone().requires_grad_(), h0.clone().requires_grad_()
        cs = c0.clone().requires_grad_() if lstm else None
        out, st = mod(xs, (hs, cs) if lstm else hs)
        hn, cn = (st if lstm else (st, None))
        p = {k: f64(getattr(mod, k)) for k in PARAMS}
        rx, rh, rc = f64(x), f64(h0), f64(c0)
        rout, rhn, rcn = reference(cell, 1, rx, rh, rc, p)
        worst = max(worst, noise(out, rout), noise(hn, rhn))
        if lstm:
            worst = max(worst, noise(cn, rcn))
        if case == "sum_sq_outputs":
            loss = 0.5 * (out ** 2).sum()
            rloss = 0.5 * (rout ** 2).sum()
        else:
            pred = head(out[:, -1, :])
            loss = torch.nn.MSELoss()(pred, target)
            hw, hb = f64(head.weight), f64(head.bias)
            rpred = rout[:, -1, :] @ hw.T + hb
            rloss = ((rpred - target.double()) ** 2).mean()
            worst = max(worst, noise(pred, rpred))
        loss.backward()
        rloss.backward()
        grads = {k: getattr(mod, k).grad for k in PARAMS}
        rgrads = {k: p[k].grad for k in PARAMS}
        if case == "linear_head_mse":
            grads["head_weight"], grads["head_bias"] = head.weight.grad, head.bias.grad
            rgrads["head_weight"], rgrads["head_bias"] = hw.grad, hb.grad
        grads["x"], grads["h0"] = xs.grad, hs.grad[0]
        rgrads["x"], rgrads["h0"] = rx.grad, rh.grad[0]
        if lstm:
            grads["c0"], rgrads["c0"] = cs.grad[0], rc.grad[0]
        for k in grads:
            worst = max(worst, noise(grads[k], rgrads[k]))

        c = {"name": case}
        if case == "linear_head_mse":
            c["horizon"] = K
            c["head"] = {"head_weight": head.weight.tolist(), "head_bias": head.bias.tolist()}
            c["target"] = target.tolist()
            c["prediction"] = pred.tolist()
        c["outputs"] = out.tolist()
        c["h_n"] = hn[0].tolist()
        if lstm:
            c["c_n"] = cn[0].tolist()
        c["loss"] = loss.item()
        c["grads"] = {k: v.tolist() for k, v in grads.items()}
        cases.append(c)

    # Training: ADAM_STEPS full steps (zero_grad, forward from h0/c0, head,
    # MSE, backward, Adam) from the initial weights, all in float32.
    with torch.no_grad():
        for k in PARAMS:
            getattr(mod, k).copy_(params0[k])
        head.weight.copy_(head0[0])
        head.bias.copy_(head0[1])
    opt = torch.optim.Adam(list(mod.parameters()) + list(head.parameters()), lr=ADAM_LR)
    losses = []
    for _ in range(ADAM_STEPS):
        opt.zero_grad()
        out, _ = mod(x, (h0, c0) if lstm else h0)
        loss = torch.nn.MSELoss()(head(out[:, -1, :]), target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    after = {k: getattr(mod, k).tolist() for k in PARAMS}
    after["head_weight"], after["head_bias"] = head.weight.tolist(), head.bias.tolist()
    cases[1]["adam"] = {"lr": ADAM_LR, "steps": ADAM_STEPS, "losses": losses, "params_after": after}

    inputs = {"x": x.tolist(), "h0": h0[0].tolist()}
    if lstm:
        inputs["c0"] = c0[0].tolist()
    return {
        "format": "torch_parity/v1", "cell": cell, "dtype": "float32", "generator": gen_info(torch_version, deb, seed, worst),
        "config": {"input_size": I, "hidden_size": H, "seq_len": T, "batch": B, "num_layers": 1, "bias": True,
                   "batch_first": True, "nonlinearity": "tanh" if cell == "rnn" else None,
                   "num_gates": G, "gate_order": GATES[cell]},
        "params": {k: v.tolist() for k, v in params0.items()},
        "inputs": inputs,
        "cases": cases,
    }


def lstm2(torch_version, deb):
    L = 2
    seed = SEEDS["lstm2"]
    torch.manual_seed(seed)  # draw order: module, x, h0, c0
    mod = torch.nn.LSTM(I, H, num_layers=L, batch_first=True)
    x = torch.randn(B, T, I)
    h0 = 0.5 * torch.randn(L, B, H)
    c0 = 0.5 * torch.randn(L, B, H)
    names = [f"{k}_l{l}" for l in range(L) for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    xs, hs, cs = (v.clone().requires_grad_() for v in (x, h0, c0))
    out, (hn, cn) = mod(xs, (hs, cs))
    loss = 0.5 * (out ** 2).sum()
    loss.backward()
    p = {k: f64(getattr(mod, k)) for k in names}
    rx, rh, rc = f64(x), f64(h0), f64(c0)
    rout, rhn, rcn = reference("lstm", L, rx, rh, rc, p)
    (0.5 * (rout ** 2).sum()).backward()
    worst = max(noise(out, rout), noise(hn, rhn), noise(cn, rcn))
    grads = {k: getattr(mod, k).grad for k in names}
    grads.update(x=xs.grad, h0=hs.grad, c0=cs.grad)
    rgrads = {k: p[k].grad for k in names}
    rgrads.update(x=rx.grad, h0=rh.grad, c0=rc.grad)
    worst = max([worst] + [noise(grads[k], rgrads[k]) for k in grads])
    return {
        "format": "torch_parity/v1", "cell": "lstm", "dtype": "float32", "generator": gen_info(torch_version, deb, seed, worst),
        "config": {"input_size": I, "hidden_size": H, "seq_len": T, "batch": B, "num_layers": L,
                   "gate_order": GATES["lstm"], "batch_first": True},
        "params": {k: getattr(mod, k).tolist() for k in names},
        "inputs": {"x": x.tolist(), "h0": h0.tolist(), "c0": c0.tolist()},
        "cases": [{
            "name": "sum_of_squares_top_layer",
            "outputs": out.tolist(), "h_n": hn.tolist(), "c_n": cn.tolist(), "loss": loss.item(),
            "grads": {k: v.tolist() for k, v in grads.items()},
        }],
    }


def lstm_tbptt(torch_version, deb):
    chunk = 4
    seed = SEEDS["lstm_tbptt"]
    torch.manual_seed(seed)  # draw order: module, x, h0, c0
    mod = torch.nn.LSTM(I, H, num_layers=1, batch_first=True)
    x = torch.randn(B, T, I)
    h0 = 0.5 * torch.randn(1, B, H)
    c0 = 0.5 * torch.randn(1, B, H)
    mod.zero_grad()
    h, c = h0, c0
    losses, outs = [], []
    for k in range(0, T, chunk):
        out, (h, c) = mod(x[:, k:k + chunk, :], (h, c))
        loss = 0.5 * (out ** 2).sum()
        loss.backward()
        losses.append(loss.item())
        outs.append(out.detach())
        h, c = h.detach(), c.detach()
    truncated = {k: getattr(mod, k).grad.clone() for k in PARAMS}
    p = {k: f64(getattr(mod, k)) for k in PARAMS}
    rh, rc = f64(h0).detach(), f64(c0).detach()
    for k in range(0, T, chunk):
        rout, rh, rc = reference("lstm", 1, f64(x)[:, k:k + chunk, :], rh, rc, p)
        (0.5 * (rout ** 2).sum()).backward()
        rh, rc = rh.detach(), rc.detach()
    worst = max(noise(truncated[k], p[k].grad) for k in PARAMS)
    mod.zero_grad()
    full_out, _ = mod(x, (h0, c0))
    (0.5 * (full_out ** 2).sum()).backward()
    full = {k: getattr(mod, k).grad.clone() for k in PARAMS}
    return {
        "format": "torch_parity/v1", "cell": "lstm", "dtype": "float32", "generator": gen_info(torch_version, deb, seed, worst),
        "config": {"input_size": I, "hidden_size": H, "seq_len": T, "batch": B, "num_layers": 1,
                   "gate_order": GATES["lstm"], "batch_first": True, "chunk": chunk},
        "params": {k: getattr(mod, k).tolist() for k in PARAMS},
        "inputs": {"x": x.tolist(), "h0": h0[0].tolist(), "c0": c0[0].tolist()},
        "cases": [{
            "name": "tbptt_chunks",
            "outputs": full_out.tolist(),
            "chunk_losses": losses,
            "grads_truncated": {k: v.tolist() for k, v in truncated.items()},
            "grads_full_bptt": {k: v.tolist() for k, v in full.items()},
        }],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)), help="output directory")
    args = ap.parse_args()
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)
    tv, deb = torch.__version__, debian_version()
    docs = {c: single_layer(c, tv, deb) for c in ("rnn", "lstm", "gru")}
    docs["lstm2"] = lstm2(tv, deb)
    docs["lstm_tbptt"] = lstm_tbptt(tv, deb)
    for name, doc in docs.items():
        path = os.path.join(args.out, name + ".json")
        with open(path, "w") as f:
            json.dump(doc, f, separators=(",", ":"))  # repr(float) of the float32 value widened
        print(f"wrote {path}: float32 noise {doc['generator']['self_check']['max_normwise_rel_diff_float32_module_vs_float64_equations']:.3g}")


if __name__ == "__main__":
    main()
