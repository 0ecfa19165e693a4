package longdep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tsf-go/tsf/internal/workpool"
	"github.com/tsf-go/tsf/models"
)

// Task names one experiment of the study.
type Task string

// The tasks of the study; see the package documentation.
const (
	Adding Task = "adding"
	Echo   Task = "echo"
	TBPTT  Task = "tbptt"
)

// Tasks lists every task in study order.
var Tasks = []Task{Adding, Echo, TBPTT}

// ParseTask turns "adding", "echo" or "tbptt" (any case) into a Task.
func ParseTask(s string) (Task, error) {
	t := Task(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Tasks, t) {
		return t, nil
	}
	return "", fmt.Errorf("unknown task %q (want adding, echo or tbptt)", s)
}

// Models lists the model names the study knows: the three recurrent cells
// and the windowed MLP (adding and echo tasks).
var Models = []string{"rnn", "lstm", "gru", "mlp"}

// Schedule is a learning-rate schedule over the steps of one run.
type Schedule string

const (
	// Cosine warms up linearly over the first 5 % of the steps, then
	// anneals from LR to LR/100 (half a cosine). The default.
	Cosine Schedule = "cosine"
	// Constant keeps LR throughout.
	Constant Schedule = "constant"
)

// Defaults of Config, per task where they differ.
const (
	DefaultSeeds     = 3
	DefaultBatch     = 64
	DefaultTestSize  = 1000
	DefaultEvalEvery = 50
	DefaultClip      = 1.0
	DefaultLag       = 10   // TBPTT task
	DefaultRate      = 0.05 // echo spike rate
	DefaultChrono    = 400  // adding task
	DefaultGain      = 0.5  // echo gain
	DefaultEchoSteps = 3000 // echo task
	DefaultEchoBatch = 128  // echo task
	// DefaultEchoChrono is the chrono time scale of the echo tasks: twice
	// the longest default lag.
	DefaultEchoChrono = 200
	// DefaultEchoTestSize is the number of test windows of the echo tasks,
	// each scored on one forecast, about Rate of them with an echo due.
	DefaultEchoTestSize = 10000
)

// Config describes one grid: task × lengths × models × seeds. The zero
// value of every field means its documented default; DefaultConfig(task)
// returns them filled in.
type Config struct {
	// Task is the experiment; default Adding.
	Task Task
	// Lengths are the sequence lengths T (Adding; default 50, 100, 200),
	// the lags L (Echo; default 5, 20, 60, 100) or the truncations
	// k2 (TBPTT; default 3, 6, 9, 10, 15: the window is the lag, 10, so
	// k2 = 10 is the first that reaches its first step).
	Lengths []int
	// Lag is the echo lag of the TBPTT task; default 10.
	Lag int
	// Rate is the probability of a spike at each step of the echo series
	// (Echo, TBPTT); default 0.05.
	Rate float64
	// Gain is the echo gain of the echo series (dataset.SpikeEchoConfig);
	// default 0.5, a fainter echo. With a gain other than ±1 an echo
	// differs in height from a primary spike, so a model can tell from the
	// first step of a window whether an echo is due right after it.
	Gain float64
	// Models are "rnn", "lstm", "gru" and, for Adding and Echo, "mlp"
	// (which sees the whole window at once); default rnn, lstm.
	Models []string
	// Seeds is the number of seeds per cell; default 3. Seed i is Seed+i.
	Seeds int
	// Seed is the first seed (0 is a valid seed).
	Seed uint64
	// Steps is the number of optimiser steps per run; default 2000
	// (Adding, TBPTT) or DefaultEchoSteps (Echo: one scored forecast per
	// window, and an echo due in only a Rate share of them).
	Steps int
	// Batch is the number of sequences per step; default 64 (Adding,
	// TBPTT) or DefaultEchoBatch (Echo: more windows per step, because
	// only a Rate share of them carry an echo).
	Batch int
	// Hidden is the hidden size of the recurrent layer (and of the MLP's
	// hidden layer); default 64 (Adding), 32 (Echo, TBPTT).
	Hidden int
	// LR is the peak Adam learning rate; default 3e-3 (Adding), 1e-2
	// (Echo, TBPTT).
	LR float64
	// Schedule is the learning-rate schedule; default Cosine.
	Schedule Schedule
	// Clip is the global gradient-norm clipping threshold; default 1.0.
	// Negative means no clipping.
	Clip float64
	// ForgetBias is the LSTM forget-gate bias at initialisation; default 1.
	// Negative values are used as given; use NoForgetBias for 0.
	ForgetBias float64
	// NoForgetBias initialises the LSTM forget-gate bias at 0.
	NoForgetBias bool
	// Orthogonal initialises the recurrent weights as orthogonal blocks.
	Orthogonal bool
	// Chrono, if > 1, uses the chrono initialisation of the LSTM gate
	// biases (Tallec & Ollivier 2018) instead of ForgetBias: each unit's
	// forget bias is log(u) and its input bias −log(u), u ~ U(1, Chrono−1),
	// so the cells start with memory time scales spread up to Chrono steps.
	// Default 400 for Adding (the longest length studied, the same for
	// every length) and 200 for Echo and TBPTT; negative turns it off.
	Chrono int
	// TorchInit uses PyTorch's default initialisation for everything
	// (forget bias 0), ignoring ForgetBias and Orthogonal.
	TorchInit bool
	// EchoWindow, if longer than the lag, is the window length of the echo
	// tasks; default (0) the lag itself. See the package documentation.
	EchoWindow int
	// Enrich is the share of the echo tasks' training windows drawn from
	// those whose source step holds a spike, so an echo is due right after
	// them; the rest are drawn uniformly, as the test windows always are.
	// Default 0: the series' own rate (Rate). The choice depends only on
	// the window, never on its target, so the best forecast of a window is
	// the same with and without enrichment: it changes how often the rare
	// signal is seen, not what is to be learnt.
	Enrich float64
	// TestSize is the number of fresh test sequences (Adding; default
	// 1000) or windows (Echo, TBPTT; default 10000).
	TestSize int
	// EvalEvery is the window, in steps, of the running training error
	// that decides "steps to 0.01"; default 50.
	EvalEvery int
	// Workers runs that many runs at once; default GOMAXPROCS.
	Workers int
	// Progress, if set, is called after each finished run (one seed of one
	// cell) with the number of finished and total runs. Calls are
	// serialised.
	Progress func(r RunResult, done, total int)
}

