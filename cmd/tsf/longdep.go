package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tsf-go/tsf/forecast/longdep"
	"github.com/tsf-go/tsf/plots"
	"github.com/urfave/cli/v2"
)

// quickStudy is the --quick budget: a smoke run of every task in well under
// two minutes on two cores.
var quickStudy = map[longdep.Task][]int{
	longdep.Adding: {20, 50},
	longdep.Echo:   {5, 20},
	longdep.TBPTT:  {5, 15}, // around the default lag 10
}

func newLongdepCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "longdep",
		Usage:     "measure how far back RNN, LSTM and GRU can learn (adding problem, spike echo, TBPTT)",
		UsageText: "tsf longdep [--task adding,echo,tbptt] [--lengths N,...] [--models rnn,lstm,gru] [flags]",
		Description: `The long-dependency study. Every cell of the grid task × length × model is
trained --seeds times with the same budget (steps, batch, hidden size, Adam
with a learning-rate schedule, global-norm clipping, initialisation) and
tested on --test-size fresh sequences from a separate seeded source.

Tasks (--lengths means, per task):
   adding  the adding problem of length T; baseline MSE 1/6 (always predict 1)
   echo    one-step forecasts of a spike-echo series with lag L (each echo
           --gain times its spike) from windows of L steps, so the echo due
           next comes from the window's first step; the error is the excess
           MSE over the oracle that knows the echo, and the baseline that of
           the best lag-free predictor (predict 0)
   tbptt   the echo task at lag --lag, trained with the gradient truncated
           k2 steps back; --lengths are the k2 values

The table shows the test MSE (mean ± sample sd over seeds), the baseline,
the steps after which the running training error of every seed was below
0.01 ("never" if some seed never got there; null in --json, and -1 per
seed in "steps_to_0.01_seeds") and the wall seconds per run.
With several tasks, --plot FILE.png writes one picture per task,
FILE-adding.png and so on. Runs go to a pool of --workers goroutines;
results do not depend on it. Ctrl-C stops and prints the finished cells.

Examples:
   tsf longdep                                   # the whole default study
   tsf longdep --quick                           # a 2-minute smoke run
   tsf longdep --task adding --lengths 50,100,200 --models rnn,lstm --plot adding.png
   tsf longdep --task echo --lengths 5,60,100 --models rnn,lstm,gru,mlp --json > echo.json
   tsf longdep --task tbptt --lag 10 --lengths 5,15 --models lstm`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "task", Value: "adding,echo,tbptt", Usage: "tasks, comma-separated: `adding,echo,tbptt`"},
			&cli.StringFlag{Name: "lengths", Usage: "`LIST` of lengths T (adding), lags L (echo) or truncations k2 (tbptt), comma-separated; default per task"},
			&cli.StringFlag{Name: "models", Usage: "`MODELS`, comma-separated: rnn, lstm, gru, mlp (adding and echo); default rnn,lstm"},
			&cli.IntFlag{Name: "seeds", Value: longdep.DefaultSeeds, Usage: "`N` seeds per cell"},
			&cli.Uint64Flag{Name: "seed", Usage: "first `SEED`"},
			&cli.IntFlag{Name: "steps", Usage: "optimiser `STEPS` per run (default 2000 adding and tbptt, 3000 echo)"},
			&cli.IntFlag{Name: "batch", Usage: "`SEQUENCES` per step (default 64 adding and tbptt, 128 echo)"},
			&cli.IntFlag{Name: "hidden", Usage: "hidden `UNITS` (default 64 adding, 32 echo and tbptt)"},
			&cli.Float64Flag{Name: "lr", Usage: "peak Adam learning `RATE` (default 3e-3 adding, 1e-2 echo and tbptt)"},
			&cli.StringFlag{Name: "schedule", Value: string(longdep.Cosine), Usage: "learning-rate `SCHEDULE`: cosine (5% warm-up, then to lr/100) or constant"},
			&cli.Float64Flag{Name: "clip", Value: longdep.DefaultClip, Usage: "global gradient-norm clipping `NORM`; 0 for none"},
			&cli.Float64Flag{Name: "forget-bias", Value: 1, Usage: "LSTM forget-gate `BIAS` at initialisation"},
			&cli.BoolFlag{Name: "orthogonal", Usage: "orthogonal recurrent weights at initialisation"},
			&cli.IntFlag{Name: "chrono", Usage: "chrono initialisation of the LSTM gate biases, time scales up to `N` steps (default 400 for adding, 200 for echo and tbptt); 0 turns it off"},
			&cli.BoolFlag{Name: "torch-init", Usage: "PyTorch's default initialisation (forget bias 0)"},
			&cli.IntFlag{Name: "lag", Value: longdep.DefaultLag, Usage: "echo `LAG` of the tbptt task"},
			&cli.IntFlag{Name: "test-size", Usage: "`N` fresh test sequences (adding) or windows (echo, tbptt) per length (default 1000 adding, 10000 echo and tbptt)"},
			&cli.Float64Flag{Name: "rate", Value: longdep.DefaultRate, Usage: "spike `PROBABILITY` per step of the echo series"},
			&cli.Float64Flag{Name: "enrich", Usage: "draw this `SHARE` of the echo training windows from those with an echo due after them (default 0: the spike rate); test windows stay uniform"},
			&cli.IntFlag{Name: "window", Usage: "echo window length in `STEPS` when longer than the lag (default: the lag, so the echo's source is the window's first step)"},
			&cli.Float64Flag{Name: "gain", Value: longdep.DefaultGain, Usage: "echo `GAIN` of the echo series: an echo is gain × its spike"},
			&cli.IntFlag{Name: "workers", Usage: "`N` runs at once (default GOMAXPROCS)"},
			&cli.BoolFlag{Name: "quick", Usage: "small budget (1 seed, 2 lengths per task, rnn and lstm): under 2 minutes"},
			&cli.BoolFlag{Name: "json", Usage: "write the results as JSON instead of a table"},
			&cli.StringFlag{Name: "plot", Usage: "write error-vs-length plots to `FILE` (.png, .svg or .pdf)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress messages"},
		},
		Action: func(c *cli.Context) error { return runLongdep(c, e) },
	}
}

