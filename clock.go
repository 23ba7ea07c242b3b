package livedesk

import "time"

// Clock tells the desk the time. Everything time-dependent in the desk (the
// 24-hour window, business hours, retries, the sweep) reads it, so tests can
// drive time with a fake clock (livedesktest.Clock) instead of sleeping.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a timer that fires once d has elapsed.
	NewTimer(d time.Duration) Timer
}

// Timer is a Clock's timer, as time.Timer.
type Timer interface {
	// C is the channel the time is sent on when the timer fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it stopped it.
	Stop() bool
}

type realClock struct{}

func (realClock) Now() time.Time                 { return time.Now() }
func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (t realTimer) C() <-chan time.Time { return t.t.C }
func (t realTimer) Stop() bool          { return t.t.Stop() }