// DefaultConfig returns the default grid of a task with every default filled in.
func DefaultConfig(task Task) Config {
	c := Config{Task: task}
	c.fill()
	return c
}

func (c *Config) fill() {
	if c.Task == "" {
		c.Task = Adding
	}
	echo := c.Task != Adding
	if len(c.Lengths) == 0 {
		switch c.Task {
		case Adding:
			c.Lengths = []int{50, 100, 200}
		case Echo:
			c.Lengths = []int{5, 20, 60, 100}
		case TBPTT:
			c.Lengths = []int{3, 6, 9, 10, 15}
		}
	}
	if c.Lag == 0 {
		c.Lag = DefaultLag
	}
	if c.Rate == 0 {
		c.Rate = DefaultRate
	}
	if c.Gain == 0 {
		c.Gain = DefaultGain
	}
	if len(c.Models) == 0 {
		c.Models = []string{"rnn", "lstm"}
	}
	if c.Seeds == 0 {
		c.Seeds = DefaultSeeds
	}
	if c.Steps == 0 {
		c.Steps = 2000
		if c.Task == Echo {
			c.Steps = DefaultEchoSteps
		}
	}
	if c.Batch == 0 {
		c.Batch = DefaultBatch
		if c.Task == Echo {
			c.Batch = DefaultEchoBatch
		}
	}
	if c.Hidden == 0 {
		c.Hidden = 64
		if echo {
			c.Hidden = 32
		}
	}
	if c.LR == 0 {
		c.LR = 3e-3
		if echo {
			c.LR = 1e-2
		}
	}
	if c.Chrono == 0 {
		c.Chrono = DefaultChrono
		if echo {
			c.Chrono = DefaultEchoChrono
		}
	}
	if c.Schedule == "" {
		c.Schedule = Cosine
	}
	if c.Clip == 0 {
		c.Clip = DefaultClip
	}
	if c.TestSize == 0 {
		c.TestSize = DefaultTestSize
		if echo {
			c.TestSize = DefaultEchoTestSize
		}
	}
	if c.EvalEvery == 0 {
		c.EvalEvery = DefaultEvalEvery
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
}

func (c *Config) check() error {
	if !slices.Contains(Tasks, c.Task) {
		return fmt.Errorf("unknown task %q (want adding, echo or tbptt)", c.Task)
	}
	for _, L := range c.Lengths {
		switch {
		case c.Task == Adding && L < 2:
			return fmt.Errorf("adding: length %d too short (need at least 2)", L)
		case c.Task != Adding && L < 1:
			return fmt.Errorf("%s: length %d must be at least 1", c.Task, L)
		}
	}
	for _, m := range c.Models {
		if !slices.Contains(Models, m) {
			return fmt.Errorf("unknown model %q (want rnn, lstm, gru or mlp)", m)
		}
		if m == "mlp" && c.Task == TBPTT {
			return fmt.Errorf("model mlp applies to the adding and echo tasks, not %s (it has no gradient through time to truncate)", c.Task)
		}
	}
	switch {
	case c.Seeds < 1:
		return fmt.Errorf("seeds %d must be at least 1", c.Seeds)
	case c.Steps < 1:
		return fmt.Errorf("steps %d must be at least 1", c.Steps)
	case c.Batch < 1:
		return fmt.Errorf("batch %d must be at least 1", c.Batch)
	case c.Hidden < 1:
		return fmt.Errorf("hidden %d must be at least 1", c.Hidden)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return fmt.Errorf("learning rate %g must be positive", c.LR)
	case c.Schedule != Cosine && c.Schedule != Constant:
		return fmt.Errorf("unknown schedule %q (want cosine or constant)", c.Schedule)
	case c.TestSize < 1:
		return fmt.Errorf("test size %d must be at least 1", c.TestSize)
	case c.EvalEvery < 1:
		return fmt.Errorf("eval-every %d must be at least 1", c.EvalEvery)
	case c.Workers < 1:
		return fmt.Errorf("workers %d must be at least 1", c.Workers)
	case c.EchoWindow < 0:
		return fmt.Errorf("echo window %d must not be negative", c.EchoWindow)
	case !(c.Enrich >= 0 && c.Enrich < 1):
		return fmt.Errorf("echo enrichment %g must be in [0, 1)", c.Enrich)
	case c.Enrich > 0 && c.Task == Adding:
		return fmt.Errorf("echo enrichment applies to the echo and tbptt tasks, not adding")
	case math.IsNaN(c.Gain) || math.IsInf(c.Gain, 0):
		return fmt.Errorf("echo gain %g must be finite", c.Gain)
	case !(c.Rate > 0 && c.Rate <= 1):
		return fmt.Errorf("spike rate %g must be in (0, 1]", c.Rate)
	case c.Task == TBPTT && c.Lag < 1:
		return fmt.Errorf("tbptt: lag %d must be at least 1", c.Lag)
	}
	return nil
}

// RunResult is one run: one seed of one cell.
type RunResult struct {
	Task   Task   `json:"task"`
	Length int    `json:"length"`
	Model  string `json:"model"`
	Seed   uint64 `json:"seed"`
	// MSE is the test error (excess MSE for Echo and TBPTT).
	MSE float64 `json:"mse"`
	// RawMSE, OracleMSE and LagFreeMSE are the echo tasks' raw test MSE and
	// the MSEs of the oracle and of the zero predictor on the same targets;
	// 0 for Adding.
	RawMSE     float64 `json:"raw_mse,omitempty"`
	OracleMSE  float64 `json:"oracle_mse,omitempty"`
	LagFreeMSE float64 `json:"lag_free_mse,omitempty"`
	// StepsTo is the number of steps after which the running training
	// error first fell below 0.01, or -1 for never.
	StepsTo int `json:"steps_to_0.01"`
	// Seconds is the wall time of the run, training and test.
	Seconds float64 `json:"seconds"`
	// Curve holds the running training error at every EvalEvery steps.
	Curve []float64 `json:"curve,omitempty"`
}

// Result is one cell of the grid, aggregated over seeds.
type Result struct {
	Task   Task   `json:"task"`
	Length int    `json:"length"`
	Model  string `json:"model"`
	// Lag is the echo lag of a TBPTT cell (Length is then k2); 0 otherwise.
	Lag int `json:"lag,omitempty"`
	// MSEMean and MSEStd are the mean and sample standard deviation over
	// seeds of the test error; MSE holds it per seed. For Echo and TBPTT it
	// is the excess MSE over the oracle.
	MSEMean float64   `json:"mse_mean"`
	MSEStd  float64   `json:"mse_std"`
	MSE     []float64 `json:"mse"`
	// Baseline is the error of a model that learns nothing: 1/6 for
	// Adding, the excess MSE of the best lag-free predictor for Echo and
	// TBPTT (measured on the test targets).
	Baseline float64 `json:"baseline"`
	// RawMSEMean, OracleMSE and LagFreeMSE: see RunResult (echo tasks).
	RawMSEMean float64 `json:"raw_mse_mean,omitempty"`
	OracleMSE  float64 `json:"oracle_mse,omitempty"`
	LagFreeMSE float64 `json:"lag_free_mse,omitempty"`
	// StepsTo is the largest StepsTo over seeds, or nil (JSON null) when
	// some seed never reached 0.01; SeedStepsTo has it per seed, -1 for
	// never.
	StepsTo     *int  `json:"steps_to_0.01"`
	SeedStepsTo []int `json:"steps_to_0.01_seeds"`
	// Seconds is the mean wall time of one run (one seed).
	Seconds float64 `json:"seconds"`
}

// job is one run of the grid.
type job struct {
	cell int // index into the cells
	seed int // 0-based seed index
	cost float64
}

// Run trains every cell of the grid cfg describes on a pool of cfg.Workers
// goroutines and returns one Result per (length, model), lengths outer,
// models inner, in cfg order. The results are the same for any number of
// workers. If ctx is cancelled, Run stops the runs in progress and returns
// the cells whose seeds had all finished, with ctx.Err().
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	cfg.fill()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	type cellKey struct {
		length int
		model  string
	}
	var cells []cellKey
	for _, L := range cfg.Lengths {
		for _, m := range cfg.Models {
			cells = append(cells, cellKey{L, m})
		}
	}
	var jobs []job
	for i, c := range cells {
		for s := 0; s < cfg.Seeds; s++ {
			jobs = append(jobs, job{cell: i, seed: s, cost: runCost(&cfg, c.length, c.model)})
		}
	}
	// Longest runs first keeps the workers busy to the end; the order does
	// not change any result.
	slices.SortStableFunc(jobs, func(a, b job) int {
		switch {
		case a.cost > b.cost:
			return -1
		case a.cost < b.cost:
			return 1
		}
		return 0
	})

	// Test sets are shared by every model and seed of a length: build them
	// once, before the workers start.
	tests := make(map[int]testSet, len(cfg.Lengths))
	for _, L := range cfg.Lengths {
		ts, err := newTestSet(&cfg, L)
		if err != nil {
			return nil, err
		}
		tests[L] = ts
	}

	runs := make([][]*RunResult, len(cells))
	for i := range runs {
		runs[i] = make([]*RunResult, cfg.Seeds)
	}
	var (
		mu      sync.Mutex
		done    int
		firstEr error
	)
	// After the first error no further run starts.
	workpool.For(ctx, len(jobs), cfg.Workers, func(k int) {
		mu.Lock()
		stop := firstEr != nil
		mu.Unlock()
		if stop {
			return
		}
		j := jobs[k]
		c := cells[j.cell]
		r, err := runOne(ctx, &cfg, c.length, c.model, cfg.Seed+uint64(j.seed), tests[c.length])
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if firstEr == nil && ctx.Err() == nil {
				firstEr = fmt.Errorf("%s length %d %s seed %d: %w", cfg.Task, c.length, c.model, cfg.Seed+uint64(j.seed), err)
			}
			return
		}
		runs[j.cell][j.seed] = &r
		done++
		if cfg.Progress != nil {
			cfg.Progress(r, done, len(jobs))
		}
	})

	var out []Result
	for i, c := range cells {
		if slices.Contains(runs[i], nil) {
			continue
		}
		out = append(out, aggregate(&cfg, c.length, c.model, runs[i], tests[c.length]))
	}
	if firstEr != nil {
		return out, firstEr
	}
	return out, ctx.Err()
}

