package neural

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/internal/workpool"
	"github.com/tsf-go/tsf/models"
	"github.com/tsf-go/tsf/windowing"
)

// trainable is what the training loop needs of a network: models.Network
// and models.MLP both have it.
type trainable interface {
	Forward(x []float64, T, B int) []float64
	Backward(dOut []float64)
	ZeroGrad()
	Params() []*models.Param
}

func (n *Neural) build(in int, seed uint64) (trainable, error) {
	c := n.cfg
	f32 := c.DType == "float32"
	switch c.Model {
	case "mlp":
		mc := models.MLPConfig{Window: c.Window, Input: in, Hidden: []int{2 * c.Hidden}, Output: n.out, Seed: seed}
		if f32 {
			net, err := models.NewMLPOf[float32](mc)
			if err != nil {
				return nil, err
			}
			return models.NewMaster32(net), nil
		}
		return models.NewMLP(mc)
	default:
		cell, err := models.ParseCell(c.Model)
		if err != nil {
			return nil, err
		}
		mc := models.Config{Cell: cell, Input: in, Hidden: c.Hidden, Layers: c.Layers, Output: n.out,
			Truncate: c.Truncate, Chrono: c.Chrono, Seed: seed, MaxSeq: c.Window, MaxBatch: c.Batch}
		if f32 {
			mc.DType = models.Float32
			net, err := models.NewOf[float32](mc)
			if err != nil {
				return nil, err
			}
			return models.NewMaster32(net), nil
		}
		return models.New(mc)
	}
}

// trainMembers trains every ensemble member on the windows trainIDs of wins,
// early-stopping on valIDs, concurrently (at most GOMAXPROCS at a time;
// each member's numbers do not depend on the others), and keeps them in
// n.nets, with the first member's history. It returns the first member
// error; n.nets is left empty when a member finished no epoch (nothing
// worth keeping: the error says why).
func (n *Neural) trainMembers(ctx context.Context, wins *windowing.Windows, trainIDs, valIDs []int) (err error) {
	c := n.cfg
	start := time.Now()
	members := make([]member, c.Ensemble)
	// Every member starts, even after a cancellation: each keeps what it
	// trained (n.train stops at ctx).
	workpool.For(context.Background(), len(members), 0, func(k int) {
		members[k] = n.train(ctx, wins, trainIDs, valIDs, c.Seed+uint64(k), k == 0)
	})
	n.nets = n.nets[:0]
	for _, m := range members {
		if m.err != nil && err == nil {
			err = m.err
		}
		if m.hist.BestEpoch == 0 {
			if err == nil {
				err = fmt.Errorf("%s: no epoch finished", c.Model)
			}
			n.nets = nil
			return err
		}
		n.nets = append(n.nets, m.net)
	}
	n.history = members[0].hist
	n.history.Elapsed = time.Since(start)
	n.history.TrainWindows, n.history.ValWindows = len(trainIDs), len(valIDs)
	return err
}

// member is one trained network of the ensemble.
type member struct {
	net  trainable
	hist TrainingHistory
	err  error
}

