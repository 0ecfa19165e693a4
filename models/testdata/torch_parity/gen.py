#!/usr/bin/python3
"""Generate the PyTorch reference values that models/parity_test.go checks.

Writes rnn.json, lstm.json, gru.json, lstm2.json and lstm_tbptt.json into the
directory of this script (or the one given with --out). Each holds a small
float64 recurrent network in PyTorch's own parameter layout, one input batch,
the forward results at every step and the exact gradients of a loss; README.md
beside this script describes every field.

Made with, and only with:

    Debian bookworm, python3 3.11.2-1+b1, python3-torch 1.13.1+dfsg-4
    (torch.__version__ reports 1.13.0a0), CPU, float64, one thread.

    apt-get update && apt-get install -y python3-torch
    /usr/bin/python3 models/testdata/torch_parity/gen.py

The script uses the Python standard library and torch, nothing else. It is
deterministic: run twice with the same torch build, it writes byte-identical
files (there is no time stamp in them). Before writing a file it checks the
module it took the numbers from against an independent step-by-step
implementation of the documented equations (forward to 1e-13, gradients to
1e-12) and, for the single-layer files, runs torch.autograd.gradcheck on that
implementation; it refuses to write a file whose checks fail.
"""

import argparse
import json
import os
import subprocess
import sys

import torch

I, H, B = 3, 4, 2  # input size, hidden size, batch (every file)
K = 3  # head outputs (the linear_head_mse case)
GATES = {"rnn": [], "lstm": ["i", "f", "g", "o"], "gru": ["r", "z", "n"]}
MODULES = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
SEEDS = {"rnn": 1234, "lstm": 1235, "gru": 1236, "lstm2": 1237, "lstm_tbptt": 1238}
FORWARD_TOL, GRAD_TOL = 1e-13, 1e-12


def debian_version():
    """The dpkg version of python3-torch, or None off Debian."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


# ---- the documented equations, step by step (independent of nn.RNN/LSTM/GRU)

def cell_step(cell, x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One step of the documented equations; returns (h, c). Gate blocks are
    rows g*H..(g+1)*H-1 of the weights, in the order of GATES[cell]."""
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
    cand = torch.tanh(gi[:, 2 * n:3 * n] + r * gh[:, 2 * n:3 * n])  # r multiplies W_hn h + b_hn
    return (1 - z) * cand + z * h, None


def reference(cell, layers, x, h0, c0, params):
    """Runs the documented equations over x (B, T, I) through `layers` stacked
    layers; h0 and c0 are (layers, B, H), params maps PyTorch names to tensors.
    Returns the top layer's outputs (B, T, H), h_n and c_n (layers, B, H)."""
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


def max_diff(a, b):
    return float((a - b).abs().max())


def check(name, value, tol):
    if not value <= tol:
        sys.exit(f"gen.py: self-check failed: {name} = {value:g} > {tol:g}; no file written")
    return value


# ---- the three single-layer files: rnn.json, lstm.json, gru.json

LAYOUT = {
    "weight_ih_l0": "[{g}][{i}] = [num_gates*hidden][input]; row block g*H..(g+1)*H-1 belongs to gate_order[g]",
    "weight_hh_l0": "[{g}][{h}] = [num_gates*hidden][hidden]; same row blocks",
    "bias_ih_l0": "[{g}]; same blocks",
    "bias_hh_l0": "[{g}]; same blocks",
    "x": "[batch][seq][input] (batch_first)",
    "h0, h_n, c0, c_n": "[batch][hidden] (PyTorch's leading num_layers=1 dimension dropped)",
    "outputs": "[batch][seq][hidden]; outputs[b][t] = hidden state after consuming x[b][t] (t zero-based)",
    "head_weight": "[horizon][hidden] (nn.Linear layout: pred = h_T @ W^T + b)",
    "head_bias": "[horizon]",
    "target, prediction": "[batch][horizon]",
    "grads.*": "same shape as the tensor it is the gradient of",
}
SUM_SQ = "loss = 0.5 * sum_{b,t,j} outputs[b][t][j]^2 (all timesteps, all batch rows, all hidden units)"
HEAD_MSE = ("pred = h_T @ head_weight^T + head_bias where h_T = outputs[:, seq-1, :]; "
            "loss = mean_{b,k} (pred[b][k] - target[b][k])^2 (nn.MSELoss, reduction='mean', divides by batch*horizon)")
PARAMS = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]


