package hours

import "fmt"

// Range is a span of wall-clock time within one day, written "HH:MM-HH:MM" (two digits each,
// 24-hour clock), for example "09:00-18:00".
//
// A range is half-open, [start, end), at minute precision: "09:00-18:00" is open at 17:59:59 and
// closed at 18:00. "00:00-24:00" is the whole day. A range whose end is not after its start, such
// as "22:00-02:00", is overnight: it belongs to the day it starts on and runs past midnight into
// the next day ("22:00-00:00" is the same as "22:00-24:00"). A range cannot be empty
// ("09:00-09:00") and cannot start at 24:00.
//
// Range is a string so that a configuration reads the same in Go and in JSON; Validate and
// Compile check it.
type Range string

// minutesPerDay is the length of a wall-clock day; a parsed range end can go up to twice that
// (an overnight range ends on the next day).
const minutesPerDay = 24 * 60

// span is a parsed Range in minutes after the midnight of the day it belongs to. end is in
// (start, start+1440]; end > 1440 marks an overnight range.
type span struct {
	start, end int32
}

// parse checks r and returns it in minutes. The error message is meant to follow a field path.
func (r Range) parse() (span, *FieldError) {
	s := string(r)
	if len(s) != 11 || s[2] != ':' || s[5] != '-' || s[8] != ':' ||
		!digits(s[0:2]) || !digits(s[3:5]) || !digits(s[6:8]) || !digits(s[9:11]) {
		return span{}, &FieldError{Kind: ErrRange,
			Msg: fmt.Sprintf(`%q is not "HH:MM-HH:MM"; write it like "09:00-18:00"`, s)}
	}
	sh, sm := atoi2(s[0:2]), atoi2(s[3:5])
	eh, em := atoi2(s[6:8]), atoi2(s[9:11])
	if sh == 24 && sm == 0 {
		return span{}, &FieldError{Kind: ErrRange,
			Msg: fmt.Sprintf("%q starts at 24:00; start it at 00:00 of the next day instead", s)}
	}
	if msg := clockProblem(sh, sm); msg != "" {
		return span{}, &FieldError{Kind: ErrRange, Msg: fmt.Sprintf("%q: %s", s, msg)}
	}
	if !(eh == 24 && em == 0) {
		if msg := clockProblem(eh, em); msg != "" {
			return span{}, &FieldError{Kind: ErrRange, Msg: fmt.Sprintf("%q: %s", s, msg)}
		}
	}
	start, end := int32(sh*60+sm), int32(eh*60+em)
	if start == end {
		return span{}, &FieldError{Kind: ErrEmptyRange,
			Msg: fmt.Sprintf(`%q is empty (it starts and ends at the same minute); for a whole day write "00:00-24:00"`, s)}
	}
	if end < start {
		end += minutesPerDay // overnight: ends on the next day
	}
	return span{start, end}, nil
}

// clockProblem says why hh:mm is not a time of day, or returns "".
func clockProblem(hh, mm int) string {
	switch {
	case hh == 24:
		return fmt.Sprintf("%02d:%02d is not a time of day; only 24:00 may follow 23:59", hh, mm)
	case hh > 23:
		return fmt.Sprintf("%02d:%02d is not a time of day; hours go from 00 to 23 (24:00 only as an end)", hh, mm)
	case mm > 59:
		return fmt.Sprintf("%02d:%02d is not a time of day; minutes go from 00 to 59", hh, mm)
	}
	return ""
}

// overnight reports whether the span runs past the midnight that ends its day.
func (s span) overnight() bool { return s.end > minutesPerDay }

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi2 converts two ASCII digits already checked by digits.
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
