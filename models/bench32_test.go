package models

import (
	"math/rand/v2"
	"testing"
)

// The training-step and inference benchmarks of bench_test.go in float32,
// for side-by-side runs:
//
//	go test -run '^$' -bench 'Step|Infer' ./models/

func benchStep32(b *testing.B, model string, input, hidden, seq, batch, horizon int) {
	tr, err := NewTrainerOf[float32](BenchConfig{Model: model, Input: input, Hidden: hidden, Seq: seq, Batch: batch, Horizon: horizon})
	if err != nil {
		b.Fatal(err)
	}
	tr.Step()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.Step()
	}
	b.ReportMetric(float64(batch)*float64(b.N)/b.Elapsed().Seconds(), "seq/s")
}

func BenchmarkStep32LSTMIn1H32S64B32(b *testing.B)    { benchStep32(b, "lstm", 1, 32, 64, 32, 1) }
func BenchmarkStep32LSTMIn1H64S128B64(b *testing.B)   { benchStep32(b, "lstm", 1, 64, 128, 64, 12) }
func BenchmarkStep32LSTMIn1H128S256B64(b *testing.B)  { benchStep32(b, "lstm", 1, 128, 256, 64, 24) }
func BenchmarkStep32LSTMIn1H256S128B128(b *testing.B) { benchStep32(b, "lstm", 1, 256, 128, 128, 1) }
func BenchmarkStep32LSTMIn8H64S96B32(b *testing.B)    { benchStep32(b, "lstm", 8, 64, 96, 32, 24) }
func BenchmarkStep32RNNIn1H32S64B32(b *testing.B)     { benchStep32(b, "rnn", 1, 32, 64, 32, 1) }
func BenchmarkStep32RNNIn1H64S128B64(b *testing.B)    { benchStep32(b, "rnn", 1, 64, 128, 64, 12) }
func BenchmarkStep32RNNIn1H256S128B128(b *testing.B)  { benchStep32(b, "rnn", 1, 256, 128, 128, 1) }
func BenchmarkStep32GRUIn1H64S128B64(b *testing.B)    { benchStep32(b, "gru", 1, 64, 128, 64, 12) }

func benchInfer32(b *testing.B, cell Cell, input, hidden, seq, horizon int) {
	const windows = 10000
	n, err := NewOf[float32](Config{Cell: cell, Input: input, Hidden: hidden, Output: horizon, TorchInit: true, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	x := to32(randSlice(rand.New(rand.NewPCG(2, 2)), seq*windows*input, 1))
	n.Predict(x, seq, windows)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n.Predict(x, seq, windows)
	}
	b.ReportMetric(windows*float64(b.N)/b.Elapsed().Seconds(), "windows/s")
}

func BenchmarkInfer32LSTMIn1H32S64(b *testing.B)  { benchInfer32(b, LSTM, 1, 32, 64, 1) }
func BenchmarkInfer32LSTMIn1H64S128(b *testing.B) { benchInfer32(b, LSTM, 1, 64, 128, 12) }
func BenchmarkInfer32LSTMIn8H64S96(b *testing.B)  { benchInfer32(b, LSTM, 8, 64, 96, 24) }
func BenchmarkInfer32RNNIn1H64S128(b *testing.B)  { benchInfer32(b, RNN, 1, 64, 128, 12) }
func BenchmarkInfer32RNNIn1H32S64(b *testing.B)   { benchInfer32(b, RNN, 1, 32, 64, 1) }
func BenchmarkInfer32RNNIn1H256S128(b *testing.B) { benchInfer32(b, RNN, 1, 256, 128, 1) }