def single_layer(cell, torch_version, deb):
    T = 5
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

    def run_module():
        xs = x.clone().requires_grad_()
        hs = h0.clone().requires_grad_()
        cs = c0.clone().requires_grad_() if lstm else None
        out, st = mod(xs, (hs, cs) if lstm else hs)
        hn, cn = (st if lstm else (st, None))
        return xs, hs, cs, out, hn, cn

    def run_reference():
        p = {k: getattr(mod, k).detach().clone().requires_grad_() for k in PARAMS}
        xs = x.clone().requires_grad_()
        hs = h0.clone().requires_grad_()
        cs = c0.clone().requires_grad_() if lstm else None
        out, hn, cn = reference(cell, 1, xs, hs, cs, p)
        return p, xs, hs, cs, out, hn, cn

    cases, fwd_diff, grad_diff = [], 0.0, 0.0
    for case in ("sum_sq_outputs", "linear_head_mse"):
        mod.zero_grad()
        head.zero_grad()
        xs, hs, cs, out, hn, cn = run_module()
        p, rx, rh, rc, rout, rhn, rcn = run_reference()
        fwd_diff = max(fwd_diff, max_diff(out, rout), max_diff(hn, rhn))
        if lstm:
            fwd_diff = max(fwd_diff, max_diff(cn, rcn))
        if case == "sum_sq_outputs":
            loss = 0.5 * (out ** 2).sum()
            rloss = 0.5 * (rout ** 2).sum()
            hw = hb = None
        else:
            pred = head(out[:, -1, :])
            loss = torch.nn.MSELoss(reduction="mean")(pred, target)
            hw = head.weight.detach().clone().requires_grad_()
            hb = head.bias.detach().clone().requires_grad_()
            rloss = (((rout[:, -1, :] @ hw.T + hb) - target) ** 2).mean()
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
            grad_diff = max(grad_diff, max_diff(grads[k], rgrads[k]))

        c = {"name": case, "loss_definition": SUM_SQ if case == "sum_sq_outputs" else HEAD_MSE}
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

    # gradcheck: the documented equations against finite differences, every
    # input (x, h0, c0, the four parameters and the head) at once.
    def f(xs, hs, cs, wi, wh, bi, bh, hw, hb):
        p = dict(zip(PARAMS, (wi, wh, bi, bh)))
        out, _, _ = reference(cell, 1, xs, hs, cs, p)
        return 0.5 * (out ** 2).sum(), (((out[:, -1, :] @ hw.T + hb) - target) ** 2).mean()
    ins = (x, h0, c0) + tuple(getattr(mod, k).detach() for k in PARAMS) + (head.weight.detach(), head.bias.detach())
    ins = tuple(None if v is None else v.clone().requires_grad_() for v in ins)
    ok = torch.autograd.gradcheck(f, ins, eps=1e-6, atol=1e-7)
    if not ok:
        sys.exit("gen.py: gradcheck failed; no file written")

    gen = {"script": "gen.py", "torch_version": torch_version, "debian_python3_torch": deb, "seed": seed,
           "self_check": {
               "max_abs_diff_documented_equations_vs_module": check("forward", fwd_diff, FORWARD_TOL),
               "gradcheck_passed": True,
               "max_abs_diff_module_grads_vs_documented_equations_grads": check("gradients", grad_diff, GRAD_TOL),
           }}
    layout = {k: v.format(g=G * H, i=I, h=H) for k, v in LAYOUT.items()}
    inputs = {"x": x.tolist(), "h0": h0[0].tolist()}
    if lstm:
        inputs["c0"] = c0[0].tolist()
    return {
        "format": "torch_parity/v1", "cell": cell, "dtype": "float64", "generator": gen,
        "config": {"input_size": I, "hidden_size": H, "seq_len": T, "batch": B, "num_layers": 1, "bias": True,
                   "batch_first": True, "nonlinearity": "tanh" if cell == "rnn" else None,
                   "num_gates": G, "gate_order": GATES[cell]},
        "layout": layout,
        "params": {k: getattr(mod, k).tolist() for k in PARAMS},
        "inputs": inputs,
        "cases": cases,
    }


# ---- lstm2.json: a 2-layer LSTM

