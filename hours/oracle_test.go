package hours_test

import (
	"fmt"
	"strconv"
	"time"

	"github.com/livedesk/livedesk/hours"
)

// The oracle answers "is it open?" straight from the BusinessHours text, with the time package
// doing every date computation and none of the package's code involved, so that the property
// tests compare two independent implementations of the rules in the package documentation.

// oracleOpen reports whether b is open at t.
func oracleOpen(b hours.BusinessHours, loc *time.Location, t time.Time) bool {
	if !b.Enabled {
		return true
	}
	lt := t.In(loc)
	minute := lt.Hour()*60 + lt.Minute()
	y, m, d := lt.Date()
	today := time.Date(y, m, d, 12, 0, 0, 0, time.UTC) // a civil date; noon avoids any edge
	for _, r := range oracleRanges(b, today) {
		start, end := oracleParse(r)
		if end > start && minute >= start && minute < end {
			return true
		}
		if end <= start && minute >= start { // overnight, today's part
			return true
		}
	}
	for _, r := range oracleRanges(b, today.AddDate(0, 0, -1)) {
		start, end := oracleParse(r)
		if end <= start && minute < end { // overnight from yesterday, the part after midnight
			return true
		}
	}
	return false
}

// oracleRanges returns the ranges in force on a civil date: a one-off exception, else a yearly
// one, else the weekday's.
func oracleRanges(b hours.BusinessHours, day time.Time) []hours.Range {
	if len(b.Exceptions) == 0 {
		return b.Week[day.Weekday()]
	}
	iso := day.Format("2006-01-02")
	for _, ex := range b.Exceptions {
		if !ex.Yearly && ex.Date == iso {
			return ex.Ranges
		}
	}
	for _, ex := range b.Exceptions {
		if ex.Yearly && ex.Date[4:] == iso[4:] {
			return ex.Ranges
		}
	}
	return b.Week[day.Weekday()]
}

func oracleParse(r hours.Range) (start, end int) {
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			panic(fmt.Sprintf("oracle: range %q: %v", r, err))
		}
		return n
	}
	return num(string(r[0:2]))*60 + num(string(r[3:5])), num(string(r[6:8]))*60 + num(string(r[9:11]))
}

// timeline is the oracle's state at every UTC minute of a window. In the zones tested, offsets and
// transitions fall on whole minutes, so IsOpen can only change on a UTC minute.
type timeline struct {
	from time.Time // a whole UTC minute
	open []bool    // open[i] is the state during minute i after from
}

func newTimeline(b hours.BusinessHours, loc *time.Location, from time.Time, minutes int) timeline {
	tl := timeline{from: from.Truncate(time.Minute), open: make([]bool, minutes)}
	for i := range tl.open {
		tl.open[i] = oracleOpen(b, loc, tl.minute(i))
	}
	return tl
}

func (tl timeline) minute(i int) time.Time { return tl.from.Add(time.Duration(i) * time.Minute) }

func (tl timeline) index(t time.Time) int { return int(t.Sub(tl.from) / time.Minute) }

// next returns the first instant at or after t (inside the window) whose state is want.
func (tl timeline) next(t time.Time, want bool) (time.Time, bool) {
	i := tl.index(t)
	if tl.open[i] == want {
		return t, true
	}
	for i++; i < len(tl.open); i++ {
		if tl.open[i] == want {
			return tl.minute(i), true
		}
	}
	return time.Time{}, false
}

// lastClose returns the latest minute at or before t (closed) that follows an open minute.
func (tl timeline) lastClose(t time.Time) (time.Time, bool) {
	for i := tl.index(t); i > 0; i-- {
		if tl.open[i-1] && !tl.open[i] {
			return tl.minute(i), true
		}
	}
	return time.Time{}, false
}
