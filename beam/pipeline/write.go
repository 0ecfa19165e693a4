package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
)

// ShardName returns the name of shard i of n of output prefix: as Beam's
// file sinks name them, prefix-00001-of-00004.csv.
func ShardName(prefix string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.csv", prefix, i, n)
}

// ErrorsName returns the name of the errors file of output prefix.
func ErrorsName(prefix string) string { return prefix + "-errors.csv" }

// CountsName returns the name of the file that holds a run's Counts.
func CountsName(prefix string) string { return prefix + "-counts.csv" }

// AggregateName returns the name of a backtest's aggregate table.
func AggregateName(prefix string) string { return prefix + "-aggregate.csv" }

// writeFn writes each shard's blocks to one CSV file: Header, then the
// blocks in the order of their series' first rows.
type writeFn struct {
	// Path is the file of a single-file output; otherwise shard i goes to
	// ShardName(Prefix, i, Shards).
	Path   string
	Prefix string
	Shards int
	Header string
	// Stage, if set, makes every file go to its staged name (see
	// stagedName), for Run to rename once the run has succeeded.
	Stage string
}

// name is the final name of shard's file.
func (f *writeFn) name(shard int) string {
	if f.Path != "" {
		return f.Path
	}
	return ShardName(f.Prefix, shard, f.Shards)
}

func (f *writeFn) ProcessElement(ctx context.Context, shard int, blocks func(*block) bool) (err error) {
	var all []block
	var b block
	for blocks(&b) {
		if len(b.Text) > 0 {
			all = append(all, b)
		}
	}
	slices.SortStableFunc(all, func(x, y block) int { return x.key().cmp(y.key()) })
	path := f.name(shard)
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	wc, err := fs.OpenWrite(ctx, stagedName(path, f.Stage))
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if cerr := wc.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("cannot write %s: %w", path, cerr)
		}
	}()
	w := bufio.NewWriterSize(wc, 1<<16)
	w.WriteString(f.Header)
	for _, b := range all {
		w.Write(b.Text)
	}
	return w.Flush()
}

// shardMarkers emits an empty block for every shard 0..N-1, so that every
// shard's file is written even when no series falls in it.
type shardMarkers struct{ N int }

func (f *shardMarkers) ProcessElement(_ []byte, emit func(int, block)) {
	for i := range f.N {
		emit(i, block{})
	}
}

// writeShards writes col, blocks keyed by shard, to f's files.
func writeShards(s beam.Scope, f *writeFn, col beam.PCollection) {
	s = s.Scope("write " + strings.TrimSuffix(f.name(0), ".csv"))
	n := f.Shards
	if f.Path != "" {
		n = 1
	}
	markers := beam.ParDo(s, &shardMarkers{N: n}, beam.Impulse(s))
	grouped := beam.GroupByKey(s, beam.Flatten(s, col, markers))
	beam.ParDo0(s, f, grouped)
}
