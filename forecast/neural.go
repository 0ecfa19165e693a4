package forecast

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/models"
	"github.com/tsf-go/tsf/windowing"
)

// Multi-step strategies of the neural forecasters.
const (
	// Direct trains a head with Horizon outputs; forecasts longer than
	// Horizon chain blocks of Horizon steps, feeding each block back.
	Direct = "direct"
	// Recursive trains a one-step model and feeds every prediction back.
	Recursive = "recursive"
)

// Window-level normalisations of the neural forecasters.
const (
	// NormLast makes the model see every window relative to its last
	// observed value and predict changes from it, so level shifts and
	// trends do not move the inputs out of the range seen in training.
	NormLast = "last"
	// NormMean makes the model see every window relative to its own mean
	// and standard deviation (RevIN-style instance normalisation) and
	// predict on that scale, so level and amplitude shifts do not move the
	// inputs out of the range seen in training.
	NormMean = "mean"
	// NormSeason makes the inputs relative to the window's last value and
	// the targets relative to the seasonal-naive forecast (the value one
	// season earlier): the network learns corrections to seasonal naive.
	// Needs Window ≥ Season.
	NormSeason = "season"
	// NormNone feeds the globally scaled values as they are.
	NormNone = "none"
	// NormAuto chooses at Fit. The relative candidate is NormSeason if the
	// seasonal-naive forecast has a lower mean absolute error than the
	// naive one on the validation windows (on the latest tenth of the
	// windows without validation), NormLast otherwise or when the window
	// does not cover a season. With validation, one model is trained with
	// that candidate and one with NormNone (twice the training time), and
	// their forecasts are combined as NeuralConfig.Combine says (by
	// default weighted by the inverse of their squared validation MAE);
	// without, the relative candidate is used. Config reports the choice
	// after Fit (NormAuto for a combination), History the candidates'
	// validation errors and the weights.
	NormAuto = "auto"
)

// What NormAuto does with its two candidates (NeuralConfig.Combine).
const (
	// CombineBest keeps the candidate with the lower validation MAE.
	CombineBest = "best"
	// CombineMean averages the two candidates' forecasts with equal
	// weights.
	CombineMean = "mean"
	// CombineInverse averages the two candidates' forecasts with weights
	// proportional to the inverse of their validation MAE.
	CombineInverse = "inverse"
	// CombineInverse2 averages the two candidates' forecasts with weights
	// proportional to the inverse of their squared validation MAE (as
	// Bates and Granger weight forecasts by their inverse error variance):
	// near-ties are averaged, a clearly worse candidate counts little.
	CombineInverse2 = "inverse2"
	// CombineBestOf keeps whichever of the candidates and their
	// CombineInverse2 combination has the lowest validation MAE.
	CombineBestOf = "bestof"
)

// Target transforms of the globally scaled neural model (NeuralConfig.Transform).
const (
	// TransformAuto chooses at Fit: TransformLog if every value of the
	// training span is positive and its log is less skewed than the values
	// (a right-skewed series such as pollution, prices or counts; not one
	// whose log would be skewed the other way), TransformNone otherwise.
	TransformAuto = "auto"
	// TransformLog models the natural logarithm of the target: a
	// multiplicative series (pollution, counts, sales) becomes additive,
	// and its spikes no longer dominate the scale. The MAE loss then
	// forecasts the median of the log, which is the log of the median, so
	// the forecast mapped back is still a median forecast. Needs positive
	// training values; later values at or below zero are floored at half
	// the smallest training value.
	TransformLog = "log"
	// TransformNone models the values as they are.
	TransformNone = "none"
)

// normFloor is the smallest window standard deviation NormMean divides by,
// on the globally scaled data (unit standard deviation): flat windows are
// not blown up into noise.
const normFloor = 0.1

// ErrDiverged: training produced a non-finite loss.
var ErrDiverged = errors.New("training diverged")

// NeuralConfig configures a neural forecaster. The zero value of every field
// but Model means the documented default, derived from the series where it
// says so.
type NeuralConfig struct {
	// Model is "lstm" (default), "gru", "rnn" or "mlp" (the windowed
	// feed-forward reference).
	Model string `json:"model"`
	// Window is the number of past steps the model sees; 0 derives it from
	// the series: max(2·season, 3·horizon, 8), capped at 336 and at a third
	// of the training series.
	Window int `json:"window"`
	// Horizon is the number of steps the direct head is trained for;
	// default 1. Longer forecasts chain blocks.
	Horizon int `json:"horizon"`
	// Strategy is Direct (default) or Recursive.
	Strategy string `json:"strategy"`
	// Hidden is the hidden size; default 64 (MLP: one hidden layer of 2×64).
	Hidden int `json:"hidden"`
	// Layers is the number of stacked recurrent layers; default 1.
	Layers int `json:"layers"`
	// Chrono, if > 1, initialises an LSTM's gate biases with memory time
	// scales spread up to Chrono steps (models.Config.Chrono) instead of
	// the forget bias of 1: for dependencies tens or hundreds of steps
	// back. Default 0 (off).
	Chrono int `json:"chrono,omitempty"`
	// Epochs is the most training epochs; default 100 (early stopping
	// usually ends training sooner).
	Epochs int `json:"epochs"`
	// Batch is the mini-batch size; default 64.
	Batch int `json:"batch"`
	// LR is Adam's learning rate; default 1e-3.
	LR float64 `json:"lr"`
	// Schedule is the learning-rate schedule: "plateau" (default: halve
	// after 5 epochs without validation improvement), "cosine", "step"
	// (×0.1 every third of the epochs) or "none".
	Schedule string `json:"schedule"`
	// Loss is the training and early-stopping loss on the normalised
	// targets: "mae" (default: forecasts the median, robust to spikes, and
	// what MAE and MASE score), "mse" or "huber" (threshold 1).
	Loss string `json:"loss"`
	// Clip is the global gradient-norm clipping threshold; default 1.0;
	// negative disables clipping.
	Clip float64 `json:"clip"`
	// Truncate, if > 0, cuts backpropagation through time after that many
	// steps back from the end of each window (truncated BPTT). Default 0:
	// full BPTT over the window.
	Truncate int `json:"truncate"`
	// Seed seeds initialisation and shuffling.
	Seed uint64 `json:"seed"`
	// Val is the fraction of training windows (the latest ones) held out
	// for early stopping and for the conformal intervals; default 0.1;
	// negative means no validation (no early stopping, no intervals).
	Val float64 `json:"val"`
	// Patience is the number of epochs without validation improvement
	// before training stops and the best weights are restored; default 10.
	Patience int `json:"patience"`
	// Normalize is the window-level normalisation: NormAuto (default),
	// NormLast, NormMean, NormSeason or NormNone. Config reports the
	// normalisation NormAuto chose after Fit.
	Normalize string `json:"normalize"`
	// NoLevel drops the input channel that carries the globally scaled
	// value beside the normalised window. By default a normalised window
	// (every Normalize but NormNone) keeps its level as a second input, so
	// the network still knows where the series is (near zero, at a peak).
	NoLevel bool `json:"no_level"`
	// Ensemble is the number of networks trained with seeds Seed,
	// Seed+1, ... whose forecasts are averaged; default 1. With NormAuto
	// every candidate has that many networks.
	Ensemble int `json:"ensemble"`
	// Combine is what NormAuto does with its two candidates when there is
	// validation: CombineInverse2 (default) averages their forecasts with
	// weights proportional to the inverse of their squared validation MAE;
	// CombineMean and CombineInverse average them otherwise (see those);
	// CombineBest keeps the one with the lower validation MAE; CombineBestOf
	// the better on validation of that and the CombineInverse2 average. A combined
	// model's Config keeps Normalize NormAuto; History reports the weights.
	Combine string `json:"combine"`
	// Transform is the target transform of the globally scaled model
	// (NormNone, and NormAuto's globally scaled candidate), applied before
	// Scale: TransformAuto (default: the log of a positive series that the
	// log makes less skewed), TransformLog or TransformNone. The relative
	// normalisations see differences from a reference forecast and ignore
	// it. Config reports the choice after Fit for a NormNone model,
	// History.Transform for a combination.
	Transform string `json:"transform"`
	// Scale is the global scaling fitted on the training part; default
	// standard.
	Scale dataset.ScaleMethod `json:"scale"`
	// NoCovariates ignores the series' covariates.
	NoCovariates bool `json:"no_covariates"`
	// Levels are the conformal interval levels; default 0.8 and 0.95.
	Levels []float64 `json:"levels"`
	// Season is the seasonal period used to derive Window; 0 means the
	// series' frequency season.
	Season int `json:"season"`

	// Progress, if not nil, is called after every epoch.
	Progress Progress `json:"-"`
}

