package longdep

import (
	"errors"
	"math"
	"math/rand/v2"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/models"
)

// Salts keep the random streams of different purposes and lengths apart.
const (
	saltAddTrain  = 0xadd0000
	saltAddTest   = 0xadd7e57
	saltEchoTrain = 0xec00000
	saltEchoPick  = 0xec0f1c4
	saltEchoTest  = 0xec07e57
)

// trainTask produces training batches for one run and backpropagates their
// loss.
type trainTask interface {
	// model builds the named model for the task's shapes.
	model(name string, seed uint64) (learner, error)
	// step draws a fresh batch, runs forward and backward on net (whose
	// gradients the caller has zeroed) and returns the batch's error.
	step(net learner) float64
}

// addingTask is the adding problem of length T.
type addingTask struct {
	cfg      *Config
	T        int
	rng      *rand.Rand
	x, y, dy []float64
}

func newAddingTask(cfg *Config, T int, seed uint64) *addingTask {
	return &addingTask{
		cfg: cfg, T: T,
		rng: rand.New(rand.NewPCG(seed, saltAddTrain+uint64(T))),
		x:   make([]float64, T*cfg.Batch*2),
		y:   make([]float64, cfg.Batch),
		dy:  make([]float64, cfg.Batch),
	}
}

func (a *addingTask) model(name string, seed uint64) (learner, error) {
	return newNet(a.cfg, name, 2, a.T, 1, false, 0, seed)
}

func (a *addingTask) step(net learner) float64 {
	dataset.AddingBatch(a.rng, a.T, a.cfg.Batch, a.x, a.y)
	out := net.Forward(a.x, a.T, a.cfg.Batch)
	loss := models.MSE(out, a.y, a.dy)
	net.Backward(a.dy)
	return loss
}

// echoSeries is a spike-echo series with the spikes that made it, so the
// echo due at every step (the oracle's forecast) is known.
type echoSeries struct {
	x, spikes []float64
	lag       int
}

// newEchoSeries generates a dataset.SpikeEcho series of length n and
// recovers its spikes from a noise-free twin drawn from the same seed.
func newEchoSeries(n, lag int, rate float64, s1, s2 uint64) (*echoSeries, error) {
	cfg := dataset.SpikeEchoConfig{N: n, Lag: lag, Rate: rate}
	s, _ := dataset.SpikeEcho(cfg, rand.New(rand.NewPCG(s1, s2)))
	cfg.Noise = -1
	c, _ := dataset.SpikeEcho(cfg, rand.New(rand.NewPCG(s1, s2)))
	sp := make([]float64, n)
	for t := range sp {
		sp[t] = c.Values[t]
		if t >= lag {
			sp[t] -= sp[t-lag]
		}
		// A spike is 0 or 1 ≤ |A| ≤ 2: snap away the rounding of the
		// subtraction. The twin differs from the series by the noise only
		// (σ = 0.1).
		if math.Abs(sp[t]) < 0.5 {
			sp[t] = 0
		}
		if math.Abs(s.Values[t]-c.Values[t]) > 1 || (sp[t] != 0 && math.Abs(math.Abs(sp[t])-1.5) > 0.5+1e-9) {
			return nil, errors.New("cannot recover the spikes of dataset.SpikeEcho (its generator changed)")
		}
	}
	return &echoSeries{x: s.Values, spikes: sp, lag: lag}, nil
}

// echo returns the echo due at step j: the spike L steps before, or 0.
func (e *echoSeries) echo(j int) float64 {
	if j < e.lag {
		return 0
	}
	return e.spikes[j-e.lag]
}

// echoTask trains one-step forecasts on windows of a spike-echo series:
// windows of W = L+EchoScored−1 steps, the last EchoScored forecasts scored.
type echoTask struct {
	cfg       *Config
	L, W      int
	truncate  int
	series    *echoSeries
	rng       *rand.Rand
	x, y, dy  []float64
	echoValue []float64
}

func newEchoTask(cfg *Config, length int, seed uint64) (*echoTask, error) {
	L, truncate := length, 0
	if cfg.Task == TBPTT {
		L, truncate = cfg.Lag, length
	}
	W := L + EchoScored - 1
	s, err := newEchoSeries(40000+W, L, cfg.Rate, seed, saltEchoTrain+uint64(L))
	if err != nil {
		return nil, err
	}
	B := cfg.Batch
	return &echoTask{
		cfg: cfg, L: L, W: W, truncate: truncate, series: s,
		rng: rand.New(rand.NewPCG(seed, saltEchoPick+uint64(L))),
		x:   make([]float64, W*B), y: make([]float64, W*B), dy: make([]float64, W*B),
		echoValue: make([]float64, W*B),
	}, nil
}

func (e *echoTask) model(name string, seed uint64) (learner, error) {
	return newNet(e.cfg, name, 1, e.W, 1, true, e.truncate, seed)
}

