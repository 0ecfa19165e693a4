// Command m3 evaluates tsf's models on the M3 forecasting competition: it
// fits every requested model on each of the 3003 M3 histories, forecasts
// the competition's horizon (yearly 6, quarterly 8, monthly 18, other 8),
// scores the forecasts against the test values and prints, per group and
// over all series, sMAPE, MASE, the coverage of the 80 % and 95 %
// intervals, MSIS and the wall time, with the rows of the methods that
// entered the competition (m3_forecasts.csv) scored the same way beside
// them. The scorer is forecast/m3's, which reproduces the data README's
// reference table to every printed digit.
//
// The protocol, the same for every model and series (nothing is tuned per
// series): each local model is built with forecast.Options{Horizon: h,
// Season: m, Seed: -seed} (m = 12 monthly, 4 quarterly, 1 yearly and
// other), fitted on the series' history alone and asked for h steps; a
// "<name>-global" model is one network per group trained on all the
// group's histories, forecasting each series from its own history;
// "hybrid", tsf's default for a collection, is one such network per group
// combined with ets and theta, weighted and calibrated on every series' last
// h points (combine.Hybrid); a
// "combo:a+b+c" row is the step-by-step mean of the members' forecasts
// (the members are run and shown too). A group's figure is the plain mean
// over its series; "all" is the plain mean over every series run.
//
// Usage (from the repository root):
//
//	go run ./examples/m3 -data ../shared/data/m3
//	go run ./examples/m3 -models hybrid,theta -seed 2
//	go run ./examples/m3 -models naive2,theta,ets,combo:ets+theta -groups monthly -plot docs/img
//	go run ./examples/m3 -models lstm-global,rnn-global -per-series m3.csv
//	go run ./examples/m3 -models lstm-global -groups monthly -p lstm-global:epochs=5
//
// Without the data directory it says so and exits 0. Series a model could
// not forecast are named on stderr and the exit code is 1.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tsf-go/tsf/forecast/m3"
	"github.com/tsf-go/tsf/plots"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "m3: error:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var (
	errUsage  = errors.New("usage")
	errFailed = errors.New("some series could not be forecast (named above)")
)

// referenceMethods are the competitors of the data README's reference
// table, shown by default.
var referenceMethods = []string{"NAIVE2", "SINGLE", "DAMPEN", "COMB S-H-D", "B-J auto", "Auto-ANN", "ForecastPro", "THETA"}

// comboPrefix starts a combination spec: "combo:ets+theta".
const comboPrefix = "combo:"

