package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/neural"
	"github.com/tsf-go/tsf/internal/flagspec"
)

// ErrNoHorizon is the failure of a global fit without Model.Horizon when
// the series do not share a season: there is no common default horizon
// (forecast.CollectionHorizon's error).
var ErrNoHorizon = forecast.ErrNoHorizon

// ModelError is the failure of the stage that makes the one model every
// series is forecast with: a global fit (Model.IsGlobal), or reading
// Config.ModelFile. Run fails with it and writes nothing, as
// `tsf forecast --id` writes nothing when its global fit fails. The
// message is the one tsf gives; the error wraps the sentinel of the
// failure (forecast.ErrTooShort, forecast.ErrDiverged, ErrNoHorizon,
// forecast.ErrCorrupt, os.ErrNotExist, ...: see sentinels), so that
// errors.Is sees it across the pipeline.
type ModelError struct {
	msg string
	err error
}

func (e *ModelError) Error() string { return e.msg }

// Unwrap returns the sentinel of the failure, or nil.
func (e *ModelError) Unwrap() error { return e.err }

// sentinels are the errors a ModelError may wrap. A failure crosses the
// pipeline as text and the message of its sentinel (fitted.Kind), and Run
// rebuilds an error that wraps the same sentinel.
var sentinels = []error{
	ErrNoHorizon, forecast.ErrTooShort, neural.ErrDiverged, forecast.ErrBadData, forecast.ErrHorizon,
	forecast.ErrNoHistory, forecast.ErrNotFinite, forecast.ErrCorrupt, forecast.ErrTruncated, forecast.ErrVersion,
	forecast.ErrKind, os.ErrNotExist, os.ErrPermission, context.Canceled, context.DeadlineExceeded,
}

// kindOf returns the message of the first sentinel err wraps, "" for none.
func kindOf(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return ""
}

// sentinel returns the sentinel whose message is kind, nil for none.
func sentinel(kind string) error {
	for _, s := range sentinels {
		if s.Error() == kind {
			return s
		}
	}
	return nil
}

// fitted is the one model every series is forecast with: a model file's
// content (forecast.WriteModel) and the horizon, or the failure that
// fails the run (Err, and Kind, the message of the sentinel it wraps). A
// global fit without a series to fit (none loaded) is a fitted without
// Model or Err: every series then fails on its own.
type fitted struct {
	Model   []byte
	Horizon int
	Err     string
	Kind    string
}

// failed returns the fitted of a failure, its message in the command
// line's words (flagspec.Message).
func failed(err error) fitted { return fitted{Err: flagspec.Message(err), Kind: kindOf(err)} }

// seriesRows is one series id's rows, sent with the others to the one
// worker that fits a global model; or, with Number set and no rows, a
// column that holds a number in some row of the input (the read stage's
// numberScan output), which the loader needs to take the targets as tsf
// does.
type seriesRows struct {
	ID     string
	Chunks []chunk
	Number string
}

// gatherFn sends every series' rows to one key, for fitGlobalFn.
type gatherFn struct{}

func (gatherFn) ProcessElement(id string, rows func(*chunk) bool, emit func(int, seriesRows)) {
	r := seriesRows{ID: id}
	var c chunk
	for rows(&c) {
		r.Chunks = append(r.Chunks, c)
	}
	emit(0, r)
}

// gatherNumbersFn sends the number columns to the same key as gatherFn.
type gatherNumbersFn struct{}

func (gatherNumbersFn) ProcessElement(col string, emit func(int, seriesRows)) {
	emit(0, seriesRows{Number: col})
}

