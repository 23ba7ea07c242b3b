package hours

import (
	"fmt"
	"time"
)

// date is a calendar date in the proleptic Gregorian calendar.
type date struct {
	year  int
	month time.Month
	day   int
}

// parseDate checks an exception date written "YYYY-MM-DD".
func parseDate(s string) (date, *FieldError) {
	if s == "" {
		return date{}, &FieldError{Kind: ErrDate, Msg: `missing; write the day as "YYYY-MM-DD", e.g. "2026-12-25"`}
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[0:4]) || !digits(s[5:7]) || !digits(s[8:10]) {
		return date{}, &FieldError{Kind: ErrDate, Msg: fmt.Sprintf(`%q is not "YYYY-MM-DD"; write it like "2026-12-25"`, s)}
	}
	d := date{
		year:  atoi2(s[0:2])*100 + atoi2(s[2:4]),
		month: time.Month(atoi2(s[5:7])),
		day:   atoi2(s[8:10]),
	}
	switch {
	case d.month < 1 || d.month > 12:
		return date{}, &FieldError{Kind: ErrDate, Msg: fmt.Sprintf("%q does not exist: months go from 01 to 12", s)}
	case d.day < 1:
		return date{}, &FieldError{Kind: ErrDate, Msg: fmt.Sprintf("%q does not exist: days start at 01", s)}
	case d.day > daysIn(d.year, d.month):
		return date{}, &FieldError{Kind: ErrDate, Msg: fmt.Sprintf("%q does not exist: %s %d has %d days",
			s, d.month, d.year, daysIn(d.year, d.month))}
	}
	return d, nil
}

func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// Day numbers count days since 1970-01-01 (day 0, a Thursday) in wall-clock terms: they number
// local calendar days, not UTC ones.

// dayNumber returns the day number of d (Howard Hinnant's days_from_civil).
func (d date) dayNumber() int64 {
	y, m := int64(d.year), int64(d.month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + int64(d.day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil returns the month and day of a day number (Howard Hinnant's civil_from_days; the year is
// not needed by the callers).
func civil(n int64) (month, day int) {
	z := n + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		return int(mp + 3), day
	}
	return int(mp - 9), day
}

// weekday returns the weekday of a day number.
func weekday(n int64) time.Weekday {
	return time.Weekday(floorMod(n+4, 7)) // day 0 was a Thursday
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