func runLongdep(c *cli.Context, e *env) error {
	if c.Args().Present() {
		return usagef("run 'tsf longdep --help' for the flags and examples", "unexpected argument %q", c.Args().First())
	}
	tasks, err := parseTasks(c.String("task"))
	if err != nil {
		return err
	}
	plot, json, quick := c.String("plot"), c.Bool("json"), c.Bool("quick")
	if err := checkPlotPath(plot, "longdep"); err != nil {
		return err
	}
	lengths, err := parseInts(c.String("lengths"), "--lengths")
	if err != nil {
		return err
	}
	if lengths != nil && len(tasks) > 1 {
		return usagef("give one --task with --lengths, e.g. --task adding --lengths 50,100", "--lengths needs a single --task (got %d tasks): lengths mean different things per task", len(tasks))
	}
	mods, err := parseModels(c.String("models"), longdep.Models)
	if err != nil {
		return err
	}
	base := longdep.Config{
		Models:     mods,
		Seeds:      c.Int("seeds"),
		Seed:       c.Uint64("seed"),
		Steps:      c.Int("steps"),
		Batch:      c.Int("batch"),
		Hidden:     c.Int("hidden"),
		LR:         c.Float64("lr"),
		Schedule:   longdep.Schedule(c.String("schedule")),
		Clip:       c.Float64("clip"),
		ForgetBias: c.Float64("forget-bias"),
		Orthogonal: c.Bool("orthogonal"),
		TorchInit:  c.Bool("torch-init"),
		Lag:        c.Int("lag"),
		TestSize:   c.Int("test-size"),
		Rate:       c.Float64("rate"),
		Gain:       c.Float64("gain"),
		EchoWindow: c.Int("window"),
		Enrich:     c.Float64("enrich"),
		Workers:    c.Int("workers"),
	}
	if err := checkTrainFlags(c, &base); err != nil {
		return err
	}
	if base.Lag < 1 {
		return usagef("the echo lag is at least 1", "--lag %d must be at least 1", base.Lag)
	}
	if c.IsSet("test-size") && base.TestSize < 1 {
		return usagef("e.g. --test-size 1000", "--test-size %d must be at least 1", base.TestSize)
	}
	if r := base.Rate; !(r > 0 && r <= 1) {
		return usagef("e.g. --rate 0.05", "--rate %g must be in (0, 1]", r)
	}
	if g := base.Gain; g == 0 || math.IsNaN(g) || math.IsInf(g, 0) {
		return usagef("e.g. --gain 2", "--gain %g must be finite and not 0", g)
	}
	if e := base.Enrich; !(e >= 0 && e < 1) {
		return usagef("e.g. --enrich 0.5", "--enrich %g must be in [0, 1)", e)
	}
	if base.Enrich > 0 && slices.Contains(tasks, longdep.Adding) {
		return usagef("use --task echo or --task tbptt with --enrich", "--enrich applies to the echo and tbptt tasks, not adding")
	}
	if base.Seeds < 1 {
		return usagef("e.g. --seeds 3", "--seeds %d must be at least 1", base.Seeds)
	}
	for _, m := range mods {
		if m == "mlp" && slices.Contains(tasks, longdep.TBPTT) {
			return usagef("use --task adding or --task echo with mlp", "model mlp applies to the adding and echo tasks only (tbptt truncates a gradient through time, which an MLP has not)")
		}
	}
	quiet := c.Bool("quiet")
	var results []longdep.Result
	start := time.Now()
	for _, task := range tasks {
		cfg := base
		cfg.Task = task
		cfg.Lengths = lengths
		if quick {
			if cfg.Lengths == nil {
				cfg.Lengths = quickStudy[task]
			}
			if !c.IsSet("seeds") {
				cfg.Seeds = 1
			}
			if !c.IsSet("steps") {
				cfg.Steps = 400
			}
			if cfg.Models == nil {
				cfg.Models = []string{"rnn", "lstm"}
			}
			if !c.IsSet("test-size") {
				cfg.TestSize = 256
			}
		}
		if !quiet {
			d := cfg
			def := longdep.DefaultConfig(task)
			fillZero(&d, def)
			fmt.Fprintf(e.stderr, "longdep: %s: lengths %v, models %s, %d seeds, %d steps, batch %d, hidden %d, Adam lr %g (%s), clip %g\n",
				task, d.Lengths, strings.Join(d.Models, ","), d.Seeds, d.Steps, d.Batch, d.Hidden, d.LR, d.Schedule, d.Clip)
			cfg.Progress = func(r longdep.RunResult, done, total int) {
				steps := "never below 0.01"
				if r.StepsTo >= 0 {
					steps = fmt.Sprintf("below 0.01 after %d steps", r.StepsTo)
				}
				fmt.Fprintf(e.stderr, "longdep: [%d/%d] %s %s=%d %s seed %d: test MSE %.4g, %s (%.0f s)\n",
					done, total, r.Task, lengthName(r.Task), r.Length, r.Model, r.Seed, r.MSE, steps, r.Seconds)
			}
		}
		res, err := longdep.Run(c.Context, cfg)
		results = append(results, res...)
		if err != nil {
			// Print what finished, then report the error.
			if werr := writeLongdep(e.stdout, results, json); werr != nil {
				return werr
			}
			if c.Context.Err() != nil {
				return fmt.Errorf("longdep %s: %w", task, c.Context.Err())
			}
			return withHint(fmt.Errorf("longdep %s: %w", task, err), "check the flags with 'tsf longdep --help'")
		}
		if p := plot; p != "" && len(res) > 0 {
			path := p
			if len(tasks) > 1 {
				ext := filepath.Ext(p)
				path = strings.TrimSuffix(p, ext) + "-" + string(task) + ext
			}
			if err := plotLongdep(res, path); err != nil {
				return withHint(err, "the plot takes .png, .svg or .pdf in a writable directory")
			}
			if !quiet {
				fmt.Fprintf(e.stderr, "longdep: wrote %s\n", path)
			}
		}
	}
	if !quiet {
		fmt.Fprintf(e.stderr, "longdep: done in %s\n", time.Since(start).Round(time.Second))
	}
	return writeLongdep(e.stdout, results, json)
}