// withDefaults returns c with every zero field set to its default, except
// Window, which needs the series.
func (c NeuralConfig) withDefaults() (NeuralConfig, error) {
	if c.Model == "" {
		c.Model = "lstm"
	}
	c.Model = strings.ToLower(c.Model)
	switch c.Model {
	case "lstm", "gru", "rnn", "mlp":
	default:
		return c, fmt.Errorf("neural: unknown model %q (want lstm, gru, rnn or mlp)", c.Model)
	}
	if c.Horizon == 0 {
		c.Horizon = 1
	}
	if err := choose("strategy", &c.Strategy, Direct, Direct, Recursive); err != nil {
		return c, err
	}
	if c.Hidden == 0 {
		c.Hidden = 64
	}
	if c.Layers == 0 {
		c.Layers = 1
	}
	if c.Epochs == 0 {
		c.Epochs = 100
	}
	if c.Batch == 0 {
		c.Batch = 64
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if err := choose("schedule", &c.Schedule, "plateau", "plateau", "cosine", "step", "none"); err != nil {
		return c, err
	}
	if err := choose("loss", &c.Loss, "mae", "mse", "mae", "huber"); err != nil {
		return c, err
	}
	if c.Clip == 0 {
		c.Clip = 1
	}
	if c.Val == 0 {
		c.Val = 0.1
	}
	if c.Patience == 0 {
		c.Patience = 10
	}
	if err := choose("normalisation", &c.Normalize, NormAuto, NormAuto, NormLast, NormMean, NormSeason, NormNone); err != nil {
		return c, err
	}
	if c.Ensemble == 0 {
		c.Ensemble = 1
	}
	if err := choose("combine", &c.Combine, CombineInverse2, CombineBest, CombineMean, CombineInverse, CombineInverse2, CombineBestOf); err != nil {
		return c, err
	}
	if err := choose("transform", &c.Transform, TransformAuto, TransformAuto, TransformLog, TransformNone); err != nil {
		return c, err
	}
	if c.Scale == "" {
		c.Scale = dataset.ScaleStandard
	}
	if len(c.Levels) == 0 {
		c.Levels = []float64{0.8, 0.95}
	}
	for _, l := range c.Levels {
		if !(l > 0 && l < 1) {
			return c, fmt.Errorf("neural: interval level %g outside (0, 1)", l)
		}
	}
	switch {
	case c.Horizon < 0, c.Hidden < 0, c.Layers < 0, c.Epochs < 0, c.Batch < 0, c.Window < 0,
		c.Truncate < 0, c.Chrono < 0, c.Patience < 0, c.Season < 0, c.Ensemble < 0, c.LR < 0, c.Val >= 0.5:
		return c, fmt.Errorf("neural: invalid configuration %+v", c)
	}
	return c, nil
}

// choose sets *v to def if it is empty and returns an error naming what
// unless *v is one of allowed, which the error lists in order.
func choose(what string, v *string, def string, allowed ...string) error {
	if *v == "" {
		*v = def
	}
	if slices.Contains(allowed, *v) {
		return nil
	}
	want := strings.Join(allowed[:len(allowed)-1], ", ") + " or " + allowed[len(allowed)-1]
	return fmt.Errorf("neural: unknown %s %q (want %s)", what, *v, want)
}

// DeriveWindow returns the input window a neural forecaster picks for a
// training series of n points with the given season and horizon:
// max(2·season, 3·horizon, 8), capped at 336 and at n/3.
func DeriveWindow(n, season, horizon int) int {
	w := max(2*season, 3*horizon, 8)
	w = min(w, 336)
	if n/3 >= 2 {
		w = min(w, n/3)
	}
	return w
}

// trainable is what the training loop needs of a network: models.Network
// and models.MLP both have it.
type trainable interface {
	Forward(x []float64, T, B int) []float64
	Backward(dOut []float64)
	ZeroGrad()
	Params() []*models.Param
}

// Neural is a neural forecaster (LSTM, GRU, vanilla RNN or windowed MLP)
// trained on sliding windows of one series, with split-conformal intervals
// from its validation residuals.
//
// Training: the series is scaled with a scaler fitted on the training
// windows' span only; every window is then normalised on its own (see
// NormLast, NormMean, NormSeason). Adam with global-norm clipping, a
// learning-rate schedule and early stopping on the latest Val fraction of
// windows (the best weights are restored). With Ensemble k, k networks are
// trained this way from seeds Seed..Seed+k-1, concurrently, and their
// forecasts averaged. Fit honours its context: a cancelled Fit keeps the
// best weights so far, so the model can still forecast, and returns the
// context's error.
type Neural struct {
	cfg     NeuralConfig // with defaults, Window, Season and Normalize resolved after Fit
	req     NeuralConfig // with defaults, as given: what every Fit resolves from
	nets    []trainable  // the ensemble members
	scaler  dataset.Scaler
	in      int       // input features
	out     int       // head outputs
	tail    []float64 // the last Window raw input rows (Window, In) of the fitted series
	at      anchor
	widths  [][]float64 // [level][step] conformal half-widths on the original scale
	history TrainingHistory
	valMAE  float64   // validation MAE on the original scale, NaN without validation
	valPred []float64 // validation forecasts (window, step) on the original scale, after Fit only
	// A combined model (NormAuto with CombineMean or CombineInverse) has
	// no nets of its own: it forecasts the weighted sum of its parts'
	// forecasts, parts in order.
	parts   []*Neural
	weights []float64
	// floor is the smallest value TransformLog takes the log of (half the
	// smallest training value); 0 without the transform.
	floor  float64
	fitted bool
}

// TrainingHistory records the losses of every epoch of the last Fit (of
// the first ensemble member).
type TrainingHistory struct {
	Train, Val []float64 // per epoch; Val is NaN without validation
	BestEpoch  int       // 1-based epoch whose weights were kept
	Stopped    string    // why training ended: "epochs", "early stopping", "cancelled"
	Elapsed    time.Duration
	// ValMAE is the kept model's validation MAE on the original scale
	// (NaN without validation).
	ValMAE float64
	// Candidates holds, when NormAuto compared normalisations, the
	// validation MAE of each (original scale).
	Candidates map[string]float64
	// Weights holds, when NormAuto combined its candidates, the weight of
	// each candidate's forecast (they sum to 1).
	Weights map[string]float64
	// Transform is the target transform of the globally scaled model or
	// candidate (TransformLog or TransformNone); "" if none was trained.
	Transform string
}

var (
	_ Persistent       = (*Neural)(nil)
	_ HistoryPredictor = (*Neural)(nil)
)

// NewNeural returns an unfitted neural forecaster. It returns an error for
// an invalid configuration.
func NewNeural(cfg NeuralConfig) (*Neural, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Neural{cfg: c, req: c}, nil
}

// Name returns the model name: "lstm", "gru", "rnn" or "mlp".
func (n *Neural) Name() string { return n.cfg.Model }

// Config returns the configuration, with the window, season and
// normalisation resolved after Fit.
func (n *Neural) Config() NeuralConfig { return n.cfg }

// History returns the per-epoch losses of the last Fit (of the first
// ensemble member; Elapsed covers the whole ensemble).
func (n *Neural) History() TrainingHistory { return n.history }

func (n *Neural) build(in int, seed uint64) (trainable, error) {
	c := n.cfg
	switch c.Model {
	case "mlp":
		return models.NewMLP(models.MLPConfig{Window: c.Window, Input: in, Hidden: []int{2 * c.Hidden}, Output: n.out, Seed: seed})
	default:
		cell, err := models.ParseCell(c.Model)
		if err != nil {
			return nil, err
		}
		return models.New(models.Config{Cell: cell, Input: in, Hidden: c.Hidden, Layers: c.Layers, Output: n.out,
			Truncate: c.Truncate, Chrono: c.Chrono, Seed: seed, MaxSeq: c.Window, MaxBatch: c.Batch})
	}
}

// Fit trains the network (every ensemble member) on s.
func (n *Neural) Fit(ctx context.Context, s *dataset.Series) error {
	c := n.req
	c.Progress = n.cfg.Progress
	n.fitted = false
	n.parts, n.weights, n.valPred = nil, nil, nil
	if s.Len() == 0 {
		return fmt.Errorf("%s: %w: empty series", c.Model, ErrTooShort)
	}
	for i, v := range s.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: %w: value %d is %g", c.Model, ErrBadData, i, v)
		}
	}
	if c.NoCovariates && len(s.Covariates) > 0 {
		t := *s
		t.Covariates, t.CovariateNames = nil, nil
		s = &t
	}
	n.in = 1 + len(s.Covariates)
	n.out = c.Horizon
	if c.Strategy == Recursive {
		n.out = 1
	}
	if c.Season == 0 {
		c.Season = max(1, s.Freq.Season())
	}
	if c.Window == 0 {
		c.Window = DeriveWindow(s.Len(), c.Season, c.Horizon)
	}
	W, H := c.Window, n.out
	if c.Normalize == NormSeason && c.Season > W {
		return fmt.Errorf("%s: normalisation %q needs the window (%d) to cover a season (%d)", c.Model, NormSeason, W, c.Season)
	}
	need := W + H + 1
	if c.Val > 0 {
		need = W + 2*H + 1 // at least one window each side
	}
	if s.Len() < need {
		return &ShortError{What: "train series", Have: s.Len(), Need: need,
			Why: fmt.Sprintf("window %d + horizon %d (and validation)", W, H)}
	}
	n.cfg = c

	nWin, nTrain, nVal := splitWindows(s.Len(), W, H, c.Val)
	if nTrain < 1 {
		return &ShortError{What: "train series", Have: s.Len(), Need: s.Len() + 1 - nTrain,
			Why: fmt.Sprintf("window %d + horizon %d + %d validation windows", W, H, nVal)}
	}
	if c.Normalize == NormAuto {
		rel := NormLast
		if c.Season > 1 && c.Season <= W && seasonalBeatsNaive(s.Values, W, H, c.Season, max(nVal, nWin/10, 1)) {
			rel = NormSeason
		}
		if nVal > 0 {
			return n.fitAuto(ctx, s, c, []string{rel, NormNone}, valTruth(s.Values, W, H, nWin, nVal))
		}
		c.Normalize = rel
		n.cfg = c
	}
	if err := n.resolveTransform(&c, s.Values[:nTrain-1+W+H]); err != nil {
		return err
	}
	n.cfg = c
	// The scaler sees only the span of the training windows.
	n.scaler = dataset.Scaler{Method: c.Scale}
	t := n.transformed(s)
	if err := n.scaler.Fit(t.Slice(0, nTrain-1+W+H)); err != nil {
		return fmt.Errorf("%s: %w", c.Model, err)
	}
	wins, err := n.windows(t)
	if err != nil {
		return err
	}
	valIDs := make([]int, nVal)
	for i := range valIDs {
		valIDs[i] = nWin - nVal + i
	}

	start := time.Now()
	members := make([]member, c.Ensemble)
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for k := range members {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			members[k] = n.train(ctx, wins, nTrain, valIDs, c.Seed+uint64(k), k == 0)
		})
	}
	wg.Wait()
	var fitErr error
	n.nets = n.nets[:0]
	for _, m := range members {
		if m.err != nil && fitErr == nil {
			fitErr = m.err
		}
		if m.hist.BestEpoch == 0 {
			// Not one finished epoch: nothing worth keeping.
			if fitErr == nil {
				fitErr = fmt.Errorf("%s: no epoch finished", c.Model)
			}
			return fitErr
		}
		n.nets = append(n.nets, m.net)
	}
	n.history = members[0].hist
	n.history.Elapsed = time.Since(start)
	if c.Normalize == NormNone {
		n.history.Transform = c.Transform
	}
	n.tail = lastRows(s, W)
	n.at = anchorOf(s)
	n.widths = nil
	n.valMAE = math.NaN()
	if nVal > 0 {
		n.calibrate(wins, valIDs, s.Values)
	}
	n.history.ValMAE = n.valMAE
	n.fitted = true
	return fitErr
}

