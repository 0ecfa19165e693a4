package forecast

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tsf-go/tsf/internal/atomicfile"

	"github.com/tsf-go/tsf/dataset"
)

// The model file format written by WriteModel.
const (
	FormatName    = "tsf-model"
	FormatVersion = 1
)

// Errors of model files; test them with errors.Is.
var (
	// ErrCorrupt: the file is not a readable tsf model (bad magic,
	// checksum mismatch, malformed header or payload). A truncated file
	// gives ErrTruncated, which also matches ErrCorrupt.
	ErrCorrupt = errors.New("corrupt model file")
	// ErrTruncated: the file ends early.
	ErrTruncated = errors.New("truncated model file")
	// ErrVersion: the file was written by another format version.
	ErrVersion = errors.New("unsupported model file version")
	// ErrKind: the file holds another kind of model than wanted, or a
	// kind no registered Constructor builds.
	ErrKind = errors.New("wrong model kind")
)

// Tensor is one named array of model parameters, stored row-major.
type Tensor struct {
	Name  string    `json:"name"`
	Shape []int     `json:"shape"`
	Data  []float64 `json:"-"`
}

// Summary describes the training run behind a model. It also anchors the
// model in time: Predict labels its steps after Last with Freq.
type Summary struct {
	// Series is the name of the training series.
	Series string `json:"series,omitempty"`
	// Points is the length of the training series.
	Points int `json:"points"`
	// First and Last are the first and last training timestamps (zero for
	// an integer index).
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Freq is the training series' frequency as dataset.Freq.String
	// writes it ("monthly", "fixed(15m0s)", "index").
	Freq string `json:"freq,omitempty"`
	// Layout is the time layout of the training series.
	Layout string `json:"layout,omitempty"`
	// Epochs is the number of training epochs (0 for closed-form models).
	Epochs int `json:"epochs,omitempty"`
	// Metrics holds named training figures such as "train_loss",
	// "val_loss" or "aic". Non-finite entries are not written.
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

// Model is the generic content of a model file: what kind of model it is,
// its configuration, its scaler, its parameters as named tensors and a
// training summary. Every Persistent model maps itself to and from it.
type Model struct {
	// Kind is the registered name of the model ("ets", "lstm", ...).
	Kind string
	// Config is the model's configuration as JSON.
	Config json.RawMessage
	// Scaler is the JSON state of the scaler the model applies inside
	// (nil if none).
	Scaler json.RawMessage
	// Tensors holds the parameters, stored bit for bit.
	Tensors []Tensor
	// Summary describes the training run.
	Summary Summary
}

// Tensor returns the tensor with the given name, or an ErrCorrupt error.
func (m *Model) Tensor(name string) (Tensor, error) {
	for _, t := range m.Tensors {
		if t.Name == name {
			return t, nil
		}
	}
	return Tensor{}, fmt.Errorf("%w: %s model has no tensor %q", ErrCorrupt, m.Kind, name)
}

// CheckKind returns an ErrKind error unless m.Kind is want.
func (m *Model) CheckKind(want string) error {
	if m.Kind != want {
		return fmt.Errorf("%w: file holds a %q model; want %q", ErrKind, m.Kind, want)
	}
	return nil
}

// Persistent is a Forecaster that can be saved to and loaded from a model
// file. MarshalModel is called on a fitted model; UnmarshalModel restores
// one so that its forecasts are bit-identical to the original's, and
// returns an ErrKind error (see Model.CheckKind) for another kind.
type Persistent interface {
	Forecaster
	MarshalModel() (*Model, error)
	UnmarshalModel(*Model) error
}

type header struct {
	Format  string          `json:"format"`
	Version int             `json:"version"`
	Kind    string          `json:"kind"`
	Config  json.RawMessage `json:"config,omitempty"`
	Scaler  json.RawMessage `json:"scaler,omitempty"`
	Tensors []Tensor        `json:"tensors"`
	Summary Summary         `json:"summary"`
	Payload int             `json:"payload_bytes"`
}

// WriteModel writes m in the tsf model format:
//
//	tsf-model 1\n                   magic and format version
//	{header JSON}\n                 kind, config, scaler, tensor names and shapes, summary
//	payload                         every tensor's data, float64 little-endian, in header order
//	sha256 <64 hex digits>\n        SHA-256 of everything before this line
//
// The header is one line of JSON, so `head -2 model.tsf` shows it.
func WriteModel(w io.Writer, m *Model) error {
	var buf bytes.Buffer
	if err := encodeModel(&buf, m); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func encodeModel(buf *bytes.Buffer, m *Model) error {
	if m.Kind == "" {
		return errors.New("forecast: model has no kind")
	}
	h := header{Format: FormatName, Version: FormatVersion, Kind: m.Kind, Config: m.Config,
		Scaler: m.Scaler, Tensors: m.Tensors, Summary: m.Summary}
	if len(m.Summary.Metrics) > 0 {
		h.Summary.Metrics = map[string]float64{}
		for k, v := range m.Summary.Metrics {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				h.Summary.Metrics[k] = v
			}
		}
	}
	for _, t := range m.Tensors {
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		if n != len(t.Data) {
			return fmt.Errorf("forecast: tensor %q has shape %v but %d values", t.Name, t.Shape, len(t.Data))
		}
		h.Payload += 8 * n
	}
	hdr, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("forecast: encode model header: %w", err)
	}
	fmt.Fprintf(buf, "%s %d\n", FormatName, FormatVersion)
	buf.Write(hdr)
	buf.WriteByte('\n')
	var b [8]byte
	for _, t := range m.Tensors {
		for _, v := range t.Data {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			buf.Write(b[:])
		}
	}
	sum := sha256.Sum256(buf.Bytes())
	fmt.Fprintf(buf, "sha256 %s\n", hex.EncodeToString(sum[:]))
	return nil
}

