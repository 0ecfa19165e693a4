package forecast

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/tsf-go/tsf/dataset"
)

// FitMany fits one local model per series, built by newModel, on a pool of
// workers (0 means runtime.GOMAXPROCS(0)). models[i] is the fitted model of
// series[i], or nil if its fit failed; err joins the failures, each naming
// its series. On cancellation the unfitted entries stay nil and err
// includes the context's error.
func FitMany(ctx context.Context, series []*dataset.Series, newModel Factory, workers int) ([]Forecaster, error) {
	models := make([]Forecaster, len(series))
	errs := make([]error, len(series))
	pool(ctx, len(series), workers, func(i int) {
		m := newModel()
		if err := m.Fit(ctx, series[i]); err != nil {
			errs[i] = fmt.Errorf("series %d (%q): %w", i, series[i].Name, err)
			return
		}
		models[i] = m
	})
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return models, errors.Join(errs...)
}

// PredictMany forecasts h steps with every non-nil model, on a pool of
// workers (0 means runtime.GOMAXPROCS(0)); nil models give nil forecasts.
func PredictMany(models []Forecaster, h int, workers int) ([]*Forecast, error) {
	out := make([]*Forecast, len(models))
	errs := make([]error, len(models))
	pool(context.Background(), len(models), workers, func(i int) {
		if models[i] == nil {
			return
		}
		fc, err := models[i].Predict(h)
		if err != nil {
			errs[i] = fmt.Errorf("model %d (%s): %w", i, models[i].Name(), err)
		}
		out[i] = fc
	})
	return out, errors.Join(errs...)
}

// pool runs do(0..n-1) on workers goroutines until done or cancelled.
func pool(ctx context.Context, n, workers int, do func(int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ch := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ch {
				do(i)
			}
		}()
	}
	for i := range n {
		select {
		case ch <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(ch)
	wg.Wait()
}