// options are the parsed flags.
type options struct {
	data        string
	specs       []string // rows, in order
	run         []string // models to evaluate (specs and combo members), in order
	groups      []m3.Group
	competitors []string
	plotComps   []string
	workers     int
	seed        uint64
	intervals   bool
	perSeries   string
	plotDir     string
	params      map[string]map[string]string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("m3", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", filepath.Join("..", "shared", "data", "m3"), "directory holding m3_train.csv, m3_test.csv and m3_forecasts.csv")
	models := fs.String("models", "naive2,theta,ets", "comma-separated tsf models: any registered name (hybrid, the collection default, is one per group), <name>-global for one network per group, combo:a+b+... for the mean of members' forecasts")
	groups := fs.String("groups", "yearly,quarterly,monthly,other", "comma-separated groups to run")
	comps := fs.String("competitors", strings.Join(referenceMethods, ","), `comma-separated M3 methods shown beside tsf's rows ("all" for the 24, "none" for none)`)
	plotComps := fs.String("plot-competitors", "NAIVE2,THETA", "comma-separated M3 methods drawn beside tsf's models in the -plot pictures")
	workers := fs.Int("workers", 0, "series fitted at once (0: GOMAXPROCS); results do not depend on it")
	seed := fs.Uint64("seed", 1, "seed of every model")
	intervals := fs.Bool("intervals", false, "give every local model intervals as tsf forecast does (conformal around models without their own: 30 extra fits per series)")
	perSeries := fs.String("per-series", "", "write every series' metrics per method to this CSV file")
	plotDir := fs.String("plot", "", "write the distribution of per-series MASE per model, m3-<group>-mase.png, into this directory")
	params := map[string]map[string]string{}
	fs.Func("p", "model settings for experiments, MODEL:key=value,key=value (repeatable), e.g. lstm-global:epochs=5; the benchmark's rows use the defaults", func(v string) error {
		spec, kvs, ok := strings.Cut(v, ":")
		if !ok || spec == "" {
			return fmt.Errorf("%q is not MODEL:key=value,...", v)
		}
		if params[spec] == nil {
			params[spec] = map[string]string{}
		}
		for _, kv := range strings.Split(kvs, ",") {
			k, val, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return fmt.Errorf("%q is not key=value", kv)
			}
			params[spec][k] = val
		}
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	o := &options{data: *data, workers: *workers, seed: *seed, intervals: *intervals, perSeries: *perSeries, plotDir: *plotDir, params: params}
	if *workers < 0 {
		return nil, fmt.Errorf("%w: -workers %d; want at least 0", errUsage, *workers)
	}
	for _, g := range splitList(*groups) {
		gr, err := m3.ParseGroup(g)
		if err != nil || gr == m3.All {
			return nil, fmt.Errorf("%w: -groups: unknown group %q (want yearly, quarterly, monthly or other)", errUsage, g)
		}
		if !slices.Contains(o.groups, gr) {
			o.groups = append(o.groups, gr)
		}
	}
	if len(o.groups) == 0 {
		return nil, fmt.Errorf("%w: -groups is empty", errUsage)
	}
	// Keep the competition's group order whatever the flag's.
	slices.SortFunc(o.groups, func(a, b m3.Group) int { return slices.Index(m3.Groups, a) - slices.Index(m3.Groups, b) })
	for _, s := range splitList(*models) {
		if slices.Contains(o.specs, s) {
			continue
		}
		o.specs = append(o.specs, s)
		members := []string{s}
		if rest, ok := strings.CutPrefix(s, comboPrefix); ok {
			members = strings.Split(rest, "+")
			if len(members) < 2 || slices.Contains(members, "") {
				return nil, fmt.Errorf("%w: -models: %q: a combination needs at least two members, combo:a+b", errUsage, s)
			}
		}
		for _, m := range members {
			if !slices.Contains(o.run, m) {
				o.run = append(o.run, m)
			}
		}
	}
	if len(o.specs) == 0 {
		return nil, fmt.Errorf("%w: -models is empty", errUsage)
	}
	for spec := range params {
		if !slices.Contains(o.run, spec) {
			return nil, fmt.Errorf("%w: -p: model %q is not among -models", errUsage, spec)
		}
	}
	// Combination members that were not asked for are shown too, before
	// the combination, so that a reader sees what each piece adds.
	for _, m := range o.run {
		if !slices.Contains(o.specs, m) {
			i := slices.IndexFunc(o.specs, func(s string) bool { return strings.HasPrefix(s, comboPrefix) })
			o.specs = slices.Insert(o.specs, i, m)
		}
	}
	switch *comps {
	case "none", "":
	case "all":
		o.competitors = []string{"all"}
	default:
		o.competitors = splitList(*comps)
	}
	o.plotComps = splitList(*plotComps)
	return o, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	for _, name := range o.run {
		if err := m3.CheckModel(name, o.params[name]); err != nil {
			return fmt.Errorf("%w: -models: %v", errUsage, err)
		}
	}
	if len(o.params) > 0 {
		fmt.Fprintf(stderr, "m3: experimental settings %v: these rows are not the defaults\n", o.params)
	}
	if st, err := os.Stat(o.data); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "m3: data directory %s not found; nothing to evaluate (pass -data DIR)\n", o.data)
		return nil
	}
	t0 := time.Now()
	d, err := m3.Load(o.data)
	if err != nil {
		return err
	}
	tLoad := time.Since(t0)
	t1 := time.Now()
	all, err := m3.ReadForecasts(filepath.Join(o.data, m3.ForecastsFile), d)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "m3: loaded %d series in %.2fs and %d methods' forecasts in %.2fs\n", len(d.Series), tLoad.Seconds(), len(all), time.Since(t1).Seconds())
	o.groups = slices.DeleteFunc(o.groups, func(g m3.Group) bool { return len(d.InGroup(g)) == 0 })
	if len(o.groups) == 0 {
		return fmt.Errorf("%s holds no series of the groups asked for", o.data)
	}
	comps, err := pickCompetitors(all, o.competitors, "-competitors")
	if err != nil {
		return err
	}
	plotComps, err := pickCompetitors(all, o.plotComps, "-plot-competitors")
	if err != nil {
		return err
	}

	cfg := m3.Config{Groups: o.groups, Workers: o.workers, Seed: o.seed, Intervals: o.intervals, Params: o.params}
	runs := map[string]*m3.Run{}
	failed := false
	for _, name := range o.run {
		start := time.Now()
		r, err := m3.Evaluate(ctx, d, name, cfg)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			return fmt.Errorf("%w: -models: %v", errUsage, err)
		}
		runs[name] = r
		failed = reportFailures(stderr, d, r) || failed
		fmt.Fprintf(stderr, "m3: %s: %s in %.1fs\n", name, groupTimes(r, o.groups), time.Since(start).Seconds())
	}
	var tsf []*m3.Run
	for _, s := range o.specs {
		if rest, ok := strings.CutPrefix(s, comboPrefix); ok {
			var members []*m3.Run
			for _, m := range strings.Split(rest, "+") {
				members = append(members, runs[m])
			}
			runs[s] = m3.Combine(s, members...)
		}
		tsf = append(tsf, runs[s])
	}

	rep := newReport(d, o.groups, tsf, comps, plotComps)
	var b strings.Builder
	rep.write(&b)
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return err
	}
	if o.perSeries != "" {
		if err := writePerSeries(o.perSeries, d, o.groups, append(slices.Clone(tsf), comps...), rep); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "m3: wrote %s\n", o.perSeries)
	}
	if o.plotDir != "" {
		files, err := writePlots(o.plotDir, d, o.groups, tsf, plotComps, rep)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "m3: wrote %s\n", strings.Join(files, " "))
	}
	if failed {
		return errFailed
	}
	return nil
}

