package longdep

import (
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
	gain      float64
}

// newEchoSeries generates a dataset.SpikeEcho series of length n.
func newEchoSeries(cfg *Config, n, lag int, s1, s2 uint64) *echoSeries {
	sc := dataset.SpikeEchoConfig{N: n, Lag: lag, Rate: cfg.Rate, Gain: cfg.Gain}
	s, sp, _ := dataset.SpikeEchoSpikes(sc, rand.New(rand.NewPCG(s1, s2)))
	return &echoSeries{x: s.Values, spikes: sp, lag: lag, gain: cfg.Gain}
}

// echo returns the echo due at step j: Gain times the spike L steps before,
// or 0.
func (e *echoSeries) echo(j int) float64 {
	if j < e.lag {
		return 0
	}
	return e.gain * e.spikes[j-e.lag]
}

// echoLag returns the echo lag of a grid length: the length itself for
// Echo, the fixed Lag for TBPTT (whose lengths are truncations).
func (c *Config) echoLag(length int) int {
	if c.Task == TBPTT {
		return c.Lag
	}
	return length
}

// echoWindow returns the window length of an echo task of lag L: by
// default L, so the window's first step is the one whose spike is due as an
// echo right after the window and a model must carry it across all L steps
// of the window, with no clock needed to know when. With Config.EchoWindow
// W > L the source sits W−L steps into the window and a model must also
// count.
func (c *Config) echoWindow(L int) int {
	if c.EchoWindow > L {
		return c.EchoWindow
	}
	return L
}

// echoTask trains one-step forecasts on windows of a spike-echo series:
// windows of W = L steps, the forecast of the step after the window scored.
type echoTask struct {
	cfg       *Config
	W         int
	truncate  int
	series    *echoSeries
	rng       *rand.Rand
	x, y, dy  []float64
	echoValue []float64
	// sources are the window starts whose first step holds a spike, drawn
	// with probability cfg.Enrich.
	sources []int
}

func newEchoTask(cfg *Config, length int, seed uint64) *echoTask {
	L, truncate := cfg.echoLag(length), 0
	if cfg.Task == TBPTT {
		truncate = length
	}
	W := cfg.echoWindow(L)
	B := cfg.Batch
	e := &echoTask{
		cfg: cfg, W: W, truncate: truncate,
		series: newEchoSeries(cfg, 100000+W, L, seed, saltEchoTrain+uint64(L)),
		rng:    rand.New(rand.NewPCG(seed, saltEchoPick+uint64(L))),
		x:      make([]float64, W*B), y: make([]float64, B), dy: make([]float64, B),
		echoValue: make([]float64, B),
	}
	if cfg.Enrich > 0 {
		// The window starting at o has its echo due at o+W, from the
		// spike at o+W−L.
		for o := 0; o < len(e.series.x)-W; o++ {
			if e.series.echo(o+W) != 0 {
				e.sources = append(e.sources, o)
			}
		}
	}
	return e
}

// pick draws a training window's start: one of the sources with
// probability cfg.Enrich, else uniformly.
func (e *echoTask) pick() int {
	if len(e.sources) > 0 && e.rng.Float64() < e.cfg.Enrich {
		return e.sources[e.rng.IntN(len(e.sources))]
	}
	return e.rng.IntN(len(e.series.x) - e.W)
}

func (e *echoTask) model(name string, seed uint64) (learner, error) {
	return newNet(e.cfg, name, 1, e.W, 1, false, e.truncate, seed)
}

func (e *echoTask) step(net learner) float64 {
	B := e.cfg.Batch
	for b := 0; b < B; b++ {
		o := e.pick()
		for t := 0; t < e.W; t++ {
			e.x[t*B+b] = e.series.x[o+t]
		}
		e.y[b] = e.series.x[o+e.W]
		e.echoValue[b] = e.series.echo(o + e.W)
	}
	out := net.Forward(e.x, e.W, B)
	raw, oracle := scoreEcho(out, e.y, e.echoValue, e.dy)
	net.Backward(e.dy)
	return raw - oracle
}

// scoreEcho returns the raw and oracle MSE of a batch of one-step
// forecasts, and writes the MSE gradient into dy when dy is not nil.
func scoreEcho(out, y, echo, dy []float64) (raw, oracle float64) {
	n := float64(len(y))
	for i := range y {
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
	T      int // sequence (window) length
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
	L := cfg.echoLag(length)
	W := cfg.echoWindow(L)
	// Non-overlapping windows of one long test series, each followed by
	// its scored target.
	n := cfg.TestSize
	s := newEchoSeries(cfg, n*(W+1)+L, L, cfg.Seed, saltEchoTest+uint64(L))
	ts := testSet{task: cfg.Task, T: W}
	o := L // the first windows' echoes would come from before the series
	for left := n; left > 0; left -= B {
		b := min(B, left)
		c := testChunk{B: b, x: make([]float64, W*b), y: make([]float64, b), e: make([]float64, b)}
		for r := 0; r < b; r++ {
			for t := 0; t < W; t++ {
				c.x[t*b+r] = s.x[o+t]
			}
			c.y[r] = s.x[o+W]
			c.e[r] = s.echo(o + W)
			d := c.y[r] - c.e[r]
			ts.oracle += d * d
			ts.lagFree += c.y[r] * c.y[r]
			o += W + 1
		}
		ts.chunks = append(ts.chunks, c)
	}
	ts.oracle /= float64(n)
	ts.lagFree /= float64(n)
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
		r, _ := scoreEcho(out, c.y, c.e, nil)
		sum += r * float64(c.B)
		n += float64(c.B)
	}
	raw = sum / n
	if ts.task == Adding {
		return raw, raw
	}
	return raw - ts.oracle, raw
}