// resolveTransform resolves c.Transform for the training span of the
// target and sets n.floor: the globally scaled model takes the log of a
// positive span the log makes less skewed (TransformAuto) or as asked; the
// relative normalisations never transform.
func (n *Neural) resolveTransform(c *NeuralConfig, span []float64) error {
	n.floor = 0
	if c.Normalize != NormNone {
		c.Transform = TransformNone
		return nil
	}
	lo := slices.Min(span)
	switch c.Transform {
	case TransformAuto:
		c.Transform = TransformNone
		if lo > 0 {
			logs := make([]float64, len(span))
			for i, v := range span {
				logs[i] = math.Log(v)
			}
			if math.Abs(skewness(logs)) < math.Abs(skewness(span)) {
				c.Transform = TransformLog
			}
		}
	case TransformLog:
		if lo <= 0 {
			i := slices.Index(span, lo)
			return fmt.Errorf("%s: %w: transform %q needs positive values; training value %d is %g", c.Model, ErrBadData, TransformLog, i, lo)
		}
	}
	if c.Transform == TransformLog {
		n.floor = lo / 2
	}
	return nil
}

// transformed returns s with the target mapped by forwardT (s itself
// without a transform).
func (n *Neural) transformed(s *dataset.Series) *dataset.Series {
	if n.floor == 0 {
		return s
	}
	t := *s
	t.Values = make([]float64, len(s.Values))
	for i, v := range s.Values {
		t.Values[i] = n.forwardT(v)
	}
	return &t
}

