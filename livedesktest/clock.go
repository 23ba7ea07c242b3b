package livedesktest

import (
	"sync"
	"time"

	"github.com/livedesk/livedesk"
)

// Clock is a fake livedesk.Clock that only moves when told to. Timers from
// After fire when Advance or Set moves the time past their deadline. It is
// safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	changed *sync.Cond // broadcast when a timer is added
	now     time.Time
	waiters []*waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// timer is a Clock's timer.
type timer struct {
	c *Clock
	w *waiter
}

func (t timer) C() <-chan time.Time { return t.w.ch }

// Stop removes the timer; it reports whether it was still pending.
func (t timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	for i, w := range t.c.waiters {
		if w == t.w {
			t.c.waiters = append(t.c.waiters[:i], t.c.waiters[i+1:]...)
			return true
		}
	}
	return false
}

// DefaultTime returns where a harness clock starts unless Options.Start
// says otherwise: Monday 2 March 2026, 10:00 UTC, inside most
// business hours.
func DefaultTime() time.Time { return time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC) }

// NewClock returns a clock set to t.
func NewClock(t time.Time) *Clock {
	c := &Clock{now: t}
	c.changed = sync.NewCond(&c.mu)
	return c
}

// BlockUntil waits until at least n timers (from After or NewTimer, not
// stopped) are pending, so a test can advance the clock knowing the code
// under test is waiting on it (Run waiting for its next poll, say) instead
// of sleeping and hoping.
func (c *Clock) BlockUntil(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.waiters) < n {
		c.changed.Wait()
	}
}

// Timers returns how many timers made by After are pending.
func (c *Clock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives the time once the clock has been
// moved d past now. A d <= 0 fires at once.
func (c *Clock) After(d time.Duration) <-chan time.Time { return c.NewTimer(d).C() }

// NewTimer returns a timer that fires once the clock has been moved d past
// now (at once for d <= 0). It implements livedesk.Clock.
func (c *Clock) NewTimer(d time.Duration) livedesk.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &waiter{at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		w.ch <- c.now
		return timer{c, w}
	}
	c.waiters = append(c.waiters, w)
	c.changed.Broadcast()
	return timer{c, w}
}

// Advance moves the clock forward by d and fires the timers that are due.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(c.now.Add(d))
	return c.now
}

// Set moves the clock to t (forward or back) and fires the timers that are
// due.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(t)
}

func (c *Clock) setLocked(t time.Time) {
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(t) {
			w.ch <- t
			continue
		}
		kept = append(kept, w)
	}
	c.waiters = kept
}
