package longdep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/tsf-go/tsf/dataset"
)

// tiny is a budget small enough for unit tests.
func tiny(task Task, lengths []int, mods ...string) Config {
	return Config{
		Task: task, Lengths: lengths, Models: mods, Seeds: 1, Seed: 1,
		Steps: 600, Batch: 32, Hidden: 16, LR: 1e-2, TestSize: 256, Workers: 1,
		Chrono: -1, // forget bias 1: the thresholds below were measured so
	}
}

func TestRunAddingLSTMLearns(t *testing.T) {
	// Adding problem with T = 20: after 600 steps the LSTM is far below the
	// 1/6 baseline and the vanilla RNN of the same size is not (measured:
	// see the thresholds).
	cfg := tiny(Adding, []int{20}, "rnn", "lstm")
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Model != "rnn" || res[1].Model != "lstm" {
		t.Fatalf("Run returned %+v; want rnn then lstm", res)
	}
	rnn, lstm := res[0], res[1]
	if lstm.Baseline != dataset.AddingConstantMSE {
		t.Errorf("baseline = %g; want 1/6", lstm.Baseline)
	}
	if lstm.MSEMean > 0.02 {
		t.Errorf("LSTM test MSE on adding T=20 = %g; want < 0.02 (baseline 1/6)", lstm.MSEMean)
	}
	if lstm.StepsTo == nil {
		t.Errorf("LSTM never reached 0.01 in training; curve %v", lstm.SeedStepsTo)
	}
	if rnn.MSEMean < 4*lstm.MSEMean {
		t.Errorf("RNN test MSE %g is not 4× the LSTM's %g", rnn.MSEMean, lstm.MSEMean)
	}
}

func TestEchoLSTMRemembersRNNForgets(t *testing.T) {
	// The echo task's crossover with a unit-test budget (hidden 16, batch
	// 32, 3000 steps, seed 1). Measured, as fractions of the lag-free
	// baseline: lag 5 RNN 0.29, LSTM 0.08, MLP 0.11 (all learn); lag 30 RNN
	// 1.00 (nothing), LSTM 0.080, MLP 0.091.
	if testing.Short() {
		t.Skip("trains 6 networks for 3000 steps each (about 10 s)")
	}
	cfg := tiny(Echo, []int{5, 30}, "rnn", "lstm", "mlp")
	cfg.Steps, cfg.TestSize, cfg.Chrono = 3000, 4000, 100
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ratio := map[string]float64{}
	for _, r := range res {
		if r.Baseline <= 0 || r.OracleMSE <= 0 || r.LagFreeMSE <= r.OracleMSE {
			t.Fatalf("%s L=%d: baseline %g oracle %g lag-free %g", r.Model, r.Length, r.Baseline, r.OracleMSE, r.LagFreeMSE)
		}
		ratio[fmt.Sprint(r.Model, r.Length)] = r.MSEMean / r.Baseline
	}
	for _, m := range []string{"rnn", "lstm", "mlp"} {
		if ratio[m+"5"] > 0.45 {
			t.Errorf("lag 5: %s excess MSE %.3f× the baseline; want < 0.45 (every model learns a short lag)", m, ratio[m+"5"])
		}
	}
	if ratio["rnn30"] < 0.9 {
		t.Errorf("lag 30: RNN excess MSE %.3f× the baseline; want > 0.9 (measured 1.00)", ratio["rnn30"])
	}
	if ratio["lstm30"] > 0.25 || ratio["mlp30"] > 0.25 {
		t.Errorf("lag 30: LSTM %.3f×, MLP %.3f× the baseline; want both < 0.25 (measured 0.080, 0.091)", ratio["lstm30"], ratio["mlp30"])
	}
}

func TestTBPTTNeedsHorizonBeyondLag(t *testing.T) {
	// Echo at lag 8 (spike rate 0.1, windows of 8 steps): with the gradient
	// cut 4 steps back the RNN cannot learn the echo (excess MSE stays at
	// the lag-free baseline); with 12 steps (full BPTT) it can. Measured
	// with this seed: 1.005 and 0.299 times the baseline (the LSTM 0.82 and
	// 0.15).
	cfg := tiny(TBPTT, []int{4, 12}, "rnn")
	cfg.Lag, cfg.Rate, cfg.TestSize = 8, 0.1, 2000
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	short, long := res[0], res[1]
	if short.Length != 4 || long.Length != 12 || short.Lag != 8 {
		t.Fatalf("results %+v; want k2 4 then 12 at lag 8", res)
	}
	if short.MSEMean < 0.9*short.Baseline {
		t.Errorf("k2=4 < lag 8: excess MSE %g; want ≥ 0.9× the lag-free baseline %g (cannot learn)", short.MSEMean, short.Baseline)
	}
	if long.MSEMean > 0.8*long.Baseline {
		t.Errorf("k2=12 > lag 8: excess MSE %g; want ≤ 0.8× the baseline %g", long.MSEMean, long.Baseline)
	}
}

