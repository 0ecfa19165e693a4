package work

import (
	"fmt"
)

// Safely runs f, turning a panic into an error so that one series' failure
// never costs the others.
func Safely[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			v, err = zero, fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}
