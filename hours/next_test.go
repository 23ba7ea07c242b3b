package hours_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/hours"
)

// twoWeeksOff closes 2026-12-21 to 2027-01-03.
func twoWeeksOff() []hours.Exception {
	var out []hours.Exception
	for d := time.Date(2026, 12, 21, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		out = append(out, hours.Exception{Name: "winter break", Date: d.Format("2006-01-02"), Closed: true})
	}
	return out
}

func TestNextOpen(t *testing.T) {
	office := in("Europe/Paris", weekdays("09:00-12:30", "14:00-18:00"))
	tests := []struct {
		rule string
		b    hours.BusinessHours
		from string
		want string // "" when it never opens within the horizon
	}{
		{"open at t returns t itself", office, "2026-11-30T10:00:00.5+01:00", "2026-11-30T10:00:00.5+01:00"},
		{"open on the opening minute returns t", office, "2026-11-30T09:00:00+01:00", "2026-11-30T09:00:00+01:00"},
		{"lunch break: the afternoon range", office, "2026-11-30T12:30:00+01:00", "2026-11-30T14:00:00+01:00"},
		{"evening: next morning", office, "2026-11-30T18:00:00+01:00", "2026-12-01T09:00:00+01:00"},
		{"early morning: the same morning", office, "2026-11-30T03:00:00+01:00", "2026-11-30T09:00:00+01:00"},
		{"sub-second before opening: the opening", office, "2026-11-30T08:59:59.999+01:00", "2026-11-30T09:00:00+01:00"},
		{"weekend: Monday", office, "2026-11-27T18:00:00+01:00", "2026-11-30T09:00:00+01:00"},
		{"overnight range opens in the evening", in("Europe/Paris", hours.Week{time.Friday: {"22:00-02:00"}}), "2026-11-27T20:00:00+01:00", "2026-11-27T22:00:00+01:00"},
		{"long closure: two weeks of holidays", in("Europe/Paris", office.Week, twoWeeksOff()...), "2026-12-18T18:00:00+01:00", "2027-01-04T09:00:00+01:00"},
		{"year end: Dec 31 evening to Jan 1", in("Europe/Paris", hours.Week{time.Friday: {"09:00-18:00"}}), "2026-12-31T18:00:00+01:00", "2027-01-01T09:00:00+01:00"},
		{"year end: yearly New Year closure skips Jan 1", in("Europe/Paris", office.Week, yearlyClosed("2000-01-01")), "2026-12-31T18:00:00+01:00", "2027-01-04T09:00:00+01:00"},
		{"rare opening a year ahead is found", in("Europe/Paris", hours.Week{}, special("2027-11-26", "09:00-10:00")), "2026-11-27T10:00:00+01:00", "2027-11-26T09:00:00+01:00"},
		{"opening beyond the horizon is never", in("Europe/Paris", hours.Week{}, special("2029-11-27", "09:00-10:00")), "2026-11-27T10:00:00+01:00", ""},
		{"never open", in("Europe/Paris", hours.Week{}), "2026-11-27T10:00:00+01:00", ""},
		{"disabled: open now", hours.BusinessHours{TimeZone: "Europe/Paris"}, "2026-11-29T03:00:00+01:00", "2026-11-29T03:00:00+01:00"},

		{"DST Paris spring: range starting in the gap opens at the gap's end", in("Europe/Paris", hours.Week{time.Sunday: {"02:30-04:00"}}), "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z"},
		{"DST Paris autumn: re-opens at the transition", in("Europe/Paris", hours.Week{time.Sunday: {"02:00-02:30"}}), "2026-10-25T00:40:00Z", "2026-10-25T01:00:00Z"},
		{"DST Paris autumn: after the repeat, next week", in("Europe/Paris", hours.Week{time.Sunday: {"02:00-02:30"}}), "2026-10-25T01:30:00Z", "2026-11-01T01:00:00Z"},
		{"DST New York spring: a range inside the gap is skipped that day", in("America/New_York", hours.Week{time.Sunday: {"02:00-02:30"}}), "2026-03-08T06:00:00Z", "2026-03-15T06:00:00Z"},
		{"DST New York autumn: the repeated 01:00", in("America/New_York", hours.Week{time.Sunday: {"01:00-01:30"}}), "2026-11-01T05:40:00Z", "2026-11-01T06:00:00Z"},
		{"DST Sydney spring: Friday evening to Monday across the change", in("Australia/Sydney", weekdays("09:00-17:00")), "2026-10-02T07:00:00Z", "2026-10-04T22:00:00Z"},
		{"DST Sydney autumn: the repeated 02:00", in("Australia/Sydney", hours.Week{time.Sunday: {"02:00-02:30"}}), "2026-04-04T15:40:00Z", "2026-04-04T16:00:00Z"},
		{"no DST Tokyo: Friday evening to Monday 09:00 JST", in("Asia/Tokyo", weekdays("09:00-18:00")), "2026-11-27T09:00:00Z", "2026-11-30T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			s := mustCompile(t, tt.b)
			got, ok := s.NextOpen(instant(t, tt.from))
			if tt.want == "" {
				require.False(t, ok, "got %s", got)
				require.True(t, got.IsZero())
				return
			}
			require.True(t, ok)
			require.Equal(t, instant(t, tt.want).In(s.Location()), got)
			require.True(t, s.IsOpen(got))
		})
	}
}

