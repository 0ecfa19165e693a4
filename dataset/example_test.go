package dataset_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/tsf-go/tsf/dataset"
)

func ExampleRead() {
	csv := "month,passengers\n1960-10,461\n1960-11,390\n1960-12,432\n"
	fr, err := dataset.Read(strings.NewReader(csv), "airline.csv", dataset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := fr.Series[0]
	fmt.Println(s.Name, s.Len(), s.Freq)
	for _, t := range s.Future(2) {
		fmt.Println(s.Format(t))
	}
	// Output:
	// passengers 3 monthly
	// 1961-01
	// 1961-02
}

func ExampleRead_errors() {
	csv := "month,passengers\n1960-10,461\n1960-11,39O\n"
	_, err := dataset.Read(strings.NewReader(csv), "airline.csv", dataset.Options{})
	fmt.Println(err)
	csv = "date,pm2.5\n2010-01-01,\n2010-01-02,NA\n2010-01-03,129\n"
	_, err = dataset.Read(strings.NewReader(csv), "pm.csv", dataset.Options{})
	fmt.Println(err)
	fr, _ := dataset.Read(strings.NewReader(csv), "pm.csv", dataset.Options{Missing: dataset.MissingInterpolate})
	fmt.Println(fr.Series[0].Values)
	// Output:
	// airline.csv: row 3, column "passengers": cannot parse "39O" as a number: not a number
	// pm.csv: 2 missing values (2 in column "pm2.5"): rows 2-3 column "pm2.5"; choose a missing-value policy: drop, ffill or interpolate
	// [129 129 129]
}

func ExampleScaler() {
	s := &dataset.Series{Name: "x", Values: []float64{10, 20, 30, 40, 1000}}
	parts, _ := dataset.Split(s, dataset.SplitOptions{TestLen: 1})
	sc := dataset.Scaler{Method: dataset.ScaleMinMax}
	_ = sc.Fit(parts.Train) // never sees the test value 1000
	fmt.Println(sc.Transform(parts.Test).Values, sc.InverseValue(0.5))
	// Output: [33] 25
}

func ExampleAddingBatch() {
	const T, B = 6, 2
	x, y := make([]float64, T*B*2), make([]float64, B)
	dataset.AddingBatch(rand.New(rand.NewPCG(1, 2)), T, B, x, y)
	for b := 0; b < B; b++ {
		sum := 0.0
		for t := 0; t < T; t++ {
			if x[(t*B+b)*2+1] == 1 { // marker channel
				sum += x[(t*B+b)*2]
			}
		}
		fmt.Println(sum == y[b])
	}
	fmt.Printf("%.4f\n", dataset.AddingConstantMSE)
	// Output:
	// true
	// true
	// 0.1667
}

func ExampleSpikeEcho() {
	s, st := dataset.SpikeEcho(dataset.SpikeEchoConfig{N: 500, Lag: 20}, rand.New(rand.NewPCG(1, 1)))
	fmt.Println(s.Len(), s.Freq, s.Format(s.Time[1]))
	fmt.Printf("lag-free MSE %.4f, oracle MSE %.4f\n", st.LagFreeMSE, st.OracleMSE)
	// Output:
	// 500 hourly 2000-01-01 01:00:00
	// lag-free MSE 0.1033, oracle MSE 0.0567
}

// A long file: ids are taken verbatim (" b" is not "b"), and a row with the
// wrong number of fields fails its own series, which Frame.Failed names,
// while the others load.
func ExampleRead_long() {
	csv := "series,month,sales\n" +
		"b,2000-01,1\n" +
		"\" b\",2000-01,7\n" +
		"b,2000-02,2\n" +
		"c,2000-01,5\n" +
		"c,2000-02,6,extra\n" +
		"\" b\",2000-02,8\n"
	fr, err := dataset.Read(strings.NewReader(csv), "stores.csv", dataset.Options{IDColumn: "series"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range fr.Series {
		fmt.Printf("%q %v\n", s.ID, s.Values)
	}
	for _, f := range fr.Failed {
		fmt.Println(f)
	}
	// Output:
	// "b" [1 2]
	// " b" [7 8]
	// stores.csv: series "c": row 6: has 4 fields, the header has 3: wrong number of fields
}
