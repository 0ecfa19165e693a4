// Package all registers every tsf model family with the forecast package,
// so that forecast.New and forecast.Load know every model by name. It has
// no API; import it for its side effect:
//
//	import _ "github.com/tsf-go/tsf/forecast/all"
//
// A program that uses only some families may import those instead; a model
// of a family not imported is an error naming the package to import.
package all

import (
	// ETS, "ets".
	_ "github.com/tsf-go/tsf/forecast/ets"
	// Theta and Naive2, "theta" and "naive2".
	_ "github.com/tsf-go/tsf/forecast/theta"
	// The neural models, "lstm", "gru", "rnn", "mlp", "eslstm" and "esrnn".
	_ "github.com/tsf-go/tsf/forecast/neural"
	// The combinations, "auto" and "hybrid".
	_ "github.com/tsf-go/tsf/forecast/combine"
)