// fitGlobalFn fits the global model of Cfg on every series, on one worker,
// as `tsf forecast --id` fits it: the series loaded by the code the
// forecast stage loads them with, in the order of their first row (tsf's
// order, dataset.Read's), those that fail to load left out (the forecast
// stage reports them); one horizon for all (Config.Model); FitGlobal of
// forecast.New(Model.Name, Model.Options). It emits the fitted model's
// file content, or the failure, with tsf's message.
//
// It takes the number columns in its main input (seriesRows.Number)
// rather than as a side input: Prism's scheduler busy-waits for as long as
// a bundle of a stage with side inputs runs (every loop of its watermark
// evaluation finds the stage ready and schedules an empty bundle), which
// on a small machine slows a fit of minutes by as much as half.
type fitGlobalFn struct {
	Cfg Config
	// Input names the inputs in messages, as tsf names its file.
	Input string
}

func (f *fitGlobalFn) ProcessElement(ctx context.Context, _ int, all func(*seriesRows) bool, emit func(fitted)) {
	var groups []*group
	var numbers []string
	var r seriesRows
	for all(&r) {
		switch {
		case r.Number != "":
			numbers = append(numbers, r.Number)
		case len(r.Chunks) > 0:
			groups = append(groups, &group{id: r.ID, chunks: r.Chunks})
		}
	}
	cols := numberColumns(f.Cfg.Read, func(c *string) bool {
		if len(numbers) == 0 {
			return false
		}
		*c, numbers = numbers[0], numbers[1:]
		return true
	})
	slices.SortFunc(groups, func(a, b *group) int { return a.first().cmp(b.first()) })
	var series []*dataset.Series
	for _, g := range groups {
		if ss, err := g.load(f.Cfg.Read, cols); err == nil {
			series = append(series, ss...)
		}
	}
	emit(f.fit(ctx, series))
}

// fit fits the model on series (in tsf's order) and returns it.
func (f *fitGlobalFn) fit(ctx context.Context, series []*dataset.Series) fitted {
	if len(series) == 0 {
		return fitted{}
	}
	h, err := f.horizon(series)
	if err != nil {
		return failed(err)
	}
	name := f.Cfg.Model.Name
	m, err := forecast.New(name, f.Cfg.Model.Options(name, h))
	if err != nil {
		return failed(fmt.Errorf("model %s: %w", name, err))
	}
	gm, ok := m.(forecast.GlobalModel)
	p, ok2 := m.(forecast.Persistent)
	if !ok || !ok2 {
		return failed(fmt.Errorf("model %s cannot be fitted across series and saved", name))
	}
	if err := gm.FitGlobal(ctx, series); err != nil {
		return failed(fmt.Errorf("%s: %w", f.Input, err))
	}
	mf, err := p.MarshalModel()
	if err != nil {
		return failed(fmt.Errorf("%s: %w", f.Input, err))
	}
	var buf bytes.Buffer
	if err := forecast.WriteModel(&buf, mf); err != nil {
		return failed(fmt.Errorf("%s: %w", f.Input, err))
	}
	return fitted{Model: buf.Bytes(), Horizon: h}
}

// horizon is the horizon of a global model by tsf's rule: Model.Horizon,
// or forecast.CollectionHorizon, the season the series share (Model.Season,
// or their frequencies'), 12 for series without one; series of different
// seasons have none (ErrNoHorizon, worded as tsf words it).
func (f *fitGlobalFn) horizon(series []*dataset.Series) (int, error) {
	if f.Cfg.Model.Horizon > 0 {
		return f.Cfg.Model.Horizon, nil
	}
	h, err := forecast.CollectionHorizon(series, f.Cfg.Model.Season)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", f.Input, err)
	}
	return h, nil
}

// inputName names the inputs in a message: the one input (file or glob)
// as given, as tsf names its file, or the first and how many more.
func inputName(inputs []string) string {
	switch len(inputs) {
	case 0:
		return ""
	case 1:
		return inputs[0]
	}
	return fmt.Sprintf("%s (and %d other inputs)", inputs[0], len(inputs)-1)
}

// readModelFn reads the model file Path, if set, through Beam's file
// systems and emits its content with the horizon to forecast (Horizon, or
// the model's own), or why it cannot be used; it emits nothing without a
// Path (a local model per series).
type readModelFn struct {
	Path    string
	Horizon int
}