func TestGradientFlowRNNDecaysLSTMLess(t *testing.T) {
	// At initialisation the RNN's ‖∂L/∂h_{T−k}‖ falls by many orders of
	// magnitude over 50 steps; the LSTM's (forget bias 1) falls far less.
	fl, err := GradientFlow(context.Background(), FlowConfig{Config: Config{Steps: -1, Seed: 1, Chrono: -1}, Length: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(fl) != 2 || fl[0].Model != "rnn" || fl[1].Model != "lstm" {
		t.Fatalf("GradientFlow returned %d flows; want rnn and lstm", len(fl))
	}
	rnn, lstm := Decay(fl[0].Init), Decay(fl[1].Init)
	if len(fl[0].Init) != 50 || fl[0].Trained != nil {
		t.Errorf("rnn flow has %d init values and trained %v; want 50 and nil", len(fl[0].Init), fl[0].Trained)
	}
	if !(rnn > 1e8) {
		t.Errorf("RNN gradient decay over 50 steps = %g; want > 1e8", rnn)
	}
	if !(lstm < rnn/1e4) {
		t.Errorf("LSTM gradient decay %g; want 1e4 times less than the RNN's %g", lstm, rnn)
	}
	for k := 1; k < 10; k++ {
		if fl[0].Init[k] >= fl[0].Init[k-1] {
			t.Errorf("RNN norm at k=%d is %g ≥ %g at k=%d; want decreasing", k, fl[0].Init[k], fl[0].Init[k-1], k-1)
		}
	}
}

func TestGradientFlowTrains(t *testing.T) {
	fl, err := GradientFlow(context.Background(), FlowConfig{Config: Config{Models: []string{"lstm"}, Steps: 20, Batch: 8, Hidden: 8}, Length: 10})
	if err != nil {
		t.Fatal(err)
	}
	f := fl[0]
	if len(f.Trained) != 10 || f.Steps != 20 {
		t.Fatalf("trained flow %v after %d steps; want 10 values after 20 steps", f.Trained, f.Steps)
	}
	if reflect.DeepEqual(f.Init, f.Trained) {
		t.Errorf("gradient flow unchanged by training: %v", f.Init)
	}
}

func TestRunSameForAnyWorkers(t *testing.T) {
	cfg := tiny(Echo, []int{3, 5}, "rnn", "gru")
	cfg.Steps, cfg.TestSize, cfg.Seeds, cfg.Hidden = 30, 64, 2, 8
	one, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Workers = 3
	three, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range one {
		one[i].Seconds, three[i].Seconds = 0, 0
	}
	if !reflect.DeepEqual(one, three) {
		t.Errorf("results differ between 1 and 3 workers:\n%+v\n%+v", one, three)
	}
	if len(one) != 4 || one[0].Length != 3 || one[0].Model != "rnn" || one[3].Length != 5 || one[3].Model != "gru" {
		t.Errorf("cells out of order: %+v", one)
	}
	for _, r := range one {
		if len(r.MSE) != 2 || r.MSE[0] == r.MSE[1] {
			t.Errorf("%s L=%d: per-seed MSE %v; want 2 different values", r.Model, r.Length, r.MSE)
		}
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, tiny(Adding, []int{10}, "lstm"))
	if !errors.Is(err, context.Canceled) || len(res) != 0 {
		t.Errorf("Run(cancelled) = %v, %v; want no results and context.Canceled", res, err)
	}
}

func TestRunBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"task", Config{Task: "sum"}, `unknown task "sum"`},
		{"model", Config{Models: []string{"tcn"}}, `unknown model "tcn"`},
		{"mlp tbptt", Config{Task: TBPTT, Models: []string{"mlp"}}, "mlp applies to the adding and echo tasks"},
		{"negative echo window", Config{Task: Echo, EchoWindow: -1}, "echo window -1"},
		{"infinite gain", Config{Task: Echo, Gain: math.Inf(1)}, "echo gain +Inf"},
		{"length", Config{Lengths: []int{1}}, "length 1 too short"},
		{"lag", Config{Task: Echo, Lengths: []int{0}}, "length 0 must be at least 1"},
		{"seeds", Config{Seeds: -1}, "seeds -1"},
		{"steps", Config{Steps: -5}, "steps -5"},
		{"lr", Config{LR: math.NaN()}, "learning rate NaN"},
		{"schedule", Config{Schedule: "step"}, `unknown schedule "step"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run(%+v) error = %v; want one containing %q", tc.cfg, err, tc.want)
			}
		})
	}
	if _, err := GradientFlow(context.Background(), FlowConfig{Config: Config{Models: []string{"mlp"}}}); err == nil {
		t.Error("GradientFlow(mlp) = nil error; want one")
	}
}

func TestEchoSeriesOracle(t *testing.T) {
	// The echo the task scores is the one the series carries: the
	// oracle's and the zero predictor's MSEs match SpikeEcho's stats.
	const n, lag = 200000, 7
	cfg := Config{Rate: 0.02, Gain: 0.5}
	s := newEchoSeries(&cfg, n, lag, 3, 4)
	var oracle, zero float64
	for j := range s.x {
		d := s.x[j] - s.echo(j)
		oracle += d * d
		zero += s.x[j] * s.x[j]
	}
	oracle /= n
	zero /= n
	_, st := dataset.SpikeEcho(dataset.SpikeEchoConfig{N: 10, Lag: lag, Gain: 0.5}, rand.New(rand.NewPCG(1, 1)))
	if math.Abs(oracle-st.OracleMSE) > 0.05*st.OracleMSE || math.Abs(zero-st.LagFreeMSE) > 0.05*st.LagFreeMSE {
		t.Errorf("oracle MSE %g, zero MSE %g; want near %g and %g", oracle, zero, st.OracleMSE, st.LagFreeMSE)
	}
}

func TestScheduleWarmupAndCosine(t *testing.T) {
	cfg := Config{LR: 1, Schedule: Cosine}
	const n = 100
	if got := lrAt(&cfg, 0, n); got != 0.2 {
		t.Errorf("lrAt(0) = %g; want 0.2 (first of 5 warm-up steps)", got)
	}
	if got := lrAt(&cfg, 5, n); got != 1 {
		t.Errorf("lrAt(5) = %g; want 1 (peak after warm-up)", got)
	}
	if got := lrAt(&cfg, n, n); got != 0.01 {
		t.Errorf("lrAt(end) = %g; want 0.01", got)
	}
	cfg.Schedule = Constant
	if got := lrAt(&cfg, 50, n); got != 1 {
		t.Errorf("constant lrAt(50) = %g; want 1", got)
	}
}

func TestEchoEnrich(t *testing.T) {
	// With Enrich 0.5 about half of the training windows have an echo due
	// after them (plus the spike rate's share of the uniform half); without
	// it, about Rate (0.05). The test windows never change.
	share := func(enrich float64) float64 {
		cfg := tiny(Echo, []int{40})
		cfg.Enrich = enrich
		cfg.fill()
		task := newEchoTask(&cfg, 40, 7)
		due, n := 0, 0
		for range 50 {
			for b := 0; b < cfg.Batch; b++ {
				o := task.pick()
				if task.series.echo(o+task.W) != 0 {
					due++
				}
				n++
			}
		}
		return float64(due) / float64(n)
	}
	if got := share(0); got < 0.02 || got > 0.09 {
		t.Errorf("share of echo windows without enrichment = %.3f; want about 0.05", got)
	}
	if got := share(0.5); got < 0.45 || got > 0.6 {
		t.Errorf("share of echo windows with Enrich 0.5 = %.3f; want about 0.52", got)
	}
	plain, rich := tiny(Echo, []int{40}), tiny(Echo, []int{40})
	rich.Enrich = 0.5
	plain.fill()
	rich.fill()
	a, errA := newTestSet(&plain, 40)
	b, errB := newTestSet(&rich, 40)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("the test windows depend on Enrich")
	}
	bad := tiny(Adding, []int{20}, "lstm")
	bad.Enrich = 0.5
	if _, err := Run(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "enrichment") {
		t.Errorf("Run(adding, Enrich 0.5) = %v; want an enrichment error", err)
	}
}
