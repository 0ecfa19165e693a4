package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/plots"
)

// runBacktestMany backtests every model on every series of in
// (forecast.BacktestEach), prints the aggregate table, and writes
// --per-series, --json and --plot.
func runBacktestMany(ctx context.Context, e *env, r *request, in *input, names []string) error {
	h, err := manyHorizon(r, in)
	if err != nil {
		return err
	}
	cfg := r.backtest
	cfg.Horizon = h
	if err := checkOutputPath("per-series", r.perSeries); err != nil {
		return err
	}
	var factories []forecast.Factory
	var local, global []int // positions in names
	for i, n := range names {
		o := r.options(n, h)
		if _, err := forecast.New(n, o); err != nil {
			return usagef("see 'tsf backtest --help' for the model flags", "%v", err)
		}
		if forecast.GlobalOnly(n) {
			global = append(global, i)
			continue
		}
		local = append(local, i)
		factories = append(factories, func() forecast.Forecaster {
			f, _ := forecast.New(n, o)
			return f
		})
	}
	u := r.ui(e)
	if r.verbose {
		u.verbosef("%s", describeInput(in, h))
	}
	start := time.Now()
	res := make([]forecast.SeriesBacktest, len(in.series))
	for i, s := range in.series {
		res[i] = forecast.SeriesBacktest{Series: s, Results: make([]*forecast.BacktestResult, len(names)),
			Errs: make([]error, len(names)), Seconds: make([]float64, len(names))}
	}
	// The global models first, each fitted once per fold on every series;
	// then the local ones, series by series.
	for _, j := range global {
		o := r.options(names[j], h)
		o.Progress = u.epochs(names[j])
		newModel := func() forecast.GlobalModel {
			f, _ := forecast.New(names[j], o)
			return f.(forecast.GlobalModel)
		}
		for i, b := range forecast.BacktestGlobal(ctx, in.series, newModel, cfg, r.workers, nil) {
			res[i].Results[j], res[i].Errs[j], res[i].Seconds[j] = b.Results[0], b.Errs[0], b.Seconds[0]
		}
		u.endBar()
	}
	if len(local) > 0 && ctx.Err() == nil {
		done := u.seriesProgress(len(in.series), "backtesting")
		for i, b := range forecast.BacktestEach(ctx, in.series, factories, cfg, r.workers, done) {
			for k, j := range local {
				res[i].Results[j], res[i].Errs[j], res[i].Seconds[j] = b.Results[k], b.Errs[k], b.Seconds[k]
			}
		}
		u.endBar()
	}
	if ctx.Err() != nil {
		// Nothing is written: a table or file that lacks the unfinished
		// series would drop them silently.
		return fmt.Errorf("backtest interrupted, nothing written: %w", context.Cause(ctx))
	}

	// Failures, named one per line, in input order.
	failed := append([]error(nil), in.failed...)
	for _, b := range res {
		seen := map[string]bool{} // a failure of the folds' setup is the same for every model
		for _, err := range b.Errs {
			if err != nil && !seen[err.Error()] {
				seen[err.Error()] = true
				failed = append(failed, err)
			}
		}
	}
	for _, err := range failed {
		fmt.Fprintf(e.stderr, "tsf: error: %s\n", oneLine(err))
	}
	agg := forecast.AggregateBacktests(names, scoresOfEach(res))
	complete := agg.Complete
	var none []string
	for j, n := range names {
		if !agg.Active[j] {
			none = append(none, n)
		}
	}
	if len(none) > 0 && len(none) < len(names) {
		u.printf("warning: %s backtested no series; the table compares the other models", strings.Join(none, ", "))
	}
	folds := fmt.Sprintf("%d folds", max(cfg.Folds, 1))
	if cfg.Folds <= 1 {
		folds = "1 fold"
	}
	u.printf("%d of %d series backtested by every model that backtested any (%s of horizon %d) in %s",
		complete, in.count(), folds, h, time.Since(start).Round(10*time.Millisecond))

	if complete > 0 {
		if r.json {
			err = writeOutput(e, "-", func(w io.Writer) error { return writeJSON(w, manyBacktestJSON(in, names, h, agg.Models, res)) })
		} else {
			err = writeOutput(e, "-", func(w io.Writer) error { return aggregateTable(w, agg.Models) })
		}
		if err != nil {
			return err
		}
	}
	if p := r.perSeries; p != "" {
		if err := writeOutput(e, p, func(w io.Writer) error { return perSeriesCSV(w, in.idColumn, names, res, in.failed) }); err != nil {
			return err
		}
	}
	if p := r.plot; p != "" && complete > 0 {
		if err := distributionPlot(names, res, agg.Active, agg.Common, fmt.Sprintf("horizon %d, %s", h, folds), p); err != nil {
			return err
		}
	}
	switch {
	case len(failed) == 0:
		return nil
	case complete == 0:
		return withHint(fmt.Errorf("no series of the %d could be backtested (failures named above)", in.count()),
			"use longer series, fewer --folds or a smaller --horizon; --per-series FILE lists what each model did")
	}
	bad := len(in.failed)
	for _, b := range res {
		if b.Err() != nil {
			bad++
		}
	}
	msg := fmt.Sprintf("%d of %d series could not be backtested by every model (each failure named above)", bad, in.count())
	if len(none) > 0 {
		msg += fmt.Sprintf("; %s backtested none", strings.Join(none, ", "))
	}
	msg += fmt.Sprintf("; the table averages the %d series that every model with scores backtested", complete)
	return withHint(errors.New(msg), "--per-series FILE has every model's scores on every series it forecast")
}

