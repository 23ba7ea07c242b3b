package hours

import "time"

// SearchHorizon bounds the searches of NextOpen, NextClose and ClosedPeriod: they look at most
// this far after (or, for the start of a closed period, before) the instant they are given, and
// report "never" beyond it. Two years covers any real closure while keeping the search bounded: a
// search that finds nothing scans every day of the horizon (2 to 20 µs), except for a schedule
// with no ranges at all, which answers at once.
const SearchHorizon = 2 * 366 * 24 * time.Hour

const horizonSeconds = int64(SearchHorizon / time.Second)

// How the searches handle time zones: within one zone period (between two transitions, as told by
// time.Time.ZoneBounds) the UTC offset is constant, so the wall clock moves in step with the
// instant and the first open (or closed) wall-clock second after t's wall time, converted back with
// that offset, is the answer if it falls inside the period. Otherwise the search restarts at the
// next transition, where the wall clock jumps: a range starting in a spring-forward gap therefore
// opens at the first instant after the gap, and a range the autumn repeat re-enters opens again at
// the transition. The answers are the instants where IsOpen changes.

// NextOpen returns the first instant at or after t at which the schedule is open: t itself when
// open at t, otherwise the instant a range starts (or a time-zone transition re-opens it). The
// result is in the schedule's Location. ok is false when the schedule does not open within
// SearchHorizon after t. A disabled schedule is always open, so it returns t.
func (s *Schedule) NextOpen(t time.Time) (next time.Time, ok bool) {
	if !s.Enabled() {
		return t.In(s.Location()), true
	}
	limit := t.Unix() + horizonSeconds
	for cur := t.Unix(); ; {
		lt := time.Unix(cur, 0).In(s.loc)
		_, off := lt.Zone()
		_, zoneEnd := lt.ZoneBounds()
		w := cur + int64(off)
		start, _, _, found := s.nextInterval(w, floorDiv(limit+int64(off), secondsPerDay))
		if !found {
			return time.Time{}, false
		}
		if start <= w {
			return s.instant(t, cur), true
		}
		at := start - int64(off)
		if zoneEnd.IsZero() || at < zoneEnd.Unix() {
			if at > limit {
				return time.Time{}, false
			}
			return time.Unix(at, 0).In(s.loc), true
		}
		if zoneEnd.Unix() > limit {
			return time.Time{}, false
		}
		cur = zoneEnd.Unix()
	}
}

// NextClose returns the first instant at or after t at which the schedule is closed: t itself when
// closed at t, otherwise the end of the opening that contains t (adjacent ranges, even across
// midnight, make one opening). The result is in the schedule's Location. ok is false when the
// schedule does not close within SearchHorizon after t, and always for a disabled schedule.
func (s *Schedule) NextClose(t time.Time) (next time.Time, ok bool) {
	if !s.Enabled() {
		return time.Time{}, false
	}
	limit := t.Unix() + horizonSeconds
	for cur := t.Unix(); ; {
		lt := time.Unix(cur, 0).In(s.loc)
		_, off := lt.Zone()
		_, zoneEnd := lt.ZoneBounds()
		w := cur + int64(off)
		start, end, endKnown, found := s.nextInterval(w, floorDiv(limit+int64(off), secondsPerDay))
		if !found || start > w {
			return s.instant(t, cur), true
		}
		if !endKnown {
			return time.Time{}, false
		}
		at := end - int64(off)
		if zoneEnd.IsZero() || at < zoneEnd.Unix() {
			if at > limit {
				return time.Time{}, false
			}
			return time.Unix(at, 0).In(s.loc), true
		}
		if zoneEnd.Unix() > limit {
			return time.Time{}, false
		}
		cur = zoneEnd.Unix()
	}
}

