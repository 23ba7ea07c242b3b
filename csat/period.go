package csat

import (
	"math"
	"time"
)

// Period is the length of a report's time buckets.
type Period string

// Periods. Buckets are calendar periods in the report's time zone, so a day is
// 23 or 25 hours long across a daylight-saving change.
const (
	PeriodNone  Period = ""      // no per-period breakdown
	PeriodDay   Period = "day"   // from midnight to midnight
	PeriodWeek  Period = "week"  // ISO weeks: Monday 00:00 to the next Monday
	PeriodMonth Period = "month" // from the 1st 00:00 to the next 1st
)

// valid reports a known period.
func (p Period) valid() bool {
	switch p {
	case PeriodNone, PeriodDay, PeriodWeek, PeriodMonth:
		return true
	}
	return false
}

// Start returns the start of the period holding t, in loc (nil: UTC). It
// returns t unchanged for PeriodNone or an unknown period.
func (p Period) Start(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	if !p.valid() || p == PeriodNone {
		return t
	}
	_, off := t.In(loc).Zone()
	return p.keyStart(p.key(localDay(t.Unix(), int64(off))), loc)
}

// Next returns the start of the period after the one starting at start,
// computed in start's location.
func (p Period) Next(start time.Time) time.Time {
	y, m, d := start.Date()
	loc := start.Location()
	switch p {
	case PeriodDay:
		return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	case PeriodWeek:
		return time.Date(y, m, d+7, 0, 0, 0, 0, loc)
	case PeriodMonth:
		return time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
	}
	return start
}

// key identifies the period holding local day number day (days since
// 1970-01-01 in the report's zone): the day itself, the day of its week's
// Monday, or the month counted from year 0.
func (p Period) key(day int64) int64 {
	switch p {
	case PeriodWeek:
		return day - floorMod(day+3, 7) // 1970-01-01 was a Thursday (Monday+3)
	case PeriodMonth:
		y, m, _ := civil(day)
		return y*12 + int64(m-1)
	}
	return day
}

// keyStart is the start time of the period identified by key.
func (p Period) keyStart(key int64, loc *time.Location) time.Time {
	if p == PeriodMonth {
		return time.Date(int(floorDiv(key, 12)), time.Month(floorMod(key, 12)+1), 1, 0, 0, 0, 0, loc)
	}
	y, m, d := civil(key)
	return time.Date(int(y), m, d, 0, 0, 0, 0, loc)
}

// localDay is the local day number of Unix time sec at UTC offset off seconds.
func localDay(sec, off int64) int64 { return floorDiv(sec+off, 86400) }

// civil converts a day number (days since 1970-01-01) to a date, with Howard
// Hinnant's days-to-civil algorithm: exact for the proleptic Gregorian
// calendar, integer arithmetic only, much cheaper than time.Time.Date.
func civil(day int64) (year int64, month time.Month, dom int) {
	z := day + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return y, time.Month(m), int(d)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// zoneCache remembers the UTC offsets of the last few zone spans seen (a zone
// span is the time between two daylight-saving changes), so bucketing a
// million entries does not look the zone up a million times.
type zoneCache struct {
	loc   *time.Location
	spans [4]zoneSpan
	n     int // spans filled; the next one replaced is n % len(spans)
}

type zoneSpan struct {
	start, end int64 // Unix seconds, [start, end)
	off        int64
}

// offset returns loc's UTC offset at Unix time sec, t being that instant.
func (z *zoneCache) offset(t time.Time, sec int64) int64 {
	for i := 0; i < z.n && i < len(z.spans); i++ {
		if s := &z.spans[i]; sec >= s.start && sec < s.end {
			return s.off
		}
	}
	lt := t.In(z.loc)
	_, off := lt.Zone()
	from, to := lt.ZoneBounds()
	s := zoneSpan{start: math.MinInt64, end: math.MaxInt64, off: int64(off)}
	if !from.IsZero() {
		s.start = from.Unix()
	}
	if !to.IsZero() {
		s.end = to.Unix()
	}
	z.spans[z.n%len(z.spans)] = s
	z.n++
	return s.off
}
