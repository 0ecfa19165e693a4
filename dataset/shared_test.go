package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData returns the path of a file in ../shared/data, or of its copy
// in examples/data (the small series are in the repository), skipping the
// test when neither exists.
func sharedData(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "data", name)
	_, err := os.Stat(p)
	if inRepo := filepath.Join("..", "examples", "data", name); err != nil && fileExists(inRepo) {
		return inRepo
	}
	if err != nil {
		t.Skipf("shared data file %s absent (%v); the feature is also tested on inline CSV", p, err)
	}
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestAirlinePassengers(t *testing.T) {
	fr, err := ReadCSV(sharedData(t, "airline_passengers.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := fr.Series[0]
	if s.Name != "passengers" || s.Len() != 144 || s.Freq.Kind != Monthly || s.Values[0] != 112 || s.Values[143] != 432 {
		t.Errorf("airline: %q len %d freq %v first %g last %g; want passengers 144 monthly 112 432", s.Name, s.Len(), s.Freq, s.Values[0], s.Values[143])
	}
	if got := s.Format(s.Future(1)[0]); got != "1961-01" {
		t.Errorf("next timestamp %q; want 1961-01", got)
	}
}

func TestETTh1(t *testing.T) {
	fr, err := ReadCSV(sharedData(t, "ETTh1.csv"), Options{Targets: []string{"OT"}, AllCovariates: true})
	if err != nil {
		t.Fatal(err)
	}
	s := fr.Series[0]
	if s.Len() != 17420 || s.Freq.Kind != Hourly || len(s.Covariates) != 6 || s.Name != "OT" {
		t.Errorf("ETTh1: len %d freq %v covariates %v", s.Len(), s.Freq, s.CovariateNames)
	}
	fr, err = ReadCSV(sharedData(t, "ETTh1.csv"), Options{})
	if err != nil || len(fr.Series) != 7 {
		t.Errorf("ETTh1 wide: %v series, err %v; want 7", len(fr.Series), err)
	}
}

func TestBeijingPM25(t *testing.T) {
	p := sharedData(t, "beijing_pm25_hourly.csv")
	_, err := ReadCSV(p, Options{})
	var me *MissingError
	if !errors.As(err, &me) {
		t.Fatalf("error %v; want a *MissingError", err)
	}
	if len(me.Cells) != 2067 {
		t.Errorf("%d missing cells; want 2067", len(me.Cells))
	}
	for _, c := range me.Cells {
		if c.Column != "pm2.5" {
			t.Fatalf("missing cell in column %q; want pm2.5", c.Column)
		}
	}
	// The first 24 hours of 2010 have no pm2.5 reading: rows 2-25.
	if me.Cells[0].Row != 2 || !strings.Contains(err.Error(), `rows 2-25 column "pm2.5"`) {
		t.Errorf("message %q does not name rows 2-25", err)
	}
	fr, err := ReadCSV(p, Options{Missing: MissingInterpolate, Targets: []string{"pm2.5"}, AllCovariates: true})
	if err != nil {
		t.Fatal(err)
	}
	s := fr.Series[0]
	if s.Len() != 43824 || hasNaN(s.Values) {
		t.Errorf("interpolated pm2.5: len %d, NaN %v; want 43824, none", s.Len(), hasNaN(s.Values))
	}
	for _, c := range s.Covariates {
		if hasNaN(c) {
			t.Error("NaN in a covariate")
		}
	}
}

func TestDailyMinTemperatures(t *testing.T) {
	p := sharedData(t, "daily_min_temperatures.csv")
	_, err := ReadCSV(p, Options{})
	var ge *GapError
	if !errors.As(err, &ge) {
		t.Fatalf("error %v; want a *GapError", err)
	}
	if len(ge.Gaps) != 2 || ge.Gaps[0].Count != 1 || ge.Gaps[1].Count != 1 {
		t.Fatalf("gaps %+v; want two single days", ge.Gaps)
	}
	for i, want := range []string{"1984-12-31", "1988-12-31"} {
		if got := ge.Gaps[i].First.Format("2006-01-02"); got != want || !strings.Contains(err.Error(), want) {
			t.Errorf("gap %d at %s; want %s named in %q", i, got, want, err)
		}
	}
	fr, err := ReadCSV(p, Options{Gaps: GapFill, Missing: MissingInterpolate})
	if err != nil || fr.Series[0].Len() != 3652 {
		t.Errorf("filled: %v, %v; want 3652 rows", fr.Series[0].Len(), err)
	}
}
