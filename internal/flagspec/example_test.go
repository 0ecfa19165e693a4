package flagspec_test

import (
	"errors"
	"fmt"

	"github.com/tsf-go/tsf/internal/flagspec"
)

// A command line defines one flag per setting and hands the values given
// to ParseSettings: Window, Season and Seed become Options fields, the
// training settings the Params of a neural model (or auto); a bad value is
// a SettingError, with a hint, that the command reports as a usage error.
func ExampleParseSettings() {
	given := map[string]string{"window": "24", "epochs": "50", "lr": "0.01", "strategy": "recursive"}
	o, err := flagspec.ParseSettings("lstm", given)
	if err != nil {
		panic(err)
	}
	fmt.Println(o.Window, o.Seed, o.Params)

	o, _ = flagspec.ParseSettings("ets", given)
	fmt.Println(o.Window, o.Params == nil)

	_, err = flagspec.ParseSettings("lstm", map[string]string{"hidden": "-3"})
	var se *flagspec.SettingError
	if errors.As(err, &se) {
		fmt.Println(se)
		fmt.Println(se.Hint)
	}
	// Output:
	// 24 1 map[epochs:50 lr:0.01 strategy:recursive]
	// 24 true
	// invalid value -3 for flag --hidden: negative
	// --hidden is a count; 0 means the default
}

// A front end defines its flags from the vocabulary, checks the values
// given with it, and reports a mistake as a usage error with its hint.
func Example() {
	for _, d := range flagspec.DataFlags()[:2] {
		fmt.Printf("--%s: %s\n", d.Name, d.Usage)
	}
	o, _ := flagspec.ParseReadSettings(map[string]string{"missing": "ffill", "gaps": "error", "id": "store"})
	fmt.Println(o.Missing, o.IDColumn)

	err := flagspec.CheckHorizon(0, true)
	var se *flagspec.SettingError
	if errors.As(err, &se) {
		fmt.Printf("error: %v\nhint: %s\n", se, se.Hint)
	}
	// Output:
	// --target: target `COLUMN` (default: the only value column); several, comma-separated, are each a series
	// --time: time `COLUMN` (default: the first column that parses as time; "none" for an integer index)
	// ffill store
	// error: invalid value 0 for flag --horizon
	// hint: --horizon is the number of steps to forecast, at least 1
}
