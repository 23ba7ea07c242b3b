package hours

import (
	"cmp"
	"slices"
	"time"
)

// Schedule is a compiled BusinessHours, ready for fast queries. It is immutable and safe for
// concurrent use. Every query takes the instant as an argument and evaluates it in the schedule's
// zone: t.In(Location()) gives a local date and a minute of the day, and the schedule of that
// date (its exception, or else its weekday) plus the previous date's overnight spill-over say
// whether it is open. IsOpen is therefore a function of wall-clock time.
//
// A nil *Schedule, like a zero Schedule, behaves like a disabled one: always open, in UTC.
type Schedule struct {
	enabled bool
	loc     *time.Location
	message string

	week        [7]daySched
	oneOff      []dated       // one-off exceptions, sorted by day
	yearly      [13][32]int16 // [month][day] -> 1 + index in yearlySched, 0 if none
	yearlySched []daySched    // yearly exceptions
	hasExcept   bool          // any exception at all: skips date lookups when false
	maxSpill    int32         // the longest spill-over of any day: skips the previous-day check
	never       bool          // no day has a range: searches need not scan the horizon
	// onlyOneOff: only one-off exceptions have ranges (not the week, not a yearly exception), so
	// every opening starts on a day in [firstOpen, lastOpen] and searches stop there.
	onlyOneOff          bool
	firstOpen, lastOpen int64
}

// daySched is the compiled schedule of one calendar day: what the week or an exception gives it.
type daySched struct {
	spans []span // sorted by start
	spill int32  // minutes after the next midnight covered by an overnight span; 0 if none
}

// dated is a one-off exception's day number and schedule.
type dated struct {
	day   int64
	sched daySched
}

func newDaySched(rs []indexed) daySched {
	var ds daySched
	for _, r := range rs {
		ds.spans = append(ds.spans, r.span)
		if r.overnight() {
			ds.spill = max(ds.spill, r.end-minutesPerDay)
		}
	}
	return ds
}

// finish indexes what compile filed.
func (s *Schedule) finish() {
	slices.SortFunc(s.oneOff, func(a, b dated) int { return cmp.Compare(a.day, b.day) })
	s.hasExcept = len(s.oneOff)+len(s.yearlySched) > 0
	repeats, oneOffOpen := false, false // the week or a yearly exception has a range; a one-off has
	for _, ds := range s.week {
		s.maxSpill = max(s.maxSpill, ds.spill)
		repeats = repeats || len(ds.spans) > 0
	}
	for _, ds := range s.yearlySched {
		s.maxSpill = max(s.maxSpill, ds.spill)
		repeats = repeats || len(ds.spans) > 0
	}
	for _, d := range s.oneOff { // sorted by day
		s.maxSpill = max(s.maxSpill, d.sched.spill)
		if len(d.sched.spans) > 0 {
			if !oneOffOpen {
				s.firstOpen = d.day
			}
			s.lastOpen, oneOffOpen = d.day, true
		}
	}
	s.never = !repeats && !oneOffOpen
	s.onlyOneOff = !repeats && oneOffOpen
}

// Location returns the schedule's time zone (UTC for a nil Schedule).
func (s *Schedule) Location() *time.Location {
	if s == nil || s.loc == nil { // nil or a zero Schedule{}, which is disabled
		return time.UTC
	}
	return s.loc
}

// Enabled reports whether the schedule was compiled from an enabled BusinessHours. A disabled
// schedule is always open.
func (s *Schedule) Enabled() bool { return s != nil && s.enabled }

// IsOpen reports whether the schedule is open at t: whether t's wall-clock time in the schedule's
// zone falls in a range of its local date, or in the part after midnight of an overnight range of
// the day before. Both instants of a repeated autumn hour get the same answer. A disabled schedule
// is always open. IsOpen does not allocate.
func (s *Schedule) IsOpen(t time.Time) bool {
	if !s.Enabled() {
		return true
	}
	return s.openWall(s.wall(t))
}

// wall returns t's wall-clock time in the schedule's zone as seconds since 1970-01-01 00:00 of
// the wall clock, so that day numbers and minutes follow by division.
func (s *Schedule) wall(t time.Time) int64 {
	_, off := t.In(s.loc).Zone()
	return t.Unix() + int64(off)
}

// openWall reports whether the wall-clock second w is open.
func (s *Schedule) openWall(w int64) bool {
	n := floorDiv(w, secondsPerDay)
	m := int32((w - n*secondsPerDay) / 60)
	for _, sp := range s.day(n).spans {
		if m < sp.start {
			break
		}
		if m < sp.end {
			return true
		}
	}
	return m < s.maxSpill && m < s.day(n-1).spill
}

const secondsPerDay = 24 * 60 * 60

// day returns the schedule of day number n: its one-off exception, else its yearly exception,
// else its weekday.
func (s *Schedule) day(n int64) *daySched {
	if s.hasExcept {
		if k := len(s.oneOff); k > 0 && n >= s.oneOff[0].day && n <= s.oneOff[k-1].day {
			if i, found := slices.BinarySearchFunc(s.oneOff, n, func(d dated, n int64) int {
				return cmp.Compare(d.day, n)
			}); found {
				return &s.oneOff[i].sched
			}
		}
		if len(s.yearlySched) > 0 {
			m, d := civil(n)
			if k := s.yearly[m][d]; k > 0 {
				return &s.yearlySched[k-1]
			}
		}
	}
	return &s.week[weekday(n)]
}
