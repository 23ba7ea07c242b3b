package hours

import (
	"strings"
	"time"
)

// NextOpenPlaceholder is replaced in the out-of-office message by the next opening time.
const NextOpenPlaceholder = "{{next_open}}"

// NextOpenLayout is the time.Format layout of the next opening time in the out-of-office message;
// it is followed by the zone's IANA name in parentheses: "2026-11-30 09:00 (Europe/Paris)". It
// uses no words, so it reads the same in every language, and the zone name is unambiguous where
// abbreviations are not (CST).
const NextOpenLayout = "2006-01-02 15:04"

// OutOfOfficeText returns the out-of-office message for a customer writing at t, with every
// NextOpenPlaceholder replaced by NextOpen(t) written as NextOpenLayout plus the zone name, e.g.
// "We are back 2026-11-30 09:00 (Europe/Paris)." When the schedule does not open again within
// SearchHorizon, the placeholder is removed along with the space before it, a space after it is
// kept only if words follow ("We are back {{next_open}}." gives "We are back."), and a line
// holding only the placeholder is removed. It does not
// check whether the schedule is closed at t: if open, the time is t's own.
func (s *Schedule) OutOfOfficeText(t time.Time) string {
	if s == nil || !strings.Contains(s.message, NextOpenPlaceholder) {
		if s == nil {
			return ""
		}
		return s.message
	}
	if next, ok := s.NextOpen(t); ok {
		return strings.ReplaceAll(s.message, NextOpenPlaceholder, formatNextOpen(next))
	}
	return removePlaceholder(s.message)
}

func formatNextOpen(t time.Time) string {
	return t.Format(NextOpenLayout) + " (" + t.Location().String() + ")"
}

// removePlaceholder deletes every placeholder without leaving doubled spaces or a space before
// punctuation.
func removePlaceholder(msg string) string {
	var b strings.Builder
	rest := msg
	for {
		before, after, found := strings.Cut(rest, NextOpenPlaceholder)
		if !found {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(strings.TrimRight(before, " \t"))
		after = strings.TrimLeft(after, " \t")
		if lineStart(b.String()) { // the placeholder was alone on its line: drop the line
			if rest, ok := strings.CutPrefix(after, "\r\n"); ok {
				after = rest
			} else {
				after = strings.TrimPrefix(after, "\n")
			}
		}
		if joinsWithSpace(b.String(), after) {
			b.WriteByte(' ')
		}
		rest = after
	}
}

// joinsWithSpace reports whether text before and after a removed placeholder needs a space
// between them: not at the start of a line, not before punctuation or a line end, and not when
// the next part begins with another placeholder (that one decides).
func joinsWithSpace(before, after string) bool {
	if lineStart(before) || strings.HasSuffix(before, "(") {
		return false
	}
	if after == "" || strings.HasPrefix(after, NextOpenPlaceholder) {
		return false
	}
	return !strings.ContainsRune(".,;:!?)\n\r", rune(after[0]))
}

func lineStart(before string) bool { return before == "" || strings.HasSuffix(before, "\n") }