func (e *echoTask) step(net learner) float64 {
	B := e.cfg.Batch
	for b := 0; b < B; b++ {
		o := e.rng.IntN(len(e.series.x) - e.W)
		for t := 0; t < e.W; t++ {
			e.x[t*B+b] = e.series.x[o+t]
			e.y[t*B+b] = e.series.x[o+t+1]
			e.echoValue[t*B+b] = e.series.echo(o + t + 1)
		}
	}
	out := net.Forward(e.x, e.W, B)
	raw, oracle := scoreEcho(out, e.y, e.echoValue, e.dy, e.L, e.W, B)
	net.Backward(e.dy)
	return raw - oracle
}

// scoreEcho returns the raw and oracle MSE of the scored steps t ≥ L−1 of a
// (W, B) batch, and writes the MSE gradient into dy (zero elsewhere) when
// dy is not nil.
func scoreEcho(out, y, echo, dy []float64, L, W, B int) (raw, oracle float64) {
	first := (L - 1) * B
	n := float64(len(y) - first)
	for i := first; i < len(y); i++ {
		d := out[i] - y[i]
		raw += d * d
		o := y[i] - echo[i]
		oracle += o * o
		if dy != nil {
			dy[i] = 2 * d / n
		}
	}
	return raw / n, oracle / n
}

// testSet holds the fixed test sequences of one length, in chunks of at
// most Batch sequences, in the model's input layout.
type testSet struct {
	task   Task
	T, L   int // sequence length; echo lag
	chunks []testChunk
	// Echo only: oracle and zero-predictor MSE on the scored targets.
	oracle, lagFree float64
}

type testChunk struct {
	B       int
	x, y, e []float64
}

// newTestSet draws cfg.TestSize test sequences for one length from a source
// of their own.
func newTestSet(cfg *Config, length int) (testSet, error) {
	B := cfg.Batch
	if cfg.Task == Adding {
		ts := testSet{task: Adding, T: length}
		rng := rand.New(rand.NewPCG(cfg.Seed, saltAddTest+uint64(length)))
		for left := cfg.TestSize; left > 0; left -= B {
			b := min(B, left)
			c := testChunk{B: b, x: make([]float64, length*b*2), y: make([]float64, b)}
			dataset.AddingBatch(rng, length, b, c.x, c.y)
			ts.chunks = append(ts.chunks, c)
		}
		return ts, nil
	}
	L := length
	if cfg.Task == TBPTT {
		L = cfg.Lag
	}
	W := L + EchoScored - 1
	// Non-overlapping windows of one long test series.
	s, err := newEchoSeries(cfg.TestSize*(W+1)+1, L, cfg.Rate, cfg.Seed, saltEchoTest+uint64(L))
	if err != nil {
		return testSet{}, err
	}
	ts := testSet{task: cfg.Task, T: W, L: L}
	var n float64
	o := 0
	for left := cfg.TestSize; left > 0; left -= B {
		b := min(B, left)
		c := testChunk{B: b, x: make([]float64, W*b), y: make([]float64, W*b), e: make([]float64, W*b)}
		for r := 0; r < b; r++ {
			for t := 0; t < W; t++ {
				c.x[t*b+r] = s.x[o+t]
				c.y[t*b+r] = s.x[o+t+1]
				c.e[t*b+r] = s.echo(o + t + 1)
			}
			o += W + 1
		}
		for i := (L - 1) * b; i < len(c.y); i++ {
			d := c.y[i] - c.e[i]
			ts.oracle += d * d
			ts.lagFree += c.y[i] * c.y[i]
			n++
		}
		ts.chunks = append(ts.chunks, c)
	}
	ts.oracle /= n
	ts.lagFree /= n
	return ts, nil
}

// baseline is the error of a model that learns nothing.
func (ts testSet) baseline() float64 {
	if ts.task == Adding {
		return dataset.AddingConstantMSE
	}
	return ts.lagFree - ts.oracle
}

func (ts testSet) oracleMSE() float64  { return ts.oracle }
func (ts testSet) lagFreeMSE() float64 { return ts.lagFree }

// evaluate returns the test error of net (excess MSE for the echo tasks)
// and the raw MSE (equal to it for Adding).
func (ts testSet) evaluate(net learner) (mse, raw float64) {
	var sum, n float64
	for _, c := range ts.chunks {
		out := net.Forward(c.x, ts.T, c.B)
		if ts.task == Adding {
			for b, p := range out {
				d := p - c.y[b]
				sum += d * d
			}
			n += float64(c.B)
			continue
		}
		r, _ := scoreEcho(out, c.y, c.e, nil, ts.L, ts.T, c.B)
		k := float64(len(c.y) - (ts.L-1)*c.B)
		sum += r * k
		n += k
	}
	raw = sum / n
	if ts.task == Adding {
		return raw, raw
	}
	return raw - ts.oracle, raw
}
