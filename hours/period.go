package hours

import "time"

// Period is a closed period: from the instant the schedule last closed to the instant it next
// opens, [Start, End).
type Period struct {
	// Start is when the schedule closed; zero when it was not open within SearchHorizon before.
	Start time.Time
	// End is when the schedule opens again; zero when it does not open within SearchHorizon.
	End time.Time
}

// keyLayout writes instants in UTC, so that a key does not depend on the zone a time is shown in.
const keyLayout = "20060102T150405Z"

// Key returns a short stable string naming the period, the same for every instant inside it:
// "until-20261130T080000Z" (the reopening instant in UTC), or "since-20261127T170000Z" when the
// schedule never reopens within SearchHorizon, or "closed" when neither end is known. The desk
// uses it in the idempotency key "ooo:<conversation>:<key>" so the out-of-office message goes out
// once per closed period. The key follows the reopening instant: if the configuration is edited so
// that the reopening moves, the key changes too, which is what a message announcing that time needs.
func (p Period) Key() string {
	switch {
	case !p.End.IsZero():
		return "until-" + p.End.UTC().Format(keyLayout)
	case !p.Start.IsZero():
		return "since-" + p.Start.UTC().Format(keyLayout)
	}
	return "closed"
}

// ClosedPeriod returns the closed period containing t, and false when the schedule is open at t
// (a disabled schedule is always open). Both bounds are in the schedule's Location.
func (s *Schedule) ClosedPeriod(t time.Time) (Period, bool) {
	if s.IsOpen(t) {
		return Period{}, false
	}
	var p Period
	if end, ok := s.NextOpen(t); ok {
		p.End = end
	}
	if start, ok := s.lastClose(t); ok {
		p.Start = start
	}
	return p, true
}
