// Package importtest holds the tests of a program that builds models by
// name without importing their families: its test binary imports only the
// forecast core and forecast/combine, so "ets", "theta" and the neural
// models are not registered there. It has no API.
package importtest