// train trains one network from seed on the windows trainIDs of wins (the
// local model's first nTrain, the global model's chosen windows of every
// series), early-stopping on valIDs, and returns it with its best weights.
// It does not modify trainIDs. Only the member with report set calls
// Progress.
func (n *Neural) train(ctx context.Context, wins *windowing.Windows, trainIDs, valIDs []int, seed uint64, report bool) member {
	c := n.cfg
	W, H := c.Window, n.out
	net, err := n.build(n.netIn(), seed)
	if err != nil {
		return member{err: fmt.Errorf("%s: %w", c.Model, err)}
	}
	params := net.Params()
	best := make([][]float64, len(params))
	for i, p := range params {
		best[i] = slices.Clone(p.W)
	}
	trainIDs = slices.Clone(trainIDs)
	nTrain := len(trainIDs)
	batch := wins.NewBatch(c.Batch)
	nb := n.newNormBuf(c.Batch, H)
	grad := make([]float64, c.Batch*H)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	opt := &models.Adam{LR: c.LR}
	plateau := &models.Plateau{LR: c.LR}
	start := time.Now()
	bestLoss := math.Inf(1)
	bestEpoch, since := 0, 0
	var hist TrainingHistory
	lr := c.LR
	stopped := "epochs"
	var fitErr error

epochs:
	for epoch := 0; epoch < c.Epochs; epoch++ {
		switch c.Schedule {
		case "cosine":
			lr = models.Cosine{Base: c.LR, Min: c.LR / 100, Total: c.Epochs}.LR(epoch)
		case "step":
			lr = models.StepDecay{Base: c.LR, Gamma: 0.1, Every: max(1, c.Epochs/3)}.LR(epoch)
		}
		opt.SetLR(lr)
		rng.Shuffle(len(trainIDs), func(i, j int) { trainIDs[i], trainIDs[j] = trainIDs[j], trainIDs[i] })
		var sum float64
		var count int
		for lo := 0; lo < nTrain; lo += c.Batch {
			if err := ctx.Err(); err != nil {
				stopped, fitErr = "cancelled", err
				break epochs
			}
			ids := trainIDs[lo:min(lo+c.Batch, nTrain)]
			wins.Fill(batch, ids)
			x := n.prepare(batch, nb)
			B := batch.B
			net.ZeroGrad()
			out := net.Forward(x, W, B)
			loss := n.loss(out, batch.Y[:B*H], grad[:B*H])
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				stopped = "diverged"
				fitErr = &DivergedError{Model: c.Model, Epoch: epoch + 1, Loss: loss, LR: c.LR, Clip: c.Clip}
				break epochs
			}
			net.Backward(grad[:B*H])
			if c.Clip > 0 {
				models.ClipGlobalNorm(params, c.Clip)
			}
			opt.Step(params)
			sum += loss * float64(B)
			count += B
		}
		trainLoss := sum / float64(count)
		valLoss := math.NaN()
		monitor := trainLoss
		if len(valIDs) > 0 {
			valLoss = n.evalLoss(net, wins, batch, nb, valIDs)
			monitor = valLoss
		}
		if math.IsNaN(monitor) || math.IsInf(monitor, 0) {
			stopped = "diverged"
			fitErr = &DivergedError{Model: c.Model, Epoch: epoch + 1, Loss: monitor, Validation: true, LR: c.LR, Clip: c.Clip}
			break
		}
		hist.Train = append(hist.Train, trainLoss)
		hist.Val = append(hist.Val, valLoss)
		if monitor < bestLoss {
			bestLoss, bestEpoch, since = monitor, epoch+1, 0
			for i, p := range params {
				copy(best[i], p.W)
			}
		} else {
			since++
		}
		if report && c.Progress != nil {
			c.Progress(forecast.EpochInfo{Epoch: epoch + 1, Epochs: c.Epochs, TrainLoss: trainLoss, ValLoss: valLoss,
				LearningRate: lr, Elapsed: time.Since(start)})
		}
		if c.Schedule == "plateau" {
			lr, _ = plateau.Observe(monitor)
		}
		if len(valIDs) > 0 && since >= c.Patience {
			stopped = "early stopping"
			break
		}
	}
	hist.BestEpoch = bestEpoch
	hist.Stopped = stopped
	hist.Elapsed = time.Since(start)
	for i, p := range params {
		copy(p.W, best[i])
	}
	return member{net: net, hist: hist, err: fitErr}
}

// forward returns the ensemble's mean output for x (T, B, In); out is a
// buffer of at least B·out values used when there is more than one member.
func (n *Neural) forward(x []float64, T, B int, out []float64) []float64 {
	if len(n.nets) == 1 {
		return n.nets[0].Forward(x, T, B)
	}
	out = out[:B*n.out]
	clear(out)
	for _, net := range n.nets {
		for i, v := range net.Forward(x, T, B) {
			out[i] += v
		}
	}
	k := float64(len(n.nets))
	for i := range out {
		out[i] /= k
	}
	return out
}

// loss returns the configured loss of out against target and, if grad is
// not nil, its gradient.
func (n *Neural) loss(out, target, grad []float64) float64 {
	switch n.cfg.Loss {
	case "mae":
		return models.MAE(out, target, grad)
	case "huber":
		return models.Huber(out, target, grad, 1)
	default:
		return models.MSE(out, target, grad)
	}
}

// evalLoss returns net's mean loss over the windows ids (scaled, normalised).
func (n *Neural) evalLoss(net trainable, wins *windowing.Windows, b *windowing.Batch, nb *normBuf, ids []int) float64 {
	W, H := n.cfg.Window, n.out
	var sum float64
	for lo := 0; lo < len(ids); lo += n.cfg.Batch {
		part := ids[lo:min(lo+n.cfg.Batch, len(ids))]
		wins.Fill(b, part)
		x := n.prepare(b, nb)
		B := b.B
		out := net.Forward(x, W, B)
		sum += n.loss(out, b.Y[:B*H], nil) * float64(B)
	}
	return sum / float64(len(ids))
}

// DivergedError is a training run whose loss became NaN or infinite; it
// wraps ErrDiverged. Its message names the NeuralConfig fields to change,
// with their values.
type DivergedError struct {
	// Model is the network's model name (lstm, gru, rnn, mlp).
	Model string
	// Epoch is the epoch, from 1, whose loss diverged.
	Epoch int
	// Loss is the diverged loss.
	Loss float64
	// Validation says that the loss is the validation loss.
	Validation bool
	// LR and Clip are the run's NeuralConfig.LR and NeuralConfig.Clip.
	LR, Clip float64
}

// Error says what diverged where, and which settings to change.
func (e *DivergedError) Error() string {
	return fmt.Sprintf("%s; try a lower learning rate (LR, %g) or gradient clipping (Clip, %g)", e.What(), e.LR, e.Clip)
}

// What is the message without the advice: the model, ErrDiverged, the
// epoch and the loss.
func (e *DivergedError) What() string {
	loss := "loss"
	if e.Validation {
		loss = "validation loss"
	}
	return fmt.Sprintf("%s: %v at epoch %d (%s %g)", e.Model, ErrDiverged, e.Epoch, loss, e.Loss)
}

// Unwrap returns ErrDiverged.
func (e *DivergedError) Unwrap() error { return ErrDiverged }