def lstm2(torch_version, deb):
    T, L = 5, 2
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

    p = {k: getattr(mod, k).detach().clone().requires_grad_() for k in names}
    rx, rh, rc = (v.clone().requires_grad_() for v in (x, h0, c0))
    rout, rhn, rcn = reference("lstm", L, rx, rh, rc, p)
    (0.5 * (rout ** 2).sum()).backward()
    fwd = max(max_diff(out, rout), max_diff(hn, rhn), max_diff(cn, rcn))
    grads = {k: getattr(mod, k).grad for k in names}
    grads.update(x=xs.grad, h0=hs.grad, c0=cs.grad)
    rgrads = {k: p[k].grad for k in names}
    rgrads.update(x=rx.grad, h0=rh.grad, c0=rc.grad)
    gd = max(max_diff(grads[k], rgrads[k]) for k in grads)

    return {
        "format": "torch_parity/v1", "cell": "lstm", "dtype": "float64",
        "generator": {"script": "gen.py", "torch_version": torch_version, "debian_python3_torch": deb, "seed": seed,
                      "self_check": {"max_abs_diff_documented_equations_vs_module": check("forward", fwd, FORWARD_TOL),
                                     "max_abs_diff_module_grads_vs_documented_equations_grads": check("gradients", gd, GRAD_TOL)}},
        "config": {"input_size": I, "hidden_size": H, "seq_len": T, "batch": B, "num_layers": L,
                   "gate_order": GATES["lstm"], "batch_first": True},
        "params": {k: getattr(mod, k).tolist() for k in names},
        "inputs": {"x": x.tolist(), "h0": h0.tolist(), "c0": c0.tolist()},
        "cases": [{
            "name": "sum_of_squares_top_layer",
            "loss_definition": "0.5 * sum over b, t, j of outputs[b][t][j]^2, outputs = top layer's h_t",
            "outputs": out.tolist(), "h_n": hn.tolist(), "c_n": cn.tolist(), "loss": loss.item(),
            "grads": {k: v.tolist() for k, v in grads.items()},
        }],
        "notes": ("params use PyTorch names: weight_ih_l0 [4H][I], weight_hh_l0 [4H][H], bias_ih_l0, bias_hh_l0 [4H], "
                  "then the same with _l1 for layer 2, whose input is layer 1's h_t (weight_ih_l1 is [4H][H]). "
                  "h0, c0, h_n, c_n are [layers][B][H], layer 0 first."),
    }


# ---- lstm_tbptt.json: truncated BPTT over two chunks, and full BPTT

def lstm_tbptt(torch_version, deb):
    T, chunk = 6, 3
    seed = SEEDS["lstm_tbptt"]
    torch.manual_seed(seed)  # draw order: module, x, h0, c0
    mod = torch.nn.LSTM(I, H, num_layers=1, batch_first=True)
    x = torch.randn(B, T, I)
    h0 = 0.5 * torch.randn(1, B, H)
    c0 = 0.5 * torch.randn(1, B, H)

    # Truncated: the state leaving a chunk enters the next one detached.
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

    # The same chunks through the documented equations.
    p = {k: getattr(mod, k).detach().clone().requires_grad_() for k in PARAMS}
    rh, rc = h0, c0
    for k in range(0, T, chunk):
        rout, rh, rc = reference("lstm", 1, x[:, k:k + chunk, :], rh, rc, p)
        (0.5 * (rout ** 2).sum()).backward()
        rh, rc = rh.detach(), rc.detach()
    gd = max(max_diff(truncated[k], p[k].grad) for k in PARAMS)

    # Full BPTT over all T steps, for contrast.
    mod.zero_grad()
    full_out, _ = mod(x, (h0, c0))
    (0.5 * (full_out ** 2).sum()).backward()
    full = {k: getattr(mod, k).grad.clone() for k in PARAMS}
    fwd = max_diff(full_out, torch.cat(outs, dim=1))

    return {
        "format": "torch_parity/v1", "cell": "lstm", "dtype": "float64",
        "generator": {"script": "gen.py", "torch_version": torch_version, "debian_python3_torch": deb, "seed": seed,
                      "self_check": {"max_abs_diff_chunked_vs_full_outputs": check("chunked forward", fwd, FORWARD_TOL),
                                     "max_abs_diff_module_grads_vs_documented_equations_grads": check("gradients", gd, GRAD_TOL)}},
        "config": {"input_size": I, "hidden_size": H, "seq_len": T, "batch": B, "num_layers": 1,
                   "gate_order": GATES["lstm"], "batch_first": True, "chunk": chunk},
        "params": {k: getattr(mod, k).tolist() for k in PARAMS},
        "inputs": {"x": x.tolist(), "h0": h0[0].tolist(), "c0": c0[0].tolist()},
        "cases": [{
            "name": "tbptt_chunks",
            "loss_definition": ("sum over chunks of 0.5 * sum of squares of that chunk's outputs; the state entering "
                                "each chunk is carried forward but detached (no gradient crosses a chunk boundary)"),
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
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    tv, deb = torch.__version__, debian_version()
    docs = {c: single_layer(c, tv, deb) for c in ("rnn", "lstm", "gru")}
    docs["lstm2"] = lstm2(tv, deb)
    docs["lstm_tbptt"] = lstm_tbptt(tv, deb)
    for name, doc in docs.items():
        path = os.path.join(args.out, name + ".json")
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)  # repr(float): the shortest decimal that round-trips
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