// windows returns the training windows of the transformed series t (see
// transformed) as the network sees them: scaled with the fitted scaler.
func (n *Neural) windows(t *dataset.Series) (*windowing.Windows, error) {
	wins, err := windowing.New([]*dataset.Series{n.scaler.Transform(t)},
		windowing.Config{Input: n.cfg.Window, Horizon: n.out})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", n.cfg.Model, err)
	}
	return wins, nil
}

// skewness returns the moment coefficient of skewness of x, 0 for a
// constant x.
func skewness(x []float64) float64 {
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var m2, m3 float64
	for _, v := range x {
		d := v - mean
		m2 += d * d
		m3 += d * d * d
	}
	m2 /= float64(len(x))
	m3 /= float64(len(x))
	if m2 == 0 {
		return 0
	}
	return m3 / math.Pow(m2, 1.5)
}

// forwardT maps a target value to the space the network models: its log
// (floored) under TransformLog, itself otherwise.
func (n *Neural) forwardT(v float64) float64 {
	if n.floor == 0 {
		return v
	}
	return math.Log(max(v, n.floor))
}

// original maps a scaled model output back to the original scale: the
// inverse scaling, then the inverse transform.
func (n *Neural) original(v float64) float64 {
	v = n.scaler.InverseValue(v)
	if n.floor == 0 {
		return v
	}
	return math.Exp(v)
}

// splitWindows says which of the windows (W inputs, H targets) of a series
// of n points train and which validate: the latest val fraction of the
// nWin windows validates (nVal of them, none if val ≤ 0); the first nTrain
// train, whose targets end before the first validation target.
func splitWindows(n, W, H int, val float64) (nWin, nTrain, nVal int) {
	nWin = n - W - H + 1
	if val > 0 {
		nVal = max(1, int(math.Round(val*float64(nWin))))
	}
	nTrain = nWin - nVal
	if nVal > 0 {
		nTrain -= H - 1 // no training target overlaps a validation target
	}
	return nWin, nTrain, nVal
}

// valTruth returns the targets of the nVal validation windows of v
// (window, step), on the original scale.
func valTruth(v []float64, W, H, nWin, nVal int) []float64 {
	out := make([]float64, 0, nVal*H)
	for id := nWin - nVal; id < nWin; id++ {
		out = append(out, v[id+W:id+W+H]...)
	}
	return out
}

// fitAuto fits one model per normalisation in norms, concurrently, and
// keeps the one with the lowest validation MAE (on the original scale) or
// combines them, as c.Combine says; truth holds the validation targets.
// Only the first candidate reports Progress.
func (n *Neural) fitAuto(ctx context.Context, s *dataset.Series, c NeuralConfig, norms []string, truth []float64) error {
	start := time.Now()
	req := n.req
	kids := make([]*Neural, len(norms))
	errs := make([]error, len(norms))
	var wg sync.WaitGroup
	for i, norm := range norms {
		k := c
		k.Normalize = norm
		if i > 0 {
			k.Progress = nil
		}
		kids[i] = &Neural{cfg: k, req: k}
		wg.Go(func() { errs[i] = kids[i].Fit(ctx, s) })
	}
	wg.Wait()
	best := -1
	scores := map[string]float64{}
	var fitted []*Neural
	var fitErr error
	for i, kid := range kids {
		if errs[i] != nil && fitErr == nil {
			fitErr = errs[i]
		}
		if !kid.fitted {
			if errs[i] != nil {
				return errs[i]
			}
			continue
		}
		fitted = append(fitted, kid)
		scores[norms[i]] = kid.valMAE
		if best < 0 || kid.valMAE < kids[best].valMAE {
			best = i
		}
	}
	if best < 0 {
		return fmt.Errorf("%s: no candidate normalisation could be fitted", c.Model)
	}
	kept := autoResult(c, fitted, truth)
	if kept == kids[best] {
		fitErr = errs[best]
	}
	*n = *kept
	n.req = req
	n.cfg.Progress = c.Progress
	n.history.Candidates = scores
	for _, kid := range fitted {
		if kid.cfg.Normalize == NormNone {
			n.history.Transform = kid.cfg.Transform
		}
	}
	n.history.Elapsed = time.Since(start)
	return fitErr
}

// autoResult returns the model NormAuto keeps of its fitted candidates
// parts (in order; truth holds their validation targets): the one with the
// lowest validation MAE (the first of equals) or their combination, as
// c.Combine says.
func autoResult(c NeuralConfig, parts []*Neural, truth []float64) *Neural {
	best := parts[0]
	for _, p := range parts[1:] {
		if p.valMAE < best.valMAE {
			best = p
		}
	}
	if c.Combine == CombineBest || len(parts) < 2 {
		return best
	}
	m := &Neural{cfg: c}
	m.combineParts(parts, truth)
	if c.Combine == CombineBestOf && best.valMAE <= m.valMAE {
		return best
	}
	return m
}

// combineParts makes n the combination of the fitted models parts (which
// share the scaler, fitted span and validation windows) with the weights
// n.cfg.Combine says, and calibrates it on the combined validation
// forecasts against truth. n.cfg must be set; History comes from the first
// part, with the weights.
func (n *Neural) combineParts(parts []*Neural, truth []float64) {
	first := parts[0]
	n.parts = parts
	n.weights = make([]float64, len(parts))
	var sum float64
	for i, p := range parts {
		w := 1.0
		switch e := max(p.valMAE, 1e-300); n.cfg.Combine {
		case CombineInverse:
			w = 1 / e
		case CombineInverse2, CombineBestOf:
			w = 1 / (e * e)
		}
		n.weights[i] = w
		sum += w
	}
	n.history = first.history
	n.history.Weights = map[string]float64{}
	for i := range n.weights {
		n.weights[i] /= sum
		n.history.Weights[parts[i].cfg.Normalize] = n.weights[i]
	}
	n.nets = nil
	n.scaler, n.in, n.out = first.scaler, first.in, first.out
	n.tail, n.at = first.tail, first.at
	H := n.out
	res := make([][]float64, H)
	n.valPred = make([]float64, len(truth))
	for j := range truth {
		var v float64
		for i, p := range parts {
			v += n.weights[i] * p.valPred[j]
		}
		n.valPred[j] = v
		res[j%H] = append(res[j%H], math.Abs(v-truth[j]))
	}
	n.setWidths(res)
	n.history.ValMAE = n.valMAE
	n.fitted = true
}