// aggregate turns the runs of one cell into its Result.
func aggregate(cfg *Config, length int, model string, rs []*RunResult, ts testSet) Result {
	res := Result{Task: cfg.Task, Length: length, Model: model, Baseline: ts.baseline()}
	if cfg.Task == TBPTT {
		res.Lag = cfg.Lag
	}
	never := false
	most := 0
	for _, r := range rs {
		res.MSE = append(res.MSE, r.MSE)
		res.SeedStepsTo = append(res.SeedStepsTo, r.StepsTo)
		res.RawMSEMean += r.RawMSE / float64(len(rs))
		res.Seconds += r.Seconds / float64(len(rs))
		if r.StepsTo < 0 {
			never = true
		}
		most = max(most, r.StepsTo)
	}
	res.MSEMean, res.MSEStd = meanStd(res.MSE)
	if !never {
		res.StepsTo = &most
	}
	if cfg.Task != Adding {
		res.OracleMSE, res.LagFreeMSE = ts.oracle, ts.lagFree
	}
	return res
}

// meanStd returns the mean and the sample standard deviation (0 for one value).
func meanStd(v []float64) (mean, std float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, 0
	}
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)-1))
}

// runCost estimates the relative cost of a run, for scheduling only.
func runCost(cfg *Config, length int, model string) float64 {
	T := float64(length)
	switch cfg.Task {
	case Echo, TBPTT:
		T = float64(cfg.echoWindow(cfg.echoLag(length)))
	}
	g := map[string]float64{"rnn": 1, "lstm": 4, "gru": 5, "mlp": 0.2}[model]
	return T * g
}

