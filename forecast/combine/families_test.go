package combine

import (
	// The members and candidates the tests name: a combination builds them
	// by name, so their families must be registered.
	_ "github.com/tsf-go/tsf/forecast/ets"
	_ "github.com/tsf-go/tsf/forecast/neural"
	_ "github.com/tsf-go/tsf/forecast/theta"
)