// seasonalBeatsNaive tells whether the seasonal-naive forecast (lag m) of
// the last k windows (W inputs, H targets) of v has a lower mean absolute
// error than the naive one.
func seasonalBeatsNaive(v []float64, W, H, m, k int) bool {
	nWin := len(v) - W - H + 1
	var naive, seasonal float64
	for i := max(0, nWin-k); i < nWin; i++ {
		last := v[i+W-1]
		for h := range H {
			y := v[i+W+h]
			naive += math.Abs(y - last)
			seasonal += math.Abs(y - v[i+W-m+h%m])
		}
	}
	return seasonal < naive
}

// member is one trained network of the ensemble.
type member struct {
	net  trainable
	hist TrainingHistory
	err  error
}

// train trains one network from seed on the first nTrain windows of wins,
// early-stopping on valIDs, and returns it with its best weights. Only the
// member with report set calls Progress.
func (n *Neural) train(ctx context.Context, wins *windowing.Windows, nTrain int, valIDs []int, seed uint64, report bool) member {
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
	trainIDs := make([]int, nTrain)
	for i := range trainIDs {
		trainIDs[i] = i
	}
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
				fitErr = fmt.Errorf("%s: %w at epoch %d (loss %g); try a lower learning rate (--lr) or gradient clipping (--clip)",
					c.Model, ErrDiverged, epoch+1, loss)
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
			fitErr = fmt.Errorf("%s: %w at epoch %d (validation loss %g); try a lower learning rate (--lr) or gradient clipping (--clip)",
				c.Model, ErrDiverged, epoch+1, monitor)
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
			c.Progress(EpochInfo{Epoch: epoch + 1, Epochs: c.Epochs, TrainLoss: trainLoss, ValLoss: valLoss,
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

// normBuf holds what the window-level normalisation of a batch took away:
// the offsets of every target (B, H) and the scale of every row (B); and
// the network input when it has the level channel (T, B, netIn).
type normBuf struct {
	off, scale, x []float64
}

func (n *Neural) newNormBuf(B, H int) *normBuf {
	nb := &normBuf{off: make([]float64, B*H), scale: make([]float64, B)}
	if n.level() {
		nb.x = make([]float64, n.cfg.Window*B*n.netIn())
	}
	return nb
}

// level tells whether the network sees the level channel.
func (n *Neural) level() bool { return !n.cfg.NoLevel && n.cfg.Normalize != NormNone }

// netIn returns the network's input features: the (normalised) target, the
// level channel if any, the covariates.
func (n *Neural) netIn() int {
	if n.level() {
		return n.in + 1
	}
	return n.in
}

// prepare normalises the batch b in place (see normalize) and returns the
// network input: b.X itself, or with the level channel, nb.x holding per
// step the normalised target, the scaled target before normalisation and
// the covariates.
func (n *Neural) prepare(b *windowing.Batch, nb *normBuf) []float64 {
	T, B, In := b.T, b.B, b.In
	if !n.level() {
		n.normalize(b, nb)
		return b.X[:T*B*In]
	}
	x := nb.x[:T*B*(In+1)]
	for i := 0; i < T*B; i++ {
		x[i*(In+1)+1] = b.X[i*In]
		copy(x[i*(In+1)+2:(i+1)*(In+1)], b.X[i*In+1:(i+1)*In])
	}
	n.normalize(b, nb)
	for i := 0; i < T*B; i++ {
		x[i*(In+1)] = b.X[i*In]
	}
	return x
}

// normRow normalises the target column of one window in place: its T
// values are x[0], x[stride], ... It writes the offsets of the H targets
// to off and returns their scale: a target y is seen as (y-off)/scale.
func (n *Neural) normRow(x []float64, stride, T int, off []float64) float64 {
	switch n.cfg.Normalize {
	case NormLast:
		ref := x[(T-1)*stride]
		for t := 0; t < T; t++ {
			x[t*stride] -= ref
		}
		for h := range off {
			off[h] = ref
		}
		return 1
	case NormMean:
		var mean float64
		for t := 0; t < T; t++ {
			mean += x[t*stride]
		}
		mean /= float64(T)
		var ss float64
		for t := 0; t < T; t++ {
			d := x[t*stride] - mean
			ss += d * d
		}
		sd := max(math.Sqrt(ss/float64(T)), normFloor)
		for t := 0; t < T; t++ {
			x[t*stride] = (x[t*stride] - mean) / sd
		}
		for h := range off {
			off[h] = mean
		}
		return sd
	case NormSeason:
		m := n.cfg.Season
		for h := range off {
			off[h] = x[(T-m+h%m)*stride]
		}
		ref := x[(T-1)*stride]
		for t := 0; t < T; t++ {
			x[t*stride] -= ref
		}
		return 1
	default:
		for h := range off {
			off[h] = 0
		}
		return 1
	}
}

// normalize normalises every row of b (inputs and targets) and records the
// offsets and scales in nb.
func (n *Neural) normalize(b *windowing.Batch, nb *normBuf) {
	T, B, In, H := b.T, b.B, b.In, b.H
	for r := 0; r < B; r++ {
		off := nb.off[r*H : (r+1)*H]
		sc := n.normRow(b.X[r*In:], B*In, T, off)
		nb.scale[r] = sc
		for h := 0; h < H; h++ {
			b.Y[r*H+h] = (b.Y[r*H+h] - off[h]) / sc
		}
	}
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

// calibrate sets the conformal half-widths from the ensemble's absolute
// validation residuals on the original scale, per step, with the
// finite-sample (n+1) correction; raw holds the target on the original
// scale.
func (n *Neural) calibrate(wins *windowing.Windows, ids []int, raw []float64) {
	W, H := n.cfg.Window, n.out
	b := wins.NewBatch(n.cfg.Batch)
	nb := n.newNormBuf(n.cfg.Batch, H)
	buf := make([]float64, n.cfg.Batch*H)
	res := make([][]float64, H)
	n.valPred = make([]float64, 0, len(ids)*H)
	for lo := 0; lo < len(ids); lo += n.cfg.Batch {
		part := ids[lo:min(lo+n.cfg.Batch, len(ids))]
		wins.Fill(b, part)
		x := n.prepare(b, nb)
		B := b.B
		out := n.forward(x, W, B, buf)
		for r := 0; r < B; r++ {
			for h := 0; h < H; h++ {
				pred := n.original(out[r*H+h]*nb.scale[r] + nb.off[r*H+h])
				res[h] = append(res[h], math.Abs(pred-raw[part[r]+W+h]))
				n.valPred = append(n.valPred, pred)
			}
		}
	}
	n.setWidths(res)
}

// setWidths sets the validation MAE and the conformal half-widths from the
// absolute validation residuals res (per step, original scale); it sorts
// res. A step's width at a level is the conformal quantile of its own
// residuals; where they are too few for the level (fewer than
// level/(1-level), e.g. 19 at 95 %), it is that step's mean absolute
// residual times the conformal quantile of the residuals of every step,
// each divided by its own step's mean (normalised scores pooled across the
// steps): finite, and as wide as the step's errors. Without enough even
// then, the width is infinite.
func (n *Neural) setWidths(res [][]float64) {
	H := len(res)
	var sum float64
	var count int
	scale := make([]float64, H) // mean absolute residual per step
	for h, r := range res {
		var s float64
		for _, v := range r {
			s += v
		}
		sum += s
		count += len(r)
		if len(r) > 0 {
			scale[h] = s / float64(len(r))
		}
	}
	n.valMAE = sum / float64(count)
	// quantile returns the conformal level-quantile of the sorted r, or +Inf.
	quantile := func(r []float64, level float64) float64 {
		k := int(math.Ceil(float64(len(r)+1)*level)) - 1
		if k >= len(r) {
			return math.Inf(1)
		}
		return r[max(k, 0)]
	}
	var pooled []float64 // the normalised scores, made when a step needs them
	n.widths = make([][]float64, len(n.cfg.Levels))
	for li, level := range n.cfg.Levels {
		n.widths[li] = make([]float64, H)
		for h := range H {
			r := res[h]
			sort.Float64s(r)
			w := quantile(r, level)
			if math.IsInf(w, 1) && scale[h] > 0 {
				if pooled == nil {
					for j, rj := range res {
						for _, v := range rj {
							if scale[j] > 0 {
								pooled = append(pooled, v/scale[j])
							}
						}
					}
					sort.Float64s(pooled)
				}
				w = scale[h] * quantile(pooled, level)
			}
			n.widths[li][h] = w
		}
	}
	// A higher level is never narrower (its step may have borrowed while
	// the lower level's did not).
	for li, level := range n.cfg.Levels {
		for lj, lower := range n.cfg.Levels {
			if lower < level {
				for h := range H {
					n.widths[li][h] = max(n.widths[li][h], n.widths[lj][h])
				}
			}
		}
	}
}

// lastRows returns the last w observations of s as rows (w, In): target
// first, then the covariates.
func lastRows(s *dataset.Series, w int) []float64 {
	in := 1 + len(s.Covariates)
	out := make([]float64, w*in)
	n := s.Len()
	for t := 0; t < w; t++ {
		out[t*in] = s.Values[n-w+t]
		for j, cv := range s.Covariates {
			out[t*in+1+j] = cv[n-w+t]
		}
	}
	return out
}

// Predict forecasts the h steps after the fitted series.
func (n *Neural) Predict(h int) (*Forecast, error) {
	if !n.fitted {
		return nil, fmt.Errorf("%s: %w", n.cfg.Model, ErrNotFitted)
	}
	return n.predictTail(n.tail, n.at, h)
}

// PredictFrom forecasts the h steps after history with the fitted weights
// and scaler, without refitting. history must have the covariates the model
// was trained with and at least Window points.
func (n *Neural) PredictFrom(history *dataset.Series, h int) (*Forecast, error) {
	if !n.fitted {
		return nil, fmt.Errorf("%s: %w", n.cfg.Model, ErrNotFitted)
	}
	if n.cfg.NoCovariates && len(history.Covariates) > 0 {
		t := *history
		t.Covariates, t.CovariateNames = nil, nil
		history = &t
	}
	if 1+len(history.Covariates) != n.in {
		return nil, fmt.Errorf("%s: %w: the model was trained with %d covariates; history has %d",
			n.cfg.Model, ErrBadData, n.in-1, len(history.Covariates))
	}
	if history.Len() < n.cfg.Window {
		return nil, &ShortError{What: "history", Have: history.Len(), Need: n.cfg.Window,
			Why: fmt.Sprintf("window %d", n.cfg.Window)}
	}
	for i, v := range history.Values[history.Len()-n.cfg.Window:] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %w: history value %d is %g", n.cfg.Model, ErrBadData, history.Len()-n.cfg.Window+i, v)
		}
	}
	return n.predictTail(lastRows(history, n.cfg.Window), anchorOf(history), h)
}

// predictTail forecasts h steps after the raw rows tail (Window, In).
func (n *Neural) predictTail(tail []float64, at anchor, h int) (*Forecast, error) {
	c := n.cfg
	if h < 1 {
		return nil, fmt.Errorf("%s: %w: %d", c.Model, ErrHorizon, h)
	}
	if n.in > 1 && h > n.out {
		return nil, fmt.Errorf("%s: %w: forecasting %d steps past the trained horizon %d needs future covariates; train with a longer horizon or without covariates",
			c.Model, ErrHorizon, h, n.out)
	}
	values := n.predictValues(tail, h)
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %w: the network produced %g", c.Model, ErrDiverged, v)
		}
	}
	f := at.forecast(c.Model, c.Strategy, values)
	for li, level := range c.Levels {
		if li >= len(n.widths) {
			break
		}
		iv := Interval{Level: level, Lo: make([]float64, h), Hi: make([]float64, h)}
		for k := range h {
			w := n.width(li, k)
			iv.Lo[k], iv.Hi[k] = values[k]-w, values[k]+w
		}
		f.Intervals = append(f.Intervals, iv)
	}
	return f, nil
}