// newNet builds the model of a run.
func newNet(cfg *Config, model string, in, T, out int, perStep bool, truncate int, seed uint64) (learner, error) {
	if model == "mlp" {
		return models.NewMLP(models.MLPConfig{Window: T, Input: in, Hidden: []int{cfg.Hidden}, Output: out, Seed: seed})
	}
	cell, err := models.ParseCell(model)
	if err != nil {
		return nil, err
	}
	net, err := models.New(models.Config{
		Cell: cell, Input: in, Hidden: cfg.Hidden, Output: out, PerStep: perStep, Truncate: truncate,
		ForgetBias: cfg.ForgetBias, NoForgetBias: cfg.NoForgetBias, Orthogonal: cfg.Orthogonal, TorchInit: cfg.TorchInit,
		Chrono: max(cfg.Chrono, 0),
		Seed:   seed, MaxSeq: T, MaxBatch: cfg.Batch,
	})
	if err != nil {
		return nil, err
	}
	return net, nil
}

// learner is what training needs of a model: a models.Network or a
// models.MLP.
type learner interface {
	Forward(x []float64, T, B int) []float64
	Backward(dOut []float64)
	Params() []*models.Param
	ZeroGrad()
}

var (
	_ learner = (*models.Network)(nil)
	_ learner = (*models.MLP)(nil)
)

