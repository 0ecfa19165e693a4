// Package work holds what the forecast packages' per-series work shares
// besides its pool (internal/workpool, the one pool of tsf): Safely, which
// turns a panic into an error so one failing series never costs the others.
package work
