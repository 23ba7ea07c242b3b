package hours_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/hours"
)

func TestOutOfOfficeText(t *testing.T) {
	office := weekdays("09:00-18:00")
	withMessage := func(zone string, w hours.Week, msg string) hours.BusinessHours {
		b := in(zone, w)
		b.OutOfOfficeMessage = msg
		return b
	}
	tests := []struct {
		rule string
		b    hours.BusinessHours
		at   string
		want string
	}{
		{"placeholder replaced by the next opening in the schedule's zone",
			withMessage("Europe/Paris", office, "We are closed. We are back {{next_open}}."), "2026-11-27T19:00:00+01:00",
			"We are closed. We are back 2026-11-30 09:00 (Europe/Paris)."},
		{"written in the schedule's zone whatever t's zone",
			withMessage("America/New_York", office, "Back {{next_open}}"), "2026-11-28T00:00:00Z",
			"Back 2026-11-30 09:00 (America/New_York)"},
		{"UTC schedule", withMessage("", office, "Back {{next_open}}"), "2026-11-28T00:00:00Z", "Back 2026-11-30 09:00 (UTC)"},
		{"every placeholder replaced", withMessage("Asia/Tokyo", office, "{{next_open}} / {{next_open}}"), "2026-11-28T00:00:00Z",
			"2026-11-30 09:00 (Asia/Tokyo) / 2026-11-30 09:00 (Asia/Tokyo)"},
		{"no placeholder: the message as written", withMessage("Europe/Paris", office, "We are closed."), "2026-11-27T19:00:00+01:00", "We are closed."},
		{"no message", withMessage("Europe/Paris", office, ""), "2026-11-27T19:00:00+01:00", ""},
		{"open at t: t's own time", withMessage("Europe/Paris", office, "Back {{next_open}}"), "2026-11-27T10:00:00+01:00",
			"Back 2026-11-27 10:00 (Europe/Paris)"},
		{"never opens: removed before punctuation", withMessage("Europe/Paris", hours.Week{}, "We are closed. We are back {{next_open}}."),
			"2026-11-27T19:00:00+01:00", "We are closed. We are back."},
		{"never opens: removed between words", withMessage("Europe/Paris", hours.Week{}, "Back {{next_open}} as usual"),
			"2026-11-27T19:00:00+01:00", "Back as usual"},
		{"never opens: removed at the start", withMessage("Europe/Paris", hours.Week{}, "{{next_open}} is when we reopen"),
			"2026-11-27T19:00:00+01:00", "is when we reopen"},
		{"never opens: removed at the end", withMessage("Europe/Paris", hours.Week{}, "Back on  {{next_open}}  "),
			"2026-11-27T19:00:00+01:00", "Back on"},
		{"never opens: a line holding only the placeholder goes", withMessage("Europe/Paris", hours.Week{}, "Closed.\n{{next_open}}\nThanks"),
			"2026-11-27T19:00:00+01:00", "Closed.\nThanks"},
		{"never opens: a placeholder alone on the first line", withMessage("Europe/Paris", hours.Week{}, "{{next_open}}\r\nThanks"),
			"2026-11-27T19:00:00+01:00", "Thanks"},
		{"never opens: two placeholders", withMessage("Europe/Paris", hours.Week{}, "A {{next_open}} {{next_open}} B"),
			"2026-11-27T19:00:00+01:00", "A B"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			s := mustCompile(t, tt.b)
			require.Equal(t, tt.want, s.OutOfOfficeText(instant(t, tt.at)))
		})
	}
}
