// Command memory measures where fitted forecasters look back: for each
// model it fits the series (all but its last -test points), then draws
// forecast.LagSensitivity, |∂forecast/∂y(t−k)| against the lag k, averaged
// over the last -origins forecast origins, and prints it at the -marks lags
// (a season, a weekly or yearly cycle) with the test MAE of the one-step
// forecasts from those origins. It is the picture of whether an LSTM uses
// the value one week back where a vanilla RNN cannot.
//
//	go run ./examples/memory -csv ../shared/data/ETTh1.csv -target OT -last 4000 \
//	    -models lstm,rnn -window 192 -lags 192 -marks 24,168 -plot memory.png
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/all"
	"github.com/tsf-go/tsf/plots"
)

func main() {
	path := flag.String("csv", "", "CSV file of the series (required)")
	target := flag.String("target", "", "target column (default: the only value column)")
	last := flag.Int("last", 0, "use only the last N points (0: all)")
	models := flag.String("models", "lstm,rnn", "comma-separated models")
	window := flag.Int("window", 0, "input window of the networks (0: the model's default)")
	horizon := flag.Int("horizon", 1, "horizon the models are trained for")
	epochs := flag.Int("epochs", 0, "training epochs of the networks (0: the default)")
	hidden := flag.Int("hidden", 0, "hidden units of the networks (0: the default)")
	params := flag.String("p", "", "more model settings, key=value,key=value")
	seed := flag.Uint64("seed", 1, "seed of the models")
	lags := flag.Int("lags", 48, "farthest lag measured")
	origins := flag.Int("origins", 20, "forecast origins averaged over (the last ones of the series)")
	marks := flag.String("marks", "", "comma-separated lags to print and mark in the picture")
	plot := flag.String("plot", "", "write the picture to this file (.png, .svg or .pdf)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("memory: ")
	if *path == "" {
		log.Fatal("-csv is required")
	}
	opts := dataset.Options{Missing: dataset.MissingInterpolate, Gaps: dataset.GapFill}
	if *target != "" {
		opts.Targets = []string{*target}
	}
	fr, err := dataset.ReadCSV(*path, opts)
	if err != nil {
		log.Fatal(err)
	}
	s := fr.Series[0]
	if *last > 0 && *last < s.Len() {
		s = s.Slice(s.Len()-*last, s.Len())
	}
	var mk []int
	for _, f := range strings.Split(*marks, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		k, err := strconv.Atoi(f)
		if err != nil || k < 1 {
			log.Fatalf("-marks: %q is not a lag ≥ 1", f)
		}
		mk = append(mk, k)
	}
	p := map[string]string{}
	if *epochs > 0 {
		p["epochs"] = strconv.Itoa(*epochs)
	}
	if *hidden > 0 {
		p["hidden"] = strconv.Itoa(*hidden)
	}
	for _, kv := range strings.Split(*params, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			p[k] = v
		}
	}
	train := s.Slice(0, s.Len()-*origins)
	ctx := context.Background()
	var curves []plots.SensitivityCurve
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "model\ttest MAE\tsum\t"
	for _, k := range mk {
		head += fmt.Sprintf("lag %d\t", k)
	}
	fmt.Fprintln(tw, head+"last lag above 0\t")
	fmt.Printf("%s: %d points (%s), fitted on the first %d, sensitivities over the last %d origins\n", s.Name, s.Len(), s.Freq, train.Len(), *origins)
	for _, name := range strings.Split(*models, ",") {
		m, err := forecast.New(name, forecast.Options{Horizon: *horizon, Window: *window, Seed: *seed, Params: p})
		if err != nil {
			log.Fatal(err)
		}
		if err := m.Fit(ctx, train); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		hp, ok := m.(forecast.HistoryPredictor)
		if !ok {
			log.Fatalf("%s cannot forecast from a history", name)
		}
		var mae float64
		for o := range *origins {
			t := train.Len() + o
			fc, err := hp.PredictFrom(s.Slice(0, t), 1)
			if err != nil {
				log.Fatalf("%s: %v", name, err)
			}
			mae += math.Abs(fc.Values[0] - s.Values[t])
		}
		mae /= float64(*origins)
		sens, err := forecast.LagSensitivity(ctx, hp, s, forecast.SensitivityConfig{MaxLag: *lags, Origins: *origins})
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		curves = append(curves, plots.SensitivityCurve{Model: name, Values: sens})
		var sum float64
		reach := 0
		for k, v := range sens {
			sum += v
			if v > 0 {
				reach = k + 1
			}
		}
		row := fmt.Sprintf("%s\t%.4g\t%.3g\t", name, mae, sum)
		for _, k := range mk {
			if k <= len(sens) {
				row += fmt.Sprintf("%.3g\t", sens[k-1])
			} else {
				row += "-\t"
			}
		}
		fmt.Fprintln(tw, row+fmt.Sprintf("%d\t", reach))
	}
	tw.Flush()
	if *plot != "" {
		pl, err := plots.LagSensitivity(plots.SensitivityInput{Title: fmt.Sprintf("%s: where the one-step forecast looks back", s.Name), Curves: curves, Marks: mk})
		if err != nil {
			log.Fatal(err)
		}
		if err := plots.Save(pl, *plot, 0, 0); err != nil {
			log.Fatal(err)
		}
		fmt.Println("wrote", *plot)
	}
}
