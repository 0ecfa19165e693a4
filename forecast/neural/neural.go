package neural

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
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
	// of the training series (a Global model: GlobalWindow(season)).
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
	// DType is the element type of the network's forward and backward
	// passes: "float64" (default) or "float32" (models.Master32: float32
	// products and activations, with float64 master weights, so the
	// optimiser, early stopping and the model file stay float64).
	DType string `json:"dtype,omitempty"`
	// Epochs is the most training epochs; default 100 (early stopping
	// usually ends training sooner).
	Epochs int `json:"epochs"`
	// Batch is the mini-batch size; default 64 (256 for a Global model).
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
	// negative means no validation (no early stopping, no intervals). A
	// Global model holds out each series' latest window whatever the
	// fraction (none if negative).
	Val float64 `json:"val"`
	// Patience is the number of epochs without validation improvement
	// before training stops and the best weights are restored; default 10.
	Patience int `json:"patience"`
	// Normalize is the window-level normalisation: NormAuto (default),
	// NormLast, NormMean, NormSeason or NormNone. Config reports the
	// normalisation NormAuto chose after Fit. A Global model's NormAuto is
	// GlobalNorm, and it has no NormNone.
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

	// Global makes Fit train one network across series (see
	// Neural.FitGlobal): Fit(s) is FitGlobal of s alone, and the model
	// forecasts any series from its history. A global model sees every
	// window scaled by its own spread (see the normalisations), no level
	// channel and no covariates; Transform applies to all series together.
	Global bool `json:"global,omitempty"`

	// Progress, if not nil, is called after every epoch.
	Progress forecast.Progress `json:"-"`
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
		if c.Global {
			c.Batch = 256
		}
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if err := choose("dtype", &c.DType, "float64", "float64", "float32"); err != nil {
		return c, err
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
	at      forecast.Anchor
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
	// skipped lists the series the last FitGlobal drew no window from.
	skipped []forecast.SkippedSeries
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
	// candidate (TransformLog or TransformNone); "" if none was trained;
	// a global model's transform.
	Transform string
	// TrainWindows and ValWindows count the training and validation
	// windows.
	TrainWindows, ValWindows int
}

var (
	_ forecast.Persistent       = (*Neural)(nil)
	_ forecast.HistoryPredictor = (*Neural)(nil)
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

// Horizon returns the number of steps the model is trained for (0 before
// Fit when the Options gave none).
func (n *Neural) Horizon() int { return n.cfg.Horizon }

// Config returns the configuration, with the window, season and
// normalisation resolved after Fit.
func (n *Neural) Config() NeuralConfig { return n.cfg }

// History returns the per-epoch losses of the last Fit (of the first
// ensemble member; Elapsed covers the whole ensemble).
func (n *Neural) History() TrainingHistory { return n.history }

// NeuralFromOptions builds the NeuralConfig of model name from Options:
// Window, Horizon, Season, Seed, Global and Progress from their fields, and from
// Params the keys window (overriding the field), hidden, layers, chrono, epochs,
// batch, lr, clip, truncate (or tbptt), val, patience, ensemble, level (a
// bool; false sets NoLevel), loss, strategy, normalize, combine, transform,
// schedule and scale.
func NeuralFromOptions(name string, o forecast.Options) (NeuralConfig, error) {
	c := NeuralConfig{Model: name, Window: o.Window, Horizon: o.Horizon, Season: o.Season, Seed: o.Seed, Progress: o.Progress, Global: o.Global}
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
		case "dtype":
			c.DType = v
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
	for _, name := range forecast.NeuralModels() {
		forecast.Register(name, func(o forecast.Options) (forecast.Forecaster, error) {
			c, err := NeuralFromOptions(name, o)
			if err != nil {
				return nil, err
			}
			return NewNeural(c)
		})
	}
}