// predictValues returns the h-step point forecast after the raw rows tail
// (Window, In) on the original scale: a combined model's is the weighted
// sum of its parts' forecasts, parts in order.
func (n *Neural) predictValues(tail []float64, h int) []float64 {
	if len(n.parts) > 0 {
		values := make([]float64, h)
		for i, p := range n.parts {
			for k, v := range p.predictValues(tail, h) {
				values[k] += n.weights[i] * v
			}
		}
		return values
	}
	W, H, in := n.cfg.Window, n.out, n.in
	// Scaled window, time-major with B = 1: x[t*in+i].
	x := make([]float64, W*in)
	for t := 0; t < W; t++ {
		x[t*in] = (n.forwardT(tail[t*in]) - n.scaler.Center[0]) / n.scaler.Scale[0]
		for j := 1; j < in; j++ {
			x[t*in+j] = (tail[t*in+j] - n.scaler.Center[j]) / n.scaler.Scale[j]
		}
	}
	xn := make([]float64, W*in)
	off := make([]float64, H)
	buf := make([]float64, H)
	var xl []float64 // with the level channel: (W, in+1)
	if n.level() {
		xl = make([]float64, W*(in+1))
	}
	values := make([]float64, 0, h+H)
	for len(values) < h {
		copy(xn, x)
		sc := n.normRow(xn, in, W, off)
		input := xn
		if xl != nil {
			for t := 0; t < W; t++ {
				xl[t*(in+1)] = xn[t*in]
				xl[t*(in+1)+1] = x[t*in]
				copy(xl[t*(in+1)+2:(t+1)*(in+1)], x[t*in+1:(t+1)*in])
			}
			input = xl
		}
		out := n.forward(input, W, 1, buf)
		block := make([]float64, H)
		for k := range H {
			block[k] = out[k]*sc + off[k]
		}
		// Slide the window over the block (target only; covariates are
		// never needed here: see the check above).
		copy(x, x[H*in:])
		for k := range H {
			if W-H+k >= 0 {
				x[(W-H+k)*in] = block[k]
			}
		}
		if H > W {
			for t := 0; t < W; t++ {
				x[t*in] = block[H-W+t]
			}
		}
		for _, v := range block {
			values = append(values, n.original(v))
		}
	}
	return values[:h]
}