// ReadModel reads a model written by WriteModel, checking the format
// version (ErrVersion), completeness (ErrTruncated) and checksum and
// structure (ErrCorrupt).
func ReadModel(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return decodeModel(data)
}

func decodeModel(data []byte) (*Model, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: %w: empty file", ErrTruncated, ErrCorrupt)
	}
	nl := bytes.IndexByte(data, '\n')
	first := data
	if nl >= 0 {
		first = data[:nl]
	}
	magic, ver, ok := strings.Cut(string(first), " ")
	if !strings.HasPrefix(FormatName, magic) || magic == "" {
		return nil, fmt.Errorf("%w: not a %s file (starts with %q)", ErrCorrupt, FormatName, clip(first))
	}
	if nl < 0 || magic != FormatName || !ok {
		return nil, fmt.Errorf("%w: %w: file ends inside the first line", ErrTruncated, ErrCorrupt)
	}
	v, err := strconv.Atoi(ver)
	if err != nil {
		return nil, fmt.Errorf("%w: bad format version %q", ErrCorrupt, clip([]byte(ver)))
	}
	if v != FormatVersion {
		return nil, fmt.Errorf("%w: file has format version %d; this tsf reads version %d", ErrVersion, v, FormatVersion)
	}
	// Trailer: "sha256 " + 64 hex + "\n".
	const tl = len("sha256 ") + 64 + 1
	if len(data) < nl+1+tl || !bytes.HasSuffix(data, []byte("\n")) || !bytes.HasPrefix(data[len(data)-tl:], []byte("sha256 ")) {
		return nil, fmt.Errorf("%w: %w: no checksum line at the end (%d bytes)", ErrTruncated, ErrCorrupt, len(data))
	}
	body := data[:len(data)-tl]
	want, err := hex.DecodeString(string(data[len(data)-tl+7 : len(data)-1]))
	if err != nil {
		return nil, fmt.Errorf("%w: malformed checksum line", ErrCorrupt)
	}
	got := sha256.Sum256(body)
	if !bytes.Equal(got[:], want) {
		return nil, fmt.Errorf("%w: checksum mismatch (file says %x, content hashes to %x)", ErrCorrupt, want[:6], got[:6])
	}
	rest := body[nl+1:]
	hl := bytes.IndexByte(rest, '\n')
	if hl < 0 {
		return nil, fmt.Errorf("%w: no header line", ErrCorrupt)
	}
	var h header
	dec := json.NewDecoder(bytes.NewReader(rest[:hl]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	if h.Format != FormatName || h.Version != FormatVersion {
		return nil, fmt.Errorf("%w: header says %s %d", ErrCorrupt, h.Format, h.Version)
	}
	payload := rest[hl+1:]
	if len(payload) != h.Payload {
		return nil, fmt.Errorf("%w: payload has %d bytes; header says %d", ErrCorrupt, len(payload), h.Payload)
	}
	off := 0
	for i := range h.Tensors {
		t := &h.Tensors[i]
		n := 1
		for _, d := range t.Shape {
			if d < 0 {
				return nil, fmt.Errorf("%w: tensor %q has shape %v", ErrCorrupt, t.Name, t.Shape)
			}
			n *= d
		}
		if off+8*n > len(payload) {
			return nil, fmt.Errorf("%w: tensor %q overruns the payload", ErrCorrupt, t.Name)
		}
		t.Data = make([]float64, n)
		for j := range t.Data {
			t.Data[j] = math.Float64frombits(binary.LittleEndian.Uint64(payload[off:]))
			off += 8
		}
	}
	if off != len(payload) {
		return nil, fmt.Errorf("%w: %d payload bytes belong to no tensor", ErrCorrupt, len(payload)-off)
	}
	return &Model{Kind: h.Kind, Config: h.Config, Scaler: h.Scaler, Tensors: h.Tensors, Summary: h.Summary}, nil
}

func clip(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "..."
	}
	return string(b)
}

