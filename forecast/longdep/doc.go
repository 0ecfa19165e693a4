// Package longdep measures how far back recurrent networks can learn: the
// long-dependency study of tsf. It trains vanilla RNNs, LSTMs, GRUs and a
// windowed MLP on tasks whose answer depends on something that happened a
// known number of steps ago, and measures the gradient that reaches back
// there.
//
// Tasks:
//
//   - Adding (Hochreiter & Schmidhuber 1997; Le et al. 2015): sequences of
//     length T with two marked values; the target is their sum. Predicting
//     the mean 1 gives MSE 1/6 (dataset.AddingConstantMSE), the baseline.
//   - Echo: one-step forecasts of a dataset.SpikeEcho series, where every
//     spike recurs L steps later at Gain (default 0.5) times its height.
//     Each window has L steps and the forecast of the step after it is
//     scored: the echo due then comes from the window's first step, so a
//     model must carry that step's spike across the whole window, past the
//     spikes and echoes in between, and need not count (Config.EchoWindow
//     makes the window longer, and the source sits inside it). Because an
//     echo is fainter than any spike, the first step says whether an echo
//     is due. The reported error is the excess MSE over the oracle that
//     knows the echo (the part of the error a model can remove by
//     remembering); its baseline is the excess of the best lag-free
//     predictor (always 0). Raw, oracle and lag-free MSEs are reported too.
//   - TBPTT: the echo task at a fixed lag, training with the gradient cut
//     k2 steps back from the end of each window (models.Config.Truncate);
//     Lengths are the k2 values. No model can learn the echo when the
//     gradient does not reach the window's first step.
//
// Conventions and invariants:
//
//   - Every cell of a grid (task, length, model) gets the identical budget:
//     steps, batch, hidden size, optimiser, learning-rate schedule,
//     clipping and initialisation. Seed i of a cell seeds the weights and
//     the training data; the test set of a length is the same for every
//     model and seed and comes from its own seeded source.
//   - Results do not depend on the number of workers: each run (cell ×
//     seed) builds its own network and random sources.
//   - Test MSE is measured on TestSize fresh sequences (windows for echo).
//     "Steps to 0.01" is the first multiple of EvalEvery steps at which the
//     mean training error of the last EvalEvery batches is below 0.01; the
//     batches are fresh data, so this is an online estimate of the test
//     error. -1 means never.
//   - Bad configurations are errors; Run and GradientFlow honour ctx and
//     return what finished before a cancellation together with ctx.Err().
package longdep