// width returns the conformal half-width of level li at step k (0-based).
// Steps past the calibrated ones (chained blocks, recursive feedback) widen
// the last calibrated width by √(k+1)/√H, the random-walk growth: a
// heuristic, not a coverage guarantee.
func (n *Neural) width(li, k int) float64 {
	w := n.widths[li]
	if k < len(w) {
		return w[k]
	}
	return w[len(w)-1] * math.Sqrt(float64(k+1)/float64(len(w)))
}

// neuralFile is the Config of a neural model file.
type neuralFile struct {
	NeuralConfig
	In      int `json:"in"`
	Out     int `json:"out"`
	Members int `json:"members"` // ensemble members stored; 0 in older files means 1
	// Floor is the floor of TransformLog (see Neural.floor).
	Floor float64 `json:"log_floor,omitempty"`
	// Parts describes a combined model's parts (their tensors carry the
	// prefix "p<i>."); none otherwise.
	Parts []neuralPart `json:"parts,omitempty"`
}

// neuralPart is one part of a combined model in a model file.
type neuralPart struct {
	Normalize string  `json:"normalize"`
	Weight    float64 `json:"weight"`
	Members   int     `json:"members"`
	// Transform and Floor are the part's target transform (absent in
	// older files: none); Scaler its own scaler (absent: the file's).
	Transform string          `json:"transform,omitempty"`
	Floor     float64         `json:"log_floor,omitempty"`
	Scaler    json.RawMessage `json:"scaler,omitempty"`
}

// partPrefix is the tensor name prefix of part i of a combined model.
func partPrefix(i int) string { return "p" + strconv.Itoa(i) + "." }

// memberPrefix is the tensor name prefix of ensemble member k: the first
// member's tensors carry the plain PyTorch-style names.
func memberPrefix(k int) string {
	if k == 0 {
		return ""
	}
	return "m" + strconv.Itoa(k) + "."
}

// MarshalModel returns the model file content of the fitted network: its
// config, scaler, every parameter under its PyTorch-style name, the input
// tail it forecasts from ("tail"), the conformal half-widths
// ("conformal.width", levels × steps) and the training summary.
func (n *Neural) MarshalModel() (*Model, error) {
	if !n.fitted {
		return nil, fmt.Errorf("%s: %w", n.cfg.Model, ErrNotFitted)
	}
	nf := neuralFile{NeuralConfig: n.cfg, In: n.in, Out: n.out, Members: len(n.nets), Floor: n.floor}
	for i, p := range n.parts {
		sc, err := json.Marshal(p.scaler)
		if err != nil {
			return nil, err
		}
		nf.Parts = append(nf.Parts, neuralPart{Normalize: p.cfg.Normalize, Weight: n.weights[i], Members: len(p.nets),
			Transform: p.cfg.Transform, Floor: p.floor, Scaler: sc})
	}
	cfg, err := json.Marshal(nf)
	if err != nil {
		return nil, err
	}
	sc, err := json.Marshal(n.scaler)
	if err != nil {
		return nil, err
	}
	m := &Model{Kind: n.cfg.Model, Config: cfg, Scaler: sc, Summary: n.at.summary()}
	for k, net := range n.nets {
		for _, p := range net.Params() {
			m.Tensors = append(m.Tensors, Tensor{Name: memberPrefix(k) + p.Name, Shape: slices.Clone(p.Shape), Data: slices.Clone(p.W)})
		}
	}
	for i, part := range n.parts {
		for k, net := range part.nets {
			for _, p := range net.Params() {
				m.Tensors = append(m.Tensors, Tensor{Name: partPrefix(i) + memberPrefix(k) + p.Name, Shape: slices.Clone(p.Shape), Data: slices.Clone(p.W)})
			}
		}
	}
	m.Tensors = append(m.Tensors, Tensor{Name: "tail", Shape: []int{n.cfg.Window, n.in}, Data: slices.Clone(n.tail)})
	if len(n.widths) > 0 {
		var w []float64
		for _, row := range n.widths {
			w = append(w, row...)
		}
		m.Tensors = append(m.Tensors, Tensor{Name: "conformal.width", Shape: []int{len(n.widths), n.out}, Data: w})
	}
	m.Summary.Epochs = len(n.history.Train)
	m.Summary.Metrics = map[string]float64{}
	if k := n.history.BestEpoch; k > 0 {
		m.Summary.Metrics["train_loss"] = n.history.Train[k-1]
		m.Summary.Metrics["val_loss"] = n.history.Val[k-1]
		m.Summary.Metrics["best_epoch"] = float64(k)
	}
	return m, nil
}

