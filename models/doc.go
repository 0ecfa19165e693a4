// Package models holds tsf's neural forecasters: batched vanilla RNN, LSTM
// and GRU layers with exact backpropagation through time (BPTT), truncated
// BPTT, a linear head, a windowed MLP, losses, optimisers, learning-rate
// schedules, gradient diagnostics and a training-step benchmark.
//
// # Element type
//
// Every type and function is generic over the element type F, float64 or
// float32 (Float): NetworkOf[F], ParamOf[F], StateOf[F], TBPTTOf[F],
// MLPOf[F], AdamOf[F], SGDOf[F], the losses and the gradient clipping are
// one implementation each. Network, Param, State, TBPTT, MLP, Adam, SGD and
// Trainer are the float64 instantiations, and New, NewMLP and NewTrainer
// build float64 models; NewOf[float32] (with Config.DType "float32"),
// NewMLPOf[float32] and NewTrainerOf[float32] build float32 ones, and Bench
// picks the type from BenchConfig.DType. In float32 the products, the
// activations and every element-wise operation run in float32, as in
// PyTorch's default dtype; scalar factors (learning rates, bias
// corrections, 1/N of a mean) are computed in float64 and rounded once, and
// loss values and norms are summed in float64. Master32 puts a float64 face
// (Learner[float64]: float64 inputs, outputs, weights and gradients) on a
// float32 network, for training loops and model files written for float64:
// float32 compute with float64 master weights.
//
// # Layouts
//
// Every buffer is a contiguous row-major []F.
//
//   - Input x is time-major (T, B, In): x[(t*B+b)*In+i] is feature i of
//     batch row b at step t. Each batch row is one independent sequence.
//   - Forward returns (B, Output) from the last hidden state, or
//     (T, B, Output) with Config.PerStep. Outputs returns the top layer's
//     h_t as (T, B, Hidden); InputGrad returns dL/dx as (T, B, In).
//   - Parameters use PyTorch's names, shapes and layout, so PyTorch weights
//     load by copying: weight_ih_l{k} (G*H, In_k), weight_hh_l{k} (G*H, H),
//     bias_ih_l{k} and bias_hh_l{k} (G*H), head.weight (Output, H),
//     head.bias (Output). Rows g*H..g*H+H-1 belong to gate g: [i, f, g, o]
//     for LSTM, [r, z, n] for GRU, one block for RNN. Both bias vectors are
//     kept, as in PyTorch (for the GRU, b_hn sits inside the reset product).
//   - A State holds (Layers, B, Hidden) hidden states, layer 0 first, and
//     the LSTM cell states in the same layout.
//
// # Equations
//
// PyTorch's, as in the documentation of nn.RNN (tanh), nn.LSTM and nn.GRU:
//
//	RNN:  h = tanh(W_ih x + b_ih + W_hh h' + b_hh)
//	LSTM: i, f, g, o = σ, σ, tanh, σ of (W_ih x + b_ih + W_hh h' + b_hh)
//	      c = f⊙c' + i⊙g;  h = o⊙tanh(c)
//	GRU:  r, z = σ(W_ih x + b_ih + W_hh h' + b_hh)
//	      n = tanh(W_in x + b_in + r⊙(W_hn h' + b_hn));  h = (1−z)⊙n + z⊙h'
//
// # Computation
//
// Each layer packs W_hh once per Forward (as W_hhᵀ) and once per Backward
// (as W_hh) for internal/linalg.GemmPacked, then runs one fused-gate
// recurrent GEMM (B, H)·(H, G*H) per step forward and one (B, G*H)·(G*H, H)
// per step backward. The input projection is one GEMM over all T steps,
// (T*B, In)·(In, G*H), except for In ≤ 4 (and not GRU), where the
// element-wise pass adds W_ih x_t itself and the backward pass sums the
// W_ih and bias gradients per batch row. W_hh's gradient is one GEMM over
// all steps. The element-wise pass of a step is one sweep per batch row:
// bias and input added, gate nonlinearities (linalg.Sigmoid and
// linalg.Tanh, vectorised), cell update. A layer's whole forward or
// backward pass is split by batch rows into at most GOMAXPROCS parts when
// T·B·G·H ≥ 2^20, each part run start to finish on one goroutine of a
// small long-lived pool: one hand-off per pass, not per step. Every row
// gets the same arithmetic whatever the split (the products of a part run
// with linalg.GemmPackedSerial), so the split changes no number
// (TestSplitChangesNothing). InputGrad computes dL/dx on demand.
// Predict runs inference over any number of windows in chunks of
// PredictChunk rows, so its memory is bounded.
//
// # Buffers and allocation
//
// A Network owns every buffer it returns (head output, hidden states,
// gradients); they are overwritten by the next Forward or Backward. The
// per-step caches (hidden and cell states, gate activations, pre-activation
// gradients) are sized for the largest T and B seen, grow only when T or B
// grows (or are sized at New with MaxSeq and MaxBatch), and are reused: a
// training step (ZeroGrad, Forward, loss, Backward, ClipGlobalNorm,
// optimiser Step) allocates nothing after the first one. Forward keeps a
// reference to x until Backward: do not modify it in between. Backward
// accumulates into Param.G (+=); ZeroGrad clears it. Optimisers allocate
// their moment buffers on the first Step only.
//
// # State and truncated BPTT
//
// SetState makes Forward start from a carried State, copied at each
// Forward: gradient never flows into it, so a carried state is always
// detached. FinalState and StateAt read states back; State.ResetRow and
// Network.ResetAt zero batch rows at series boundaries. Config.Truncate
// cuts the gradient after k steps back from the end of each sequence
// (stateless windows); TBPTT runs stateful TBPTT(k1, k2) over long streams.
// In both, the gradient reaching further back than the truncation is
// exactly zero.
//
// # Errors and panics
//
// Constructors (New, NewMLP, NewTBPTT, Bench, ParseCell) return errors for
// invalid configurations. Programmer misuse panics with a "models: "
// message: wrong buffer lengths or sizes in Forward, Backward, the losses
// and the State methods, Backward without a Forward, an out-of-range
// layer, gate, step or row. The package never reads files; numerical data
// is the caller's to validate.
//
// Same seed, same data, same calls → bit-identical weights.
package models