func TestNextClose(t *testing.T) {
	office := in("Europe/Paris", weekdays("09:00-12:30", "14:00-18:00"))
	tests := []struct {
		rule string
		b    hours.BusinessHours
		from string
		want string // "" when it never closes within the horizon
	}{
		{"closed at t returns t itself", office, "2026-11-30T19:00:00.25+01:00", "2026-11-30T19:00:00.25+01:00"},
		{"open: the end of the range", office, "2026-11-30T10:00:00+01:00", "2026-11-30T12:30:00+01:00"},
		{"closing minute is the close", office, "2026-11-30T17:59:59+01:00", "2026-11-30T18:00:00+01:00"},
		{"touching ranges make one opening", in("Europe/Paris", weekdays("09:00-12:00", "12:00-18:00")), "2026-11-30T10:00:00+01:00", "2026-11-30T18:00:00+01:00"},
		{"overnight: closes the next day", in("Europe/Paris", hours.Week{time.Friday: {"22:00-02:00"}}), "2026-11-27T23:00:00+01:00", "2026-11-28T02:00:00+01:00"},
		{"ranges touching across midnight make one opening", in("Europe/Paris", hours.Week{time.Friday: {"20:00-24:00"}, time.Saturday: {"00:00-03:00"}}), "2026-11-27T21:00:00+01:00", "2026-11-28T03:00:00+01:00"},
		{"all-day days in a row", in("Europe/Paris", hours.Week{time.Friday: {"00:00-24:00"}, time.Saturday: {"00:00-24:00"}}), "2026-11-27T10:00:00+01:00", "2026-11-29T00:00:00+01:00"},
		{"year end: all-day Dec 31 and Jan 1", in("Europe/Paris", hours.Week{}, special("2026-12-31", "00:00-24:00"), special("2027-01-01", "00:00-24:00")), "2026-12-31T10:00:00+01:00", "2027-01-02T00:00:00+01:00"},
		{"year end: overnight Dec 31 to Jan 1", in("Europe/Paris", hours.Week{time.Thursday: {"22:00-02:00"}}), "2026-12-31T23:00:00+01:00", "2027-01-01T02:00:00+01:00"},
		{"always open never closes", in("Europe/Paris", everyDay("00:00-24:00")), "2026-11-27T10:00:00+01:00", ""},
		{"disabled never closes", hours.BusinessHours{TimeZone: "Europe/Paris"}, "2026-11-27T10:00:00+01:00", ""},

		{"DST Paris spring: range ending in the gap closes at the gap's end", in("Europe/Paris", hours.Week{time.Sunday: {"01:00-02:30"}}), "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z"},
		{"DST Paris spring: range starting in the gap", in("Europe/Paris", hours.Week{time.Sunday: {"02:30-04:00"}}), "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"},
		{"DST Paris autumn: first 02:30", in("Europe/Paris", hours.Week{time.Sunday: {"02:00-02:30"}}), "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z"},
		{"DST Paris autumn: the transition itself closes", in("Europe/Paris", hours.Week{time.Sunday: {"02:30-03:00"}}), "2026-10-25T00:45:00Z", "2026-10-25T01:00:00Z"},
		{"DST Paris autumn: the repeated 02:30", in("Europe/Paris", hours.Week{time.Sunday: {"02:00-02:30"}}), "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z"},
		{"DST Paris autumn: an all-day Sunday lasts 25 hours", in("Europe/Paris", hours.Week{time.Sunday: {"00:00-24:00"}}), "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"},
		{"DST Sydney spring: an all-day Sunday lasts 23 hours", in("Australia/Sydney", hours.Week{time.Sunday: {"00:00-24:00"}}), "2026-10-03T14:00:00Z", "2026-10-04T13:00:00Z"},
		{"no DST Tokyo", in("Asia/Tokyo", weekdays("09:00-18:00")), "2026-11-27T00:00:00Z", "2026-11-27T09:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			s := mustCompile(t, tt.b)
			got, ok := s.NextClose(instant(t, tt.from))
			if tt.want == "" {
				require.False(t, ok, "got %s", got)
				return
			}
			require.True(t, ok)
			require.Equal(t, instant(t, tt.want).In(s.Location()), got)
			require.False(t, s.IsOpen(got))
		})
	}
}

