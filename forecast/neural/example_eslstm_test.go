package neural_test

import (
	"context"
	"fmt"

	"github.com/tsf-go/tsf/dataset"
	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/neural"
)

// ES-LSTM on a collection: one network and every series' own smoothing,
// trained together; then a forecast of a training series, and of a series
// the model never saw (its smoothing fitted with the network frozen).
func ExampleESRNN() {
	cfg := dataset.ManySinesConfig{Series: 20, N: 60, Seed: 1}
	var series []*dataset.Series
	for i := range cfg.Series {
		series = append(series, dataset.ManySines(cfg, i))
	}
	f, err := forecast.New("eslstm", forecast.Options{Horizon: 6, Seed: 1,
		Params: map[string]string{"hidden": "8", "epochs": "4"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	es := f.(*neural.ESRNN)
	if err := es.FitGlobal(context.Background(), series); err != nil {
		fmt.Println(err)
		return
	}
	c := es.Config()
	fmt.Printf("season %d, window %d, chunk %d positions\n", c.Season, c.Window, c.Chunk)
	unseen := dataset.ManySines(dataset.ManySinesConfig{Series: 20, N: 48, Seed: 2}, 0)
	unseen.ID = "new"
	for _, s := range []*dataset.Series{series[0], unseen} {
		fc, err := es.PredictFrom(s, 6)
		if err != nil {
			fmt.Println(err)
			return
		}
		iv, _ := fc.Interval(0.95)
		fmt.Printf("%s: %d steps from %s, 95%% interval below the forecast: %v\n",
			s.ID, fc.Len(), fc.Time[0].Format("2006-01"), iv.Lo[0] < fc.Values[0])
	}
	// Output:
	// season 12, window 12, chunk 24 positions
	// s01: 6 steps from 2005-01, 95% interval below the forecast: true
	// new: 6 steps from 2004-01, 95% interval below the forecast: true
}
