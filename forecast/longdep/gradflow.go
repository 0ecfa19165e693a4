package longdep

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/internal/workpool"
	"github.com/tsf-go/tsf/models"
)

// saltFlow seeds the batch on which gradient flow is measured.
const saltFlow = 0xf10e000

// DefaultFlowLength is the default adding-problem length of GradientFlow.
const DefaultFlowLength = 100

// FlowConfig configures GradientFlow: the adding problem of length Length,
// trained with the budget of the embedded Config (Models default rnn, lstm;
// Steps, Batch, Hidden, LR, Schedule, Clip, initialisation, Seed and
// Workers as in Config, with the Adding defaults). Config's Task, Lengths,
// Seeds, TestSize and Progress are ignored. Steps < 0 measures at
// initialisation only.
type FlowConfig struct {
	Config
	// Length is the sequence length T; default 100.
	Length int
}

// Flow is one model's gradient norms back through time on the adding
// problem: Init[k] and Trained[k] are ‖∂L/∂h_{T−k}‖ for k = 0..T−1
// (k = 0 is the last hidden state), the L2 norm over hidden units averaged
// over the rows of a fixed measurement batch, at initialisation and after
// training. L is the batch MSE of the prediction from h_T.
type Flow struct {
	Model   string    `json:"model"`
	Length  int       `json:"length"`
	Init    []float64 `json:"init"`
	Trained []float64 `json:"trained,omitempty"`
	// InitMSE and TrainedMSE are the MSEs on the measurement batch.
	InitMSE    float64 `json:"init_mse"`
	TrainedMSE float64 `json:"trained_mse,omitempty"`
	// Steps is the number of training steps between the measurements.
	Steps   int     `json:"steps"`
	Seconds float64 `json:"seconds"`
}

// Decay returns the ratio of the gradient norm at step k = 0 to that at
// k = len(g)−1: how much it falls over the whole sequence (+Inf when it
// reaches exactly 0).
func Decay(g []float64) float64 {
	if len(g) == 0 {
		return math.NaN()
	}
	return g[0] / g[len(g)-1]
}

// GradientFlow measures, for each model, ‖∂L/∂h_{T−k}‖ against k at
// initialisation and after cfg.Steps training steps, running the models on
// a pool of cfg.Workers goroutines. Results are in cfg.Models order and do
// not depend on the number of workers. On cancellation it returns the
// models that finished, with ctx.Err().
func GradientFlow(ctx context.Context, cfg FlowConfig) ([]Flow, error) {
	if cfg.Length == 0 {
		cfg.Length = DefaultFlowLength
	}
	if len(cfg.Models) == 0 {
		cfg.Models = []string{"rnn", "lstm"}
	}
	cfg.Task = Adding
	steps := cfg.Steps
	if steps < 0 {
		cfg.Steps = 1
	}
	cfg.fill()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.Length < 2 {
		return nil, fmt.Errorf("gradient flow: length %d too short (need at least 2)", cfg.Length)
	}
	for _, m := range cfg.Models {
		if m == "mlp" {
			return nil, fmt.Errorf("gradient flow: model mlp has no hidden state through time")
		}
	}
	if steps < 0 {
		cfg.Steps = 0
	}
	out := make([]*Flow, len(cfg.Models))
	errs := make([]error, len(cfg.Models))
	workpool.For(ctx, len(cfg.Models), cfg.Workers, func(i int) {
		f, err := flowOne(ctx, &cfg.Config, cfg.Length, cfg.Models[i])
		if err != nil {
			errs[i] = err
			return
		}
		out[i] = &f
	})
	var res []Flow
	for i, f := range out {
		if f != nil {
			res = append(res, *f)
		} else if ctx.Err() == nil {
			return nil, fmt.Errorf("gradient flow of %s: %w", cfg.Models[i], errs[i])
		}
	}
	return res, ctx.Err()
}

func flowOne(ctx context.Context, cfg *Config, T int, model string) (Flow, error) {
	start := time.Now()
	tk := newAddingTask(cfg, T, cfg.Seed)
	l, err := tk.model(model, cfg.Seed)
	if err != nil {
		return Flow{}, err
	}
	net := l.(*models.Network)
	B := cfg.Batch
	x, y := make([]float64, T*B*2), make([]float64, B)
	dataset.AddingBatch(rand.New(rand.NewPCG(cfg.Seed, saltFlow+uint64(T))), T, B, x, y)
	f := Flow{Model: model, Length: T, Steps: cfg.Steps}
	f.Init, f.InitMSE = hiddenFlow(net, x, y, T, B)
	if cfg.Steps > 0 {
		if _, _, err := train(ctx, cfg, tk, net); err != nil {
			return Flow{}, err
		}
		f.Trained, f.TrainedMSE = hiddenFlow(net, x, y, T, B)
	}
	f.Seconds = time.Since(start).Seconds()
	return f, nil
}

// hiddenFlow returns ‖∂L/∂h_{T−k}‖ for k = 0..T−1 on one batch, and its MSE.
func hiddenFlow(net *models.Network, x, y []float64, T, B int) ([]float64, float64) {
	dy := make([]float64, B)
	net.ZeroGrad()
	out := net.Forward(x, T, B)
	mse := models.MSE(out, y, dy)
	net.Backward(dy)
	g := make([]float64, T)
	net.HiddenGradNorms(g, net.Layers()-1)
	net.ZeroGrad()
	slices.Reverse(g)
	return g, mse
}