func everyDay(ranges ...hours.Range) hours.Week {
	var w hours.Week
	for d := range w {
		w[d] = ranges
	}
	return w
}

func TestClosedPeriod(t *testing.T) {
	office := in("Europe/Paris", weekdays("09:00-18:00"))
	tests := []struct {
		rule       string
		b          hours.BusinessHours
		at         string
		start, end string // "" for a zero bound
		key        string
	}{
		{"weekend: from Friday's close to Monday's open", office, "2026-11-28T12:00:00+01:00",
			"2026-11-27T18:00:00+01:00", "2026-11-30T09:00:00+01:00", "until-20261130T080000Z"},
		{"on the closing minute: the period starts at t", office, "2026-11-27T18:00:00+01:00",
			"2026-11-27T18:00:00+01:00", "2026-11-30T09:00:00+01:00", "until-20261130T080000Z"},
		{"night: one night", office, "2026-12-01T03:00:00+01:00",
			"2026-11-30T18:00:00+01:00", "2026-12-01T09:00:00+01:00", "until-20261201T080000Z"},
		{"long closure", in("Europe/Paris", office.Week, twoWeeksOff()...), "2026-12-25T12:00:00+01:00",
			"2026-12-18T18:00:00+01:00", "2027-01-04T09:00:00+01:00", "until-20270104T080000Z"},
		{"never opens again", in("Europe/Paris", hours.Week{}, special("2026-11-27", "09:00-10:00")), "2026-11-28T12:00:00+01:00",
			"2026-11-27T10:00:00+01:00", "", "since-20261127T090000Z"},
		{"never open at all", in("Europe/Paris", hours.Week{}), "2026-11-28T12:00:00+01:00", "", "", "closed"},
		{"exception overlapping the day before's spill-over: the later end counts",
			in("Europe/Paris", hours.Week{time.Friday: {"22:00-03:00"}}, special("2026-11-28", "00:00-01:00")), "2026-11-28T05:00:00+01:00",
			"2026-11-28T03:00:00+01:00", "2026-12-04T22:00:00+01:00", "until-20261204T210000Z"},
		{"DST Paris autumn: between the two 02:00-02:30", in("Europe/Paris", hours.Week{time.Sunday: {"02:00-02:30"}}), "2026-10-25T00:45:00Z",
			"2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z", "until-20261025T010000Z"},
		{"DST Paris autumn: closed by the transition", in("Europe/Paris", hours.Week{time.Sunday: {"02:30-03:00"}}), "2026-10-25T01:15:00Z",
			"2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z", "until-20261025T013000Z"},
		{"DST Paris spring: the close before the gap", in("Europe/Paris", hours.Week{time.Saturday: {"20:00-01:30"}, time.Sunday: {"02:30-04:00"}}), "2026-03-29T00:45:00Z",
			"2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "until-20260329T010000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			s := mustCompile(t, tt.b)
			p, ok := s.ClosedPeriod(instant(t, tt.at))
			require.True(t, ok)
			wantBound := func(s string) time.Time {
				if s == "" {
					return time.Time{}
				}
				return instant(t, s).In(mustCompile(t, tt.b).Location())
			}
			require.Equal(t, hours.Period{Start: wantBound(tt.start), End: wantBound(tt.end)}, p)
			require.Equal(t, tt.key, p.Key())
		})
	}
}

func TestClosedPeriodKey(t *testing.T) {
	s := mustCompile(t, in("Europe/Paris", weekdays("09:00-18:00")))
	key := func(at string) string {
		t.Helper()
		p, ok := s.ClosedPeriod(instant(t, at))
		require.True(t, ok)
		return p.Key()
	}
	friday := key("2026-11-27T18:00:00+01:00")
	require.Equal(t, friday, key("2026-11-28T12:00:00+01:00"), "same closed period, same key")
	require.Equal(t, friday, key("2026-11-30T08:59:59.999+01:00"), "same closed period, same key")
	require.NotEqual(t, friday, key("2026-11-30T18:00:00+01:00"), "next closed period, new key")

	_, ok := s.ClosedPeriod(instant(t, "2026-11-30T10:00:00+01:00"))
	require.False(t, ok, "open: no closed period")
	_, ok = mustCompile(t, hours.BusinessHours{}).ClosedPeriod(instant(t, "2026-11-29T03:00:00Z"))
	require.False(t, ok, "disabled: always open")
}