// fillZero copies def's value into every zero field of d that the output
// line shows.
func fillZero(d *longdep.Config, def longdep.Config) {
	if d.Lengths == nil {
		d.Lengths = def.Lengths
	}
	if d.Models == nil {
		d.Models = def.Models
	}
	if d.Steps == 0 {
		d.Steps = def.Steps
	}
	if d.Batch == 0 {
		d.Batch = def.Batch
	}
	if d.Hidden == 0 {
		d.Hidden = def.Hidden
	}
	if d.LR == 0 {
		d.LR = def.LR
	}
}

// checkTrainFlags validates the training-budget flags shared by longdep
// and gradflow.
func checkTrainFlags(c *cli.Context, cfg *longdep.Config) error {
	switch {
	case c.IsSet("steps") && cfg.Steps < 1 && c.Command.Name == "longdep":
		return usagef("e.g. --steps 2000", "--steps %d must be at least 1", cfg.Steps)
	case c.IsSet("batch") && cfg.Batch < 1:
		return usagef("e.g. --batch 64", "--batch %d must be at least 1", cfg.Batch)
	case c.IsSet("hidden") && cfg.Hidden < 1:
		return usagef("e.g. --hidden 64", "--hidden %d must be at least 1", cfg.Hidden)
	case c.IsSet("lr") && !(cfg.LR > 0 && cfg.LR < 10):
		return usagef("e.g. --lr 3e-3", "--lr %g must be in (0, 10)", cfg.LR)
	case cfg.Clip < 0:
		return usagef("--clip 0 turns clipping off", "--clip %g must not be negative", cfg.Clip)
	case c.IsSet("workers") && cfg.Workers < 1:
		return usagef("e.g. --workers 2", "--workers %d must be at least 1", cfg.Workers)
	}
	switch cfg.Schedule {
	case longdep.Cosine, longdep.Constant:
	default:
		return usagef("use --schedule cosine or --schedule constant", "unknown --schedule %q", cfg.Schedule)
	}
	if cfg.Clip == 0 {
		cfg.Clip = -1 // the library's "no clipping"
	}
	if c.IsSet("chrono") {
		cfg.Chrono = c.Int("chrono")
		if cfg.Chrono == 0 {
			cfg.Chrono = -1 // the library's "off"
		}
	}
	switch fb := cfg.ForgetBias; {
	case math.IsNaN(fb) || math.IsInf(fb, 0):
		return usagef("e.g. --forget-bias 1", "--forget-bias %g is not a number", fb)
	case fb == 0:
		cfg.NoForgetBias = true
	}
	return nil
}

