package livedesk

import "time"

// Clock tells the desk the time. Everything time-dependent in the desk (the
// 24-hour window, business hours, retries, the sweep) reads it, so tests can
// drive time with a fake clock (livedesktest.Clock) instead of sleeping.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// After returns a channel that receives the time once d has elapsed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
