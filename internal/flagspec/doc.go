// Package flagspec is the command-line vocabulary that tsf and tsf-beam
// share: the names, help texts and checks of the flags both define (the
// model settings, Settings and ParseSettings; the data flags,
// DataFlags and ParseReadSettings), the usage errors about them, and
// Message, which words a library error in flags.
//
// The library (forecast, dataset) never speaks of flags: its errors name
// Options fields and values. A front end defines its flags from this
// package, checks their values with it, and reports its errors (a
// *SettingError or a Mistake) as usage errors with their hints.
package flagspec
