// Package fctest holds the seeded series the forecast packages' tests
// share, and the loader of the shared data sets, which skips a test when
// ../shared/data is absent. Only tests import it.
package fctest