func (f *readModelFn) ProcessElement(ctx context.Context, _ []byte, emit func(fitted)) {
	if f.Path == "" {
		return
	}
	data, err := readWhole(ctx, f.Path)
	if err != nil {
		emit(failed(fmt.Errorf("model file %s: %w", f.Path, err)))
		return
	}
	m, err := fromModelFile(data)
	if err != nil {
		emit(failed(fmt.Errorf("model file %s: %w", f.Path, err)))
		return
	}
	h := f.Horizon
	if h == 0 {
		h = forecast.TrainedHorizon(m)
	}
	emit(fitted{Model: data, Horizon: h})
}

// fromModelFile rebuilds the model of a model file's content, which must
// forecast from a series' history.
func fromModelFile(data []byte) (forecast.HistoryPredictor, error) {
	mf, err := forecast.ReadModel(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	m, err := forecast.FromModel(mf)
	if err != nil {
		return nil, err
	}
	hp, ok := m.(forecast.HistoryPredictor)
	if !ok {
		return nil, fmt.Errorf("%s: %w", m.Name(), forecast.ErrNoHistory)
	}
	return hp, nil
}

// readWhole reads the file at path through Beam's file systems.
func readWhole(ctx context.Context, path string) ([]byte, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// modelReport is what the model stage tells Run: its failure, if any.
type modelReport struct {
	Error string `json:"error,omitempty"`
	Kind  string `json:"kind,omitempty"`
}

// reportFn turns the model stage's outcome into the block of the report
// file that Run reads.
type reportFn struct{}

func (reportFn) ProcessElement(m fitted, emit func(int, block)) {
	b, _ := json.Marshal(modelReport{Error: m.Err, Kind: m.Kind})
	emit(0, block{Text: append(b, '\n')})
}

// modelReportName is the file in which the model stage reports its
// failure: a staged file that Run reads and removes (Build leaves it
// beside the outputs).
func modelReportName(prefix string) string { return prefix + "-model.json" }

// modelStage adds the stage that makes the one model every series is
// forecast with, when there is one: a global fit on every series of
// grouped, or the model file read; it returns the model (zero or one
// fitted, for the forecast stage's side input) and its report, for Run
// (nil without such a model).
func modelStage(s beam.Scope, cfg Config, grouped, numbers beam.PCollection) (model beam.PCollection, report *beam.PCollection) {
	switch {
	case cfg.Mode == Forecast && cfg.ModelFile == "" && cfg.Model.IsGlobal():
		s = s.Scope("fit global model")
		all := beam.GroupByKey(s, beam.Flatten(s, beam.ParDo(s, &gatherFn{}, grouped), beam.ParDo(s, &gatherNumbersFn{}, numbers)))
		model = beam.ParDo(s, &fitGlobalFn{Cfg: cfg, Input: inputName(cfg.Inputs)}, all)
	default:
		model = beam.ParDo(s.Scope("model file"), &readModelFn{Path: cfg.ModelFile, Horizon: cfg.Model.Horizon}, beam.Impulse(s))
		if cfg.ModelFile == "" {
			return model, nil
		}
	}
	r := beam.ParDo(s, &reportFn{}, model)
	return model, &r
}

// readModelReport reads the model stage's report at path and removes it:
// the stage's failure as a *ModelError, or nil.
func readModelReport(ctx context.Context, path string) error {
	data, err := readWhole(ctx, path)
	if fs, ferr := filesystem.New(ctx, path); ferr == nil {
		if rm, ok := fs.(filesystem.Remover); ok {
			rm.Remove(ctx, path)
		}
		fs.Close()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var rep modelReport
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &rep); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if rep.Error == "" {
		return nil
	}
	return &ModelError{msg: rep.Error, err: sentinel(rep.Kind)}
}