// scoresOfEach summarises every model's backtest of every series
// (forecast.ScoresOf), series by series.
func scoresOfEach(res []forecast.SeriesBacktest) [][]forecast.SeriesScores {
	out := make([][]forecast.SeriesScores, len(res))
	for i, b := range res {
		out[i] = forecast.ScoresOfEach(b)
	}
	return out
}

// aggregateTable prints the many-series table: one row per model
// (forecast.AggregateBacktests).
func aggregateTable(w io.Writer, agg []forecast.ModelAggregate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tsMAPE%\tMASE\tcover80\tcover95\tMSIS\tseries\tseconds\t")
	pct := func(v float64) string {
		if math.IsNaN(v) {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	for _, a := range agg {
		msis := "-"
		if !math.IsNaN(a.MSIS) {
			msis = fmtNum(a.MSIS, 3)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%.2f\t\n", a.Model, fmtNum(a.SMAPE, 2), fmtNum(a.MASE, 3),
			pct(a.Cover80), pct(a.Cover95), msis, a.Series, a.Seconds)
	}
	return tw.Flush()
}

// perSeriesHeader is the header of --per-series after the id column.
var perSeriesHeader = []string{"model", "smape", "mase", "mae", "rmse", "cover80", "cover95", "msis", "folds", "seconds", "error"}

// perSeriesCSV writes one row per series and model: its scores, or the
// error that stopped it (and nothing else).
func perSeriesCSV(w io.Writer, idColumn string, names []string, res []forecast.SeriesBacktest, loadFailed []error) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{idColumn}, perSeriesHeader...))
	// The series that could not be loaded come first, one row per model,
	// as in --json: every series of the file is accounted for.
	for _, err := range loadFailed {
		for _, n := range names {
			cw.Write([]string{failedID(err), n, "", "", "", "", "", "", "", "", "", oneLine(err)})
		}
	}
	for _, b := range res {
		id := forecast.SeriesID(b.Series)
		for j, n := range names {
			if b.Errs[j] != nil {
				cw.Write([]string{id, n, "", "", "", "", "", "", "", "", strconv.FormatFloat(b.Seconds[j], 'f', 4, 64), oneLine(b.Errs[j])})
				continue
			}
			s := forecast.ScoresOf(b.Results[j], nil, b.Seconds[j])
			f := forecast.FormatValue
			cw.Write([]string{id, n, f(s.SMAPE), f(s.MASE), f(s.MAE), f(s.RMSE), f(s.Cover80), f(s.Cover95), f(s.MSIS),
				strconv.Itoa(s.Folds), strconv.FormatFloat(s.Seconds, 'f', 4, 64), ""})
		}
	}
	cw.Flush()
	return cw.Error()
}