// WriteModelFile writes m to path atomically: to a temporary file in the
// same directory, synced, then renamed over path.
func WriteModelFile(path string, m *Model) (err error) {
	var buf bytes.Buffer
	if err := encodeModel(&buf, m); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// ReadModelFile reads the model file at path; errors name the file.
func ReadModelFile(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	m, err := decodeModel(data)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return m, nil
}

// Save writes the fitted model f to path (see WriteModel for the format).
func Save(path string, f Persistent) error {
	m, err := f.MarshalModel()
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return WriteModelFile(path, m)
}

// Load reads the model at path and rebuilds it with the Constructor
// registered under its kind; a kind nobody registered gives ErrKind.
func Load(path string) (Forecaster, error) {
	m, err := ReadModelFile(path)
	if err != nil {
		return nil, err
	}
	f, err := FromModel(m)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return f, nil
}

// FromModel rebuilds a model from a model file's content (what ReadModel
// returns, or a MarshalModel in memory) with the Constructor registered
// under its kind; a kind nobody registered gives ErrKind.
func FromModel(m *Model) (Forecaster, error) {
	registry.RLock()
	c, ok := registry.m[m.Kind]
	registry.RUnlock()
	if !ok {
		if pkg, known := families[m.Kind]; known {
			return nil, fmt.Errorf("%w: no model of kind %q is registered; package %s registers it: import it, or %s for every model",
				ErrKind, m.Kind, pkg, AllPackage)
		}
		return nil, fmt.Errorf("%w: no model of kind %q is registered (known: %s)", ErrKind, m.Kind, strings.Join(Names(), ", "))
	}
	f, err := c(Options{})
	if err != nil {
		return nil, err
	}
	p, ok := f.(Persistent)
	if !ok {
		return nil, fmt.Errorf("%w: %q models cannot be loaded", ErrKind, m.Kind)
	}
	if err := p.UnmarshalModel(m); err != nil {
		return nil, err
	}
	return p, nil
}

// LoadInto reads the model at path into f, which must be of the file's
// kind (ErrKind otherwise).
func LoadInto(path string, f Persistent) error {
	m, err := ReadModelFile(path)
	if err != nil {
		return err
	}
	if err := f.UnmarshalModel(m); err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	return nil
}

// Summary returns the Summary describing the anchored series.
func (a Anchor) Summary() Summary {
	s := Summary{Series: a.Name, Points: a.N, Freq: a.Freq.String(), Layout: a.Layout}
	if a.HasT {
		s.First, s.Last = a.First, a.Last
	}
	return s
}

// AnchorFrom rebuilds an anchor from a Summary.
func AnchorFrom(s Summary) (Anchor, error) {
	f, err := ParseFreq(s.Freq)
	if err != nil {
		return Anchor{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return Anchor{Name: s.Series, N: s.Points, First: s.First, Last: s.Last, HasT: !s.Last.IsZero(), Freq: f, Layout: s.Layout}, nil
}

// ParseFreq parses what dataset.Freq.String writes; "" means an index.
func ParseFreq(s string) (dataset.Freq, error) {
	switch s {
	case "", "index":
		return dataset.Freq{Kind: dataset.Index}, nil
	case "hourly":
		return dataset.Freq{Kind: dataset.Hourly, Step: time.Hour}, nil
	case "daily":
		return dataset.Freq{Kind: dataset.Daily, Step: 24 * time.Hour}, nil
	case "weekly":
		return dataset.Freq{Kind: dataset.Weekly, Step: 7 * 24 * time.Hour}, nil
	case "monthly":
		return dataset.Freq{Kind: dataset.Monthly}, nil
	case "quarterly":
		return dataset.Freq{Kind: dataset.Quarterly}, nil
	case "annual":
		return dataset.Freq{Kind: dataset.Annual}, nil
	}
	if d, ok := strings.CutPrefix(s, "fixed("); ok && strings.HasSuffix(d, ")") {
		step, err := time.ParseDuration(strings.TrimSuffix(d, ")"))
		if err == nil && step > 0 {
			return dataset.Freq{Kind: dataset.Fixed, Step: step}, nil
		}
	}
	return dataset.Freq{}, fmt.Errorf("unknown frequency %q", s)
}
