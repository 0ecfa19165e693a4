package all_test

import (
	"fmt"

	"github.com/tsf-go/tsf/forecast"
	_ "github.com/tsf-go/tsf/forecast/all"
)

// With forecast/all imported, forecast.New knows every model.
func Example() {
	fmt.Println(forecast.Names())
	// Output:
	// [auto conformal drift eslstm esrnn ets gru hybrid lstm ma mean mlp naive naive2 rnn snaive theta]
}
