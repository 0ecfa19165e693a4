// Package stat holds the numerical pieces the classical and neural model
// families share and that are not part of tsf's API: the Nelder-Mead
// minimiser, classical seasonal decomposition, normal intervals, the
// power-of-two unit a series is scaled by, and the logistic function.
//
// Functions never modify their inputs and use no randomness.
package stat