// lastClose returns the latest instant at or before t at which the schedule went from open to
// closed; t must be closed. ok is false when it was not open within SearchHorizon before t.
func (s *Schedule) lastClose(t time.Time) (time.Time, bool) {
	limit := t.Unix() - horizonSeconds
	for cur := t.Unix(); ; {
		lt := time.Unix(cur, 0).In(s.loc)
		_, off := lt.Zone()
		zoneStart, _ := lt.ZoneBounds()
		w := cur + int64(off)
		end, found := s.prevEnd(w, floorDiv(limit+int64(off), secondsPerDay))
		if !found {
			return time.Time{}, false
		}
		// Closed from the wall-clock end back in this zone period; if that end is not inside the
		// period, the period is closed throughout and the answer lies before it.
		if at := end - int64(off); zoneStart.IsZero() || at > zoneStart.Unix() {
			if at < limit {
				return time.Time{}, false
			}
			return time.Unix(at, 0).In(s.loc), true
		}
		if zoneStart.Unix() <= limit {
			return time.Time{}, false
		}
		before := zoneStart.Unix() - 1
		if s.openWall(s.wall(time.Unix(before, 0))) {
			return zoneStart.In(s.loc), true // the transition itself closed it
		}
		cur = before
	}
}

// instant returns the search position cur as a time in the schedule's zone, keeping t's
// sub-second part when cur is t's own second.
func (s *Schedule) instant(t time.Time, cur int64) time.Time {
	if cur == t.Unix() {
		return t.In(s.loc)
	}
	return time.Unix(cur, 0).In(s.loc)
}

// nextInterval returns the first opening [start, end) in wall-clock seconds that ends after the
// wall-clock second w, merging ranges that touch or overlap (also across midnight). It looks at
// days up to lastDay; endKnown is false when the opening may go on past lastDay. found is false
// when there is no opening up to lastDay.
func (s *Schedule) nextInterval(w, lastDay int64) (start, end int64, endKnown, found bool) {
	if s.never {
		return 0, 0, false, false
	}
	first := floorDiv(w, secondsPerDay) - 1
	if s.onlyOneOff {
		// No opening starts outside [firstOpen, lastOpen]: skip the closed days around them.
		first, lastDay = max(first, s.firstOpen), min(lastDay, s.lastOpen+1)
	}
	// Ranges of the day before can run into w's day; earlier ones end before it. Days are visited
	// in order and each day's spans are sorted, and a day's spans all start within the day, so
	// spans come in order of start.
	have := false
	for n := first; n <= lastDay; n++ {
		base := n * secondsPerDay
		for _, sp := range s.day(n).spans {
			a, e := base+int64(sp.start)*60, base+int64(sp.end)*60
			if have && a <= end {
				end = max(end, e)
				continue
			}
			if have && end > w {
				return start, end, true, true
			}
			start, end, have = a, e, true
		}
		// Later days' spans start at the next midnight or after: an opening ending before it
		// is complete.
		if have && end > w && end < base+secondsPerDay {
			return start, end, true, true
		}
	}
	if have && end > w {
		return start, end, false, true
	}
	return 0, 0, false, false
}

// prevEnd returns the latest end, at or before the wall-clock second w, of a range, looking back
// to firstDay. When w is closed that end is where the schedule last closed: a range covering it
// would reach past w.
func (s *Schedule) prevEnd(w, firstDay int64) (end int64, found bool) {
	if s.never {
		return 0, false
	}
	stop, n := firstDay, floorDiv(w, secondsPerDay)
	if s.onlyOneOff {
		// No range starts outside [firstOpen, lastOpen]: skip the closed days around them.
		stop, n = max(stop, s.firstOpen), min(n, s.lastOpen+1)
	}
	for ; n >= stop; n-- {
		base := n * secondsPerDay
		for _, sp := range s.day(n).spans {
			if e := base + int64(sp.end)*60; e <= w && (!found || e > end) {
				end, found = e, true
			}
		}
		// Spans of day n end after the midnight that starts it, and those of day n-2 and before
		// (which last under a day) end before it, so once day n gave an end only day n-1 can
		// beat it.
		if found && stop < n-1 {
			stop = n - 1
		}
	}
	return end, found
}
