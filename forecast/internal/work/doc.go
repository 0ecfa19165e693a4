// Package work runs the forecast packages' per-series work: a pool of
// workers that stops handing out work when its context is cancelled, and
// Safely, which turns a panic into an error so one failing series never
// costs the others.
package work