// pickCompetitors returns the named runs, in the order asked ("all": every
// run).
func pickCompetitors(all []*m3.Run, names []string, flagName string) ([]*m3.Run, error) {
	if slices.Equal(names, []string{"all"}) {
		return all, nil
	}
	var out []*m3.Run
	for _, n := range names {
		i := slices.IndexFunc(all, func(r *m3.Run) bool { return r.Method == n })
		if i < 0 {
			have := make([]string, len(all))
			for k, r := range all {
				have[k] = r.Method
			}
			return nil, fmt.Errorf("%w: %s: unknown M3 method %q (have %s)", errUsage, flagName, n, strings.Join(have, ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}

// reportFailures names on stderr the series r could not forecast (the
// first few of each group, and how many), and says whether there were any.
func reportFailures(w io.Writer, d *m3.Data, r *m3.Run) bool {
	any := false
	for _, g := range m3.Groups {
		var errs []error
		for _, i := range d.InGroup(g) {
			if r.Errs[i] != nil {
				errs = append(errs, r.Errs[i])
			}
		}
		if len(errs) == 0 {
			continue
		}
		any = true
		fmt.Fprintf(w, "m3: %s: %d %s series could not be forecast:\n", r.Method, len(errs), g)
		for _, err := range errs[:min(len(errs), 5)] {
			fmt.Fprintf(w, "m3:   %v\n", err)
		}
		if len(errs) > 5 {
			fmt.Fprintf(w, "m3:   and %d more (see -per-series)\n", len(errs)-5)
		}
	}
	return any
}

// groupTimes formats a run's wall time per group.
func groupTimes(r *m3.Run, groups []m3.Group) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = fmt.Sprintf("%s %.1fs", g, r.Seconds[g])
	}
	return strings.Join(parts, ", ")
}

// report holds the scores of every row.
type report struct {
	d      *m3.Data
	groups []m3.Group
	tsf    []*m3.Run
	comps  []*m3.Run
	scores map[*m3.Run][]m3.Score
	sums   map[*m3.Run][]m3.Summary // groups, then all
}

// newReport scores tsf's runs and the competitors' (comps are shown in
// the tables; extra are only scored, for the plots).
func newReport(d *m3.Data, groups []m3.Group, tsf, comps, extra []*m3.Run) *report {
	rep := &report{d: d, groups: groups, tsf: tsf, comps: comps, scores: map[*m3.Run][]m3.Score{}, sums: map[*m3.Run][]m3.Summary{}}
	for _, r := range slices.Concat(tsf, comps, extra) {
		if rep.scores[r] != nil {
			continue
		}
		sc, _ := d.Scores(r)
		rep.scores[r] = sc
		rep.sums[r] = d.Summarize(r, sc, groups)
	}
	return rep
}

// write prints one table per group and one over all series, then the
// overview of sMAPE / MASE in the layout of the data README's table.
func (rep *report) write(w io.Writer) {
	n := 0
	for _, g := range rep.groups {
		n += len(rep.d.InGroup(g))
	}
	for k, g := range append(slices.Clone(rep.groups), m3.All) {
		if g == m3.All {
			what := fmt.Sprintf("all %d series", n)
			if n != len(rep.d.Series) {
				what = fmt.Sprintf("all %d series of the groups run", n)
			}
			fmt.Fprintf(w, "M3 %s (plain mean over series)\n\n", what)
		} else {
			fmt.Fprintf(w, "M3 %s: %d series, horizon %d, MASE and MSIS scaled by the in-sample seasonal naive MAE (lag %d)\n\n",
				g, len(rep.d.InGroup(g)), g.Horizon(), g.Season())
		}
		fmt.Fprintf(w, "  %-28s %7s %7s %8s %8s %7s %8s %7s\n", "method", "sMAPE", "MASE", "cover80", "cover95", "MSIS", "seconds", "series")
		for _, r := range rep.tsf {
			rep.row(w, "tsf "+r.Method, rep.sums[r][k])
		}
		if len(rep.comps) > 0 {
			fmt.Fprintf(w, "  submitted to M3 (m3_forecasts.csv):\n")
			for _, r := range rep.comps {
				rep.row(w, "  "+r.Method, rep.sums[r][k])
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "sMAPE / MASE per group (the layout of the data README's reference table)\n\n")
	fmt.Fprintf(w, "| method |")
	for _, g := range rep.groups {
		fmt.Fprintf(w, " %s |", g)
	}
	fmt.Fprintf(w, " all |\n|---|")
	for range rep.groups {
		fmt.Fprintf(w, "---|")
	}
	fmt.Fprintf(w, "---|\n")
	for _, r := range append(slices.Clone(rep.tsf), rep.comps...) {
		name := r.Method
		if slices.Contains(rep.tsf, r) {
			name = "tsf " + name
		}
		fmt.Fprintf(w, "| %s |", name)
		for _, sm := range rep.sums[r] {
			if sm.Scored == 0 {
				fmt.Fprintf(w, " - |")
				continue
			}
			fmt.Fprintf(w, " %.2f / %.3f%s |", sm.Mean.SMAPE, sm.Mean.MASE, partial(sm))
		}
		fmt.Fprintln(w)
	}
}

// partial marks a mean over fewer series than the group has.
func partial(sm m3.Summary) string {
	if sm.Scored == sm.Series {
		return ""
	}
	return fmt.Sprintf(" (%d of %d)", sm.Scored, sm.Series)
}

// row prints one line of a group table.
func (rep *report) row(w io.Writer, name string, sm m3.Summary) {
	if sm.Scored == 0 {
		fmt.Fprintf(w, "  %-28s %7s %7s %8s %8s %7s %8s %7s\n", name, "-", "-", "-", "-", "-", num(sm.Seconds, 2), fmt.Sprintf("0/%d", sm.Series))
		return
	}
	series := strconv.Itoa(sm.Scored)
	if sm.Scored != sm.Series {
		series = fmt.Sprintf("%d/%d", sm.Scored, sm.Series)
	}
	fmt.Fprintf(w, "  %-28s %7.2f %7.3f %8s %8s %7s %8s %7s\n", name, sm.Mean.SMAPE, sm.Mean.MASE,
		pct(sm.Mean.Cover80), pct(sm.Mean.Cover95), num(sm.Mean.MSIS, 2), num(sm.Seconds, 2), series)
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

func num(x float64, prec int) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', prec, 64)
}

// writePerSeries writes one row per series and method of the groups run.
func writePerSeries(path string, d *m3.Data, groups []m3.Group, runs []*m3.Run, rep *report) error {
	var b strings.Builder
	cw := csv.NewWriter(&b)
	cw.Write([]string{"series", "group", "type", "method", "smape", "mase", "cover80", "cover95", "msis", "error"})
	cell := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 8, 64)
	}
	for _, g := range groups {
		for _, i := range d.InGroup(g) {
			s := d.Series[i]
			for _, r := range runs {
				sc := rep.scores[r][i]
				msg := ""
				if r.Errs != nil && r.Errs[i] != nil {
					msg = r.Errs[i].Error()
				} else if r.Forecasts[i] == nil {
					msg = "no forecast"
				}
				cw.Write([]string{s.ID, string(s.Group), s.Type, r.Method, cell(sc.SMAPE), cell(sc.MASE), cell(sc.Cover80), cell(sc.Cover95), cell(sc.MSIS), msg})
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return writeFile(path, b.String())
}

// writeFile writes content to path through a temporary file, so a failure
// leaves no partial file.
func writeFile(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".m3-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writePlots draws the distribution of per-series MASE of tsf's rows and
// the chosen competitors', one picture per group run and one over all.
func writePlots(dir string, d *m3.Data, groups []m3.Group, tsf, comps []*m3.Run, rep *report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	plotGroups := slices.Clone(groups)
	if len(groups) > 1 {
		plotGroups = append(plotGroups, m3.All)
	}
	for _, g := range plotGroups {
		var names []string
		var values [][]float64
		idx := d.InGroup(g)
		if g == m3.All {
			idx = nil
			for _, gg := range groups {
				idx = append(idx, d.InGroup(gg)...)
			}
		}
		for _, r := range append(slices.Clone(tsf), comps...) {
			var v []float64
			for _, i := range idx {
				if x := rep.scores[r][i].MASE; !math.IsNaN(x) && !math.IsInf(x, 0) {
					v = append(v, x)
				}
			}
			if len(v) == 0 {
				continue
			}
			name := r.Method
			if slices.Contains(comps, r) {
				name += " (M3)"
			}
			names = append(names, name)
			values = append(values, v)
		}
		if len(names) == 0 {
			continue
		}
		title := fmt.Sprintf("M3 %s: MASE per series (%d series, h = %d)", g, len(idx), g.Horizon())
		if g == m3.All {
			title = fmt.Sprintf("M3, all %d series run: MASE per series", len(idx))
		}
		p, err := plots.Distribution(title, "MASE", names, values)
		if err != nil {
			return files, err
		}
		path := filepath.Join(dir, fmt.Sprintf("m3-%s-mase.png", g))
		if err := plots.Save(p, path, 0, 0); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}