// lrAt returns the learning rate of step s (0-based) of n.
func lrAt(cfg *Config, s, n int) float64 {
	if cfg.Schedule == Constant {
		return cfg.LR
	}
	warm := n / 20
	if s < warm {
		return cfg.LR * float64(s+1) / float64(warm)
	}
	return models.Cosine{Base: cfg.LR, Min: cfg.LR / 100, Total: n - warm}.LR(s - warm)
}

// runOne trains one model with one seed on one length and tests it.
func runOne(ctx context.Context, cfg *Config, length int, model string, seed uint64, ts testSet) (RunResult, error) {
	start := time.Now()
	var (
		tk  trainTask
		err error
	)
	switch cfg.Task {
	case Adding:
		tk = newAddingTask(cfg, length, seed)
	default:
		tk = newEchoTask(cfg, length, seed)
	}
	net, err := tk.model(model, seed)
	if err != nil {
		return RunResult{}, err
	}
	r := RunResult{Task: cfg.Task, Length: length, Model: model, Seed: seed}
	if r.Curve, r.StepsTo, err = train(ctx, cfg, tk, net); err != nil {
		return RunResult{}, err
	}
	r.MSE, r.RawMSE = ts.evaluate(net)
	if cfg.Task == Adding {
		r.RawMSE = 0
	} else {
		r.OracleMSE, r.LagFreeMSE = ts.oracleMSE(), ts.lagFreeMSE()
	}
	if math.IsNaN(r.MSE) || math.IsInf(r.MSE, 0) {
		return RunResult{}, errors.New("training diverged (test MSE is not finite)")
	}
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// train runs cfg.Steps optimiser steps of task tk on net and returns the
// running training error every cfg.EvalEvery steps and the steps to 0.01
// (-1 for never).
func train(ctx context.Context, cfg *Config, tk trainTask, net learner) (curve []float64, stepsTo int, err error) {
	params := net.Params()
	opt := models.Adam{LR: cfg.LR}
	stepsTo = -1
	window := 0.0
	for s := 0; s < cfg.Steps; s++ {
		if err := ctx.Err(); err != nil {
			return nil, -1, err
		}
		opt.SetLR(lrAt(cfg, s, cfg.Steps))
		net.ZeroGrad()
		window += tk.step(net)
		if cfg.Clip > 0 {
			models.ClipGlobalNorm(params, cfg.Clip)
		}
		opt.Step(params)
		if (s+1)%cfg.EvalEvery == 0 {
			m := window / float64(cfg.EvalEvery)
			curve = append(curve, m)
			if stepsTo < 0 && m < 0.01 {
				stepsTo = s + 1
			}
			window = 0
		}
	}
	return curve, stepsTo, nil
}