// UnmarshalModel restores a fitted network from a model file; its forecasts
// are bit-identical to the original's.
func (n *Neural) UnmarshalModel(m *Model) error {
	var f neuralFile
	if err := json.Unmarshal(m.Config, &f); err != nil {
		return fmt.Errorf("%w: neural config: %v", ErrCorrupt, err)
	}
	if err := m.CheckKind(f.Model); err != nil {
		return err
	}
	if n.cfg.Model != "" && n.cfg.Model != f.Model {
		return m.CheckKind(n.cfg.Model)
	}
	c, err := f.NeuralConfig.withDefaults()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if c.Window < 1 || f.In < 1 || f.Out < 1 {
		return fmt.Errorf("%w: neural config has window %d, %d inputs, %d outputs", ErrCorrupt, c.Window, f.In, f.Out)
	}
	sc, err := loadScaler(m.Scaler, f.In)
	if err != nil {
		return err
	}
	at, err := anchorFrom(m.Summary)
	if err != nil {
		return err
	}
	if c.Normalize == NormSeason && (c.Season < 1 || c.Season > c.Window) {
		return fmt.Errorf("%w: neural config has season %d outside window %d", ErrCorrupt, c.Season, c.Window)
	}
	k := &Neural{cfg: c, in: f.In, out: f.Out, scaler: sc, at: at}
	if c.Normalize != NormAuto {
		if err := k.setTransform(c.Transform, f.Floor); err != nil {
			return err
		}
	} else {
		if len(f.Parts) == 0 || len(f.Parts) > 16 {
			return fmt.Errorf("%w: neural config has normalisation auto with %d parts", ErrCorrupt, len(f.Parts))
		}
		for i, fp := range f.Parts {
			pc := c
			pc.Normalize = fp.Normalize
			switch fp.Normalize {
			case NormLast, NormMean, NormNone:
			case NormSeason:
				if c.Season < 1 || c.Season > c.Window {
					return fmt.Errorf("%w: neural config has season %d outside window %d", ErrCorrupt, c.Season, c.Window)
				}
			default:
				return fmt.Errorf("%w: part %d has normalisation %q", ErrCorrupt, i, fp.Normalize)
			}
			if math.IsNaN(fp.Weight) || math.IsInf(fp.Weight, 0) {
				return fmt.Errorf("%w: part %d has weight %g", ErrCorrupt, i, fp.Weight)
			}
			part := &Neural{cfg: pc, in: f.In, out: f.Out, scaler: sc, at: at}
			if fp.Scaler != nil {
				if part.scaler, err = loadScaler(fp.Scaler, f.In); err != nil {
					return fmt.Errorf("part %d: %w", i, err)
				}
			}
			if err := part.setTransform(fp.Transform, fp.Floor); err != nil {
				return fmt.Errorf("part %d: %w", i, err)
			}
			if err := part.loadNets(m, partPrefix(i), fp.Members); err != nil {
				return err
			}
			k.parts = append(k.parts, part)
			k.weights = append(k.weights, fp.Weight)
		}
	}
	if c.Normalize != NormAuto {
		if err := k.loadNets(m, "", f.Members); err != nil {
			return err
		}
	}
	tail, err := m.Tensor("tail")
	if err != nil {
		return err
	}
	if len(tail.Data) != c.Window*f.In {
		return fmt.Errorf("%w: tail has %d values; want %d", ErrCorrupt, len(tail.Data), c.Window*f.In)
	}
	k.tail = slices.Clone(tail.Data)
	if w, err := m.Tensor("conformal.width"); err == nil {
		if len(w.Shape) != 2 || w.Shape[1] != f.Out || w.Shape[0] > len(c.Levels) {
			return fmt.Errorf("%w: conformal.width has shape %v", ErrCorrupt, w.Shape)
		}
		for l := 0; l < w.Shape[0]; l++ {
			k.widths = append(k.widths, slices.Clone(w.Data[l*f.Out:(l+1)*f.Out]))
		}
	}
	k.fitted = true
	k.cfg.Progress = n.cfg.Progress
	k.req = k.cfg
	*n = *k
	return nil
}

// loadScaler decodes a model file's scaler, which must have at least in
// columns.
func loadScaler(data []byte, in int) (dataset.Scaler, error) {
	var sc dataset.Scaler
	if err := json.Unmarshal(data, &sc); err != nil {
		return sc, fmt.Errorf("%w: scaler: %v", ErrCorrupt, err)
	}
	if len(sc.Center) < in || len(sc.Scale) < in {
		return sc, fmt.Errorf("%w: scaler has %d columns; the model needs %d", ErrCorrupt, len(sc.Center), in)
	}
	return sc, nil
}

// setTransform restores a loaded model's target transform: TransformLog
// with its floor, anything else (older files have none) TransformNone.
func (n *Neural) setTransform(kind string, floor float64) error {
	n.cfg.Transform, n.floor = TransformNone, 0
	if kind != TransformLog {
		return nil
	}
	if !(floor > 0) || math.IsInf(floor, 0) {
		return fmt.Errorf("%w: transform %q with floor %g", ErrCorrupt, kind, floor)
	}
	n.cfg.Transform, n.floor = TransformLog, floor
	return nil
}

// loadNets builds n's members networks (0 in older files means 1) and
// fills them from the tensors of m named prefix + memberPrefix(k) + the
// parameter's name.
func (n *Neural) loadNets(m *Model, prefix string, members int) error {
	members = max(1, members)
	if members > 1000 {
		return fmt.Errorf("%w: neural config has %d ensemble members", ErrCorrupt, members)
	}
	for i := range members {
		net, err := n.build(n.netIn(), n.cfg.Seed+uint64(i))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		for _, p := range net.Params() {
			name := prefix + memberPrefix(i) + p.Name
			t, err := m.Tensor(name)
			if err != nil {
				return err
			}
			if !slices.Equal(t.Shape, p.Shape) {
				return fmt.Errorf("%w: tensor %s has shape %v; want %v", ErrCorrupt, name, t.Shape, p.Shape)
			}
			copy(p.W, t.Data)
		}
		n.nets = append(n.nets, net)
	}
	return nil
}

// NeuralFromOptions builds the NeuralConfig of model name from Options:
// Window, Horizon, Season, Seed and Progress from their fields, and from
// Params the keys window (overriding the field), hidden, layers, chrono, epochs,
// batch, lr, clip, truncate (or tbptt), val, patience, ensemble, level (a
// bool; false sets NoLevel), loss, strategy, normalize, combine, transform,
// schedule and scale.
func NeuralFromOptions(name string, o Options) (NeuralConfig, error) {
	c := NeuralConfig{Model: name, Window: o.Window, Horizon: o.Horizon, Season: o.Season, Seed: o.Seed, Progress: o.Progress}
	for k, v := range o.Params {
		var err error
		switch k {
		case "window":
			c.Window, err = strconv.Atoi(v)
		case "hidden":
			c.Hidden, err = strconv.Atoi(v)
		case "layers":
			c.Layers, err = strconv.Atoi(v)
		case "chrono":
			c.Chrono, err = strconv.Atoi(v)
		case "epochs":
			c.Epochs, err = strconv.Atoi(v)
		case "batch":
			c.Batch, err = strconv.Atoi(v)
		case "truncate", "tbptt":
			c.Truncate, err = strconv.Atoi(v)
		case "patience":
			c.Patience, err = strconv.Atoi(v)
		case "lr":
			c.LR, err = strconv.ParseFloat(v, 64)
		case "clip":
			c.Clip, err = strconv.ParseFloat(v, 64)
		case "val":
			c.Val, err = strconv.ParseFloat(v, 64)
		case "ensemble":
			c.Ensemble, err = strconv.Atoi(v)
		case "level":
			var on bool
			on, err = strconv.ParseBool(v)
			c.NoLevel = !on
		case "loss":
			c.Loss = v
		case "strategy":
			c.Strategy = v
		case "normalize":
			c.Normalize = v
		case "combine":
			c.Combine = v
		case "transform":
			c.Transform = v
		case "schedule":
			c.Schedule = v
		case "scale":
			c.Scale = dataset.ScaleMethod(v)
		default:
			return c, fmt.Errorf("%s: unknown parameter %q", name, k)
		}
		if err != nil {
			return c, fmt.Errorf("%s: parameter %s=%q: %w", name, k, v, err)
		}
	}
	return c, nil
}

func init() {
	for _, name := range []string{"lstm", "gru", "rnn", "mlp"} {
		Register(name, func(o Options) (Forecaster, error) {
			c, err := NeuralFromOptions(name, o)
			if err != nil {
				return nil, err
			}
			return NewNeural(c)
		})
	}
}