type jsonAggregate struct {
	Model   string `json:"model"`
	SMAPE   num    `json:"smape"`
	MASE    num    `json:"mase"`
	Cover80 num    `json:"cover80"`
	Cover95 num    `json:"cover95"`
	MSIS    num    `json:"msis"`
	Series  int    `json:"series"`
	Seconds num    `json:"seconds"`
}

type jsonSeriesModel struct {
	Model   string `json:"model"`
	SMAPE   *num   `json:"smape,omitempty"`
	MASE    *num   `json:"mase,omitempty"`
	Cover80 *num   `json:"cover80,omitempty"`
	Cover95 *num   `json:"cover95,omitempty"`
	MSIS    *num   `json:"msis,omitempty"`
	Error   string `json:"error,omitempty"`
}

type jsonSeriesBacktest struct {
	ID     string            `json:"id"`
	Models []jsonSeriesModel `json:"models,omitempty"`
	Error  string            `json:"error,omitempty"`
}

type jsonManyBacktest struct {
	IDColumn string               `json:"id_column"`
	Horizon  int                  `json:"horizon"`
	Models   []jsonAggregate      `json:"models"`
	Series   []jsonSeriesBacktest `json:"series"`
}

func manyBacktestJSON(in *input, names []string, h int, agg []forecast.ModelAggregate, res []forecast.SeriesBacktest) jsonManyBacktest {
	doc := jsonManyBacktest{IDColumn: in.idColumn, Horizon: h}
	for _, a := range agg {
		doc.Models = append(doc.Models, jsonAggregate{Model: a.Model, SMAPE: num(a.SMAPE), MASE: num(a.MASE),
			Cover80: num(a.Cover80), Cover95: num(a.Cover95), MSIS: num(a.MSIS), Series: a.Series, Seconds: num(a.Seconds)})
	}
	p := func(v float64) *num { n := num(v); return &n }
	for _, b := range res {
		js := jsonSeriesBacktest{ID: forecast.SeriesID(b.Series)}
		for j, n := range names {
			if b.Errs[j] != nil {
				js.Models = append(js.Models, jsonSeriesModel{Model: n, Error: oneLine(b.Errs[j])})
				continue
			}
			s := forecast.ScoresOf(b.Results[j], nil, b.Seconds[j])
			js.Models = append(js.Models, jsonSeriesModel{Model: n, SMAPE: p(s.SMAPE), MASE: p(s.MASE),
				Cover80: p(s.Cover80), Cover95: p(s.Cover95), MSIS: p(s.MSIS)})
		}
		doc.Series = append(doc.Series, js)
	}
	for _, err := range in.failed {
		doc.Series = append(doc.Series, jsonSeriesBacktest{ID: failedID(err), Error: oneLine(err)})
	}
	return doc
}

// distributionPlot draws the distribution of per-series MASE per active
// model over the common series (commonSeries; finite values only).
func distributionPlot(names []string, res []forecast.SeriesBacktest, active, common []bool, setup, path string) error {
	var models []string
	var values [][]float64
	for j, name := range names {
		if !active[j] {
			continue
		}
		var v []float64
		for i, b := range res {
			if m := b.Results[j]; common[i] && m != nil && !math.IsNaN(m.Mean.MASE) && !math.IsInf(m.Mean.MASE, 0) {
				v = append(v, m.Mean.MASE)
			}
		}
		if len(v) > 0 {
			models = append(models, name)
			values = append(values, v)
		}
	}
	n := 0
	for _, ok := range common {
		if ok {
			n++
		}
	}
	if len(models) == 0 {
		return fmt.Errorf("--plot %s: no model has a finite MASE on any series", path)
	}
	p, err := plots.Distribution(fmt.Sprintf("MASE per series (%d series, %s)", n, setup), "MASE", models, values)
	if err != nil {
		return fmt.Errorf("--plot %s: %w", path, err)
	}
	return savePlot(p, path)
}