func parseTasks(s string) ([]longdep.Task, error) {
	var out []longdep.Task
	for _, f := range strings.Split(s, ",") {
		t, err := longdep.ParseTask(f)
		if err != nil {
			return nil, usagef("--task takes adding, echo or tbptt, comma-separated", "--task: %v", err)
		}
		out = append(out, t)
	}
	return out, nil
}

// parseModels splits a comma-separated model list and checks each name;
// "" gives nil (the default).
func parseModels(s string, known []string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		m := strings.ToLower(strings.TrimSpace(f))
		ok := false
		for _, k := range known {
			ok = ok || k == m
		}
		if !ok {
			return nil, usagef("--models takes "+strings.Join(known, ", ")+", comma-separated", "--models: unknown model %q", f)
		}
		out = append(out, m)
	}
	return out, nil
}

// parseInts splits a comma-separated list of positive integers; "" gives nil.
func parseInts(s, flag string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, usagef(flag+" takes positive integers, comma-separated, e.g. 50,100,200", "%s: bad value %q", flag, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// checkPlotPath rejects a --plot path with an unknown extension before any
// work is done.
func checkPlotPath(p, cmd string) error {
	if p == "" {
		return nil
	}
	switch strings.ToLower(filepath.Ext(p)) {
	case ".png", ".svg", ".pdf":
		return nil
	}
	return usagef("e.g. --plot "+cmd+".png", "--plot %q: unknown picture format (want .png, .svg or .pdf)", p)
}

func lengthName(t longdep.Task) string {
	switch t {
	case longdep.Echo:
		return "L"
	case longdep.TBPTT:
		return "k2"
	}
	return "T"
}

// writeLongdep writes the results as a table, one block per task, or as JSON.
func writeLongdep(w io.Writer, rs []longdep.Result, asJSON bool) error {
	if asJSON {
		if rs == nil {
			rs = []longdep.Result{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rs)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var last longdep.Task
	for _, r := range rs {
		if r.Task != last {
			if last != "" {
				fmt.Fprintln(tw)
			}
			last = r.Task
			switch r.Task {
			case longdep.Adding:
				fmt.Fprintln(tw, "task\tT\tmodel\ttest MSE (mean ± sd)\tper seed\tbaseline\tsteps to 0.01\ts/run")
			case longdep.Echo:
				fmt.Fprintln(tw, "task\tlag\tmodel\texcess MSE (mean ± sd)\tper seed\tbaseline\traw MSE\toracle\tlag-free\tsteps to 0.01\ts/run")
			case longdep.TBPTT:
				fmt.Fprintln(tw, "task\tk2\tlag\tmodel\texcess MSE (mean ± sd)\tper seed\tbaseline\traw MSE\tsteps to 0.01\ts/run")
			}
		}
		steps := "never"
		if r.StepsTo != nil {
			steps = strconv.Itoa(*r.StepsTo)
		}
		var per []string
		for _, m := range r.MSE {
			per = append(per, fmt.Sprintf("%.4f", m))
		}
		ms := fmt.Sprintf("%.4f ± %.4f", r.MSEMean, r.MSEStd)
		switch r.Task {
		case longdep.Adding:
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%.4f\t%s\t%.1f\n", r.Task, r.Length, r.Model, ms, strings.Join(per, " "), r.Baseline, steps, r.Seconds)
		case longdep.Echo:
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%.1f\n", r.Task, r.Length, r.Model, ms, strings.Join(per, " "), r.Baseline, r.RawMSEMean, r.OracleMSE, r.LagFreeMSE, steps, r.Seconds)
		case longdep.TBPTT:
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%.4f\t%.4f\t%s\t%.1f\n", r.Task, r.Length, r.Lag, r.Model, ms, strings.Join(per, " "), r.Baseline, r.RawMSEMean, steps, r.Seconds)
		}
	}
	return tw.Flush()
}

// plotLongdep draws one task's results: error against length per model.
func plotLongdep(rs []longdep.Result, path string) error {
	in := plots.LongDepInput{LogY: true}
	byModel := map[string]int{}
	var base float64
	for _, r := range rs {
		i, ok := byModel[r.Model]
		if !ok {
			i = len(in.Results)
			byModel[r.Model] = i
			in.Results = append(in.Results, plots.LagErrors{Model: r.Model})
		}
		le := &in.Results[i]
		le.Lags = append(le.Lags, float64(r.Length))
		le.Errors = append(le.Errors, append([]float64(nil), r.MSE...))
		base += r.Baseline / float64(len(rs))
	}
	in.Baseline = base
	switch rs[0].Task {
	case longdep.Adding:
		in.Title = "Adding problem: test MSE vs sequence length"
		in.XLabel = "sequence length T"
		in.Metric = "test MSE"
		in.LogX = true
	case longdep.Echo:
		in.Title = "Spike echo: error vs lag"
		in.XLabel = "lag L (steps)"
		in.Metric = "excess test MSE over the oracle"
		in.LogX = true
	case longdep.TBPTT:
		in.Title = fmt.Sprintf("Spike echo at lag %d: error vs gradient horizon", rs[0].Lag)
		in.XLabel = "truncation k2 (steps of BPTT)"
		in.Metric = "excess test MSE over the oracle"
	}
	p, err := plots.LongDependency(in)
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return plots.Save(p, path, 0, 0)
}
