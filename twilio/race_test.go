//go:build race

package twilio

// raceEnabled: the race detector allocates, so allocation counts are only
// asserted without it.
const raceEnabled = true
