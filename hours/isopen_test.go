package hours_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/hours"
)

// Dates used below: 2026-11-27 is a Friday, 2026-11-30 a Monday, 2026-12-25 a Friday.
// DST changes in 2026: Europe/Paris 03-29 02:00 CET -> 03:00 CEST and 10-25 03:00 CEST -> 02:00
// CET; America/New_York 03-08 02:00 EST -> 03:00 EDT and 11-01 02:00 EDT -> 01:00 EST;
// Australia/Sydney 04-05 03:00 AEDT -> 02:00 AEST and 10-04 02:00 AEST -> 03:00 AEDT (all Sundays).

func TestIsOpen(t *testing.T) {
	split := in("Europe/Paris", hours.Week{time.Monday: {"14:00-18:00", "09:00-12:30"}})
	overnight := in("Europe/Paris", hours.Week{time.Friday: {"09:00-18:00", "22:00-02:00"}})
	untilMidnight := in("Europe/Paris", hours.Week{time.Friday: {"22:00-00:00"}})
	allDay := in("Europe/Paris", hours.Week{time.Saturday: {"00:00-24:00"}})
	sundayNight := in("UTC", hours.Week{time.Sunday: {"23:00-01:00"}})
	office := weekdays("09:00-18:00")
	saturdayToo := weekdays("09:00-18:00")
	saturdayToo[time.Saturday] = []hours.Range{"09:00-18:00"}
	parisSpring := in("Europe/Paris", hours.Week{time.Sunday: {"02:30-04:00"}})
	parisAutumn := in("Europe/Paris", hours.Week{time.Sunday: {"02:00-02:30"}})
	nySpringGap := in("America/New_York", hours.Week{time.Sunday: {"02:00-02:30"}})
	nySpringEnd := in("America/New_York", hours.Week{time.Sunday: {"01:30-02:30"}})
	nyAutumn := in("America/New_York", hours.Week{time.Sunday: {"01:00-01:30"}})
	sydneySpring := in("Australia/Sydney", hours.Week{time.Sunday: {"02:00-04:00"}})
	sydneyAutumn := in("Australia/Sydney", hours.Week{time.Sunday: {"02:00-02:30"}})

	tests := []struct {
		rule string
		b    hours.BusinessHours
		at   string
		want bool
	}{
		{"split day: morning range", split, "2026-11-30T12:29:59+01:00", true},
		{"split day: lunch break closed", split, "2026-11-30T12:30:00+01:00", false},
		{"split day: afternoon range opens on its minute", split, "2026-11-30T14:00:00+01:00", true},
		{"split day: other days closed", split, "2026-12-01T10:00:00+01:00", false},

		{"closing minute exclusive: 17:59 open", in("Europe/Paris", office), "2026-11-30T17:59:00+01:00", true},
		{"closing minute exclusive: 17:59:59.999 open", in("Europe/Paris", office), "2026-11-30T17:59:59.999+01:00", true},
		{"closing minute exclusive: 18:00 closed", in("Europe/Paris", office), "2026-11-30T18:00:00+01:00", false},
		{"opening minute inclusive: 09:00 open", in("Europe/Paris", office), "2026-11-30T09:00:00+01:00", true},
		{"opening minute inclusive: 08:59:59 closed", in("Europe/Paris", office), "2026-11-30T08:59:59+01:00", false},

		{"overnight: closed before it starts", overnight, "2026-11-27T21:59:00+01:00", false},
		{"overnight: open from its start", overnight, "2026-11-27T22:00:00+01:00", true},
		{"overnight: Friday 22:00-02:00 is open Saturday 01:00", overnight, "2026-11-28T01:00:00+01:00", true},
		{"overnight: open Saturday 01:59:59", overnight, "2026-11-28T01:59:59+01:00", true},
		{"overnight: closed at its end Saturday 02:00", overnight, "2026-11-28T02:00:00+01:00", false},
		{"overnight: 22:00-00:00 open at 23:59", untilMidnight, "2026-11-27T23:59:00+01:00", true},
		{"overnight: 22:00-00:00 closed at midnight", untilMidnight, "2026-11-28T00:00:00+01:00", false},
		{"overnight: Sunday spills into Monday (week wraps)", sundayNight, "2026-11-30T00:30:00Z", true},

		{"all day: open at 00:00", in("Europe/Paris", allDay.Week), "2026-11-28T00:00:00+01:00", true},
		{"all day: 00:00-24:00 open at 23:59:59", allDay, "2026-11-28T23:59:59.999+01:00", true},
		{"all day: closed at the next midnight", allDay, "2026-11-29T00:00:00+01:00", false},

		{"exception closed overrides the week", in("Europe/Paris", office, closedOn("2026-11-30")), "2026-11-30T10:00:00+01:00", false},
		{"exception special hours: before them closed", in("Europe/Paris", office, special("2026-12-01", "10:00-14:00")), "2026-12-01T09:30:00+01:00", false},
		{"exception special hours: open within", in("Europe/Paris", office, special("2026-12-01", "10:00-14:00")), "2026-12-01T10:00:00+01:00", true},
		{"exception special hours: closed at their end", in("Europe/Paris", office, special("2026-12-01", "10:00-14:00")), "2026-12-01T14:00:00+01:00", false},
		{"exception opens a closed weekday", in("Europe/Paris", office, special("2026-11-29", "10:00-12:00")), "2026-11-29T11:00:00+01:00", true},
		{"exception only on its date", in("Europe/Paris", office, closedOn("2026-11-30")), "2026-12-07T10:00:00+01:00", true},
		{"exception day: the day before's overnight still spills into it", in("Europe/Paris", overnight.Week, closedOn("2026-11-28")), "2026-11-28T01:00:00+01:00", true},
		{"exception day: closed after the spill-over", in("Europe/Paris", hours.Week{time.Friday: {"22:00-02:00"}, time.Saturday: {"09:00-12:00"}}, closedOn("2026-11-28")), "2026-11-28T10:00:00+01:00", false},
		{"exception overnight spills into the next day (year end)", in("Europe/Paris", hours.Week{}, special("2026-12-31", "20:00-03:00")), "2027-01-01T02:59:00+01:00", true},

		{"yearly: recurs in later years", in("Europe/Paris", office, yearlyClosed("2020-12-25")), "2026-12-25T10:00:00+01:00", false},
		{"yearly: recurs in earlier years", in("Europe/Paris", office, yearlyClosed("2020-12-25")), "2019-12-25T10:00:00+01:00", false},
		{"yearly: only on its month and day", in("Europe/Paris", office, yearlyClosed("2020-12-25")), "2026-12-24T10:00:00+01:00", true},
		{"yearly: a one-off exception on the same day wins", in("Europe/Paris", office, yearlyClosed("2020-12-25"), special("2026-12-25", "10:00-12:00")), "2026-12-25T11:00:00+01:00", true},
		{"yearly: the one-off does not leak to other years", in("Europe/Paris", saturdayToo, yearlyClosed("2020-12-25"), special("2026-12-25", "10:00-12:00")), "2027-12-25T11:00:00+01:00", false},
		{"yearly: Feb 29 recurs in leap years", in("Europe/Paris", saturdayToo, yearlyClosed("2024-02-29")), "2028-02-29T10:00:00+01:00", false},
		{"yearly: Feb 29 does not move to Mar 1", in("Europe/Paris", saturdayToo, yearlyClosed("2024-02-29")), "2027-03-01T10:00:00+01:00", true},

		{"disabled: always open", hours.BusinessHours{TimeZone: "Europe/Paris"}, "2026-11-29T03:00:00+01:00", true},
		{"enabled with no ranges: always closed", in("Europe/Paris", hours.Week{}), "2026-11-30T10:00:00+01:00", false},

		{"DST Paris spring: before the gap closed", parisSpring, "2026-03-29T00:59:59Z", false},
		{"DST Paris spring: range starting in the gap opens at 03:00 CEST", parisSpring, "2026-03-29T01:00:00Z", true},
		{"DST Paris spring: still open 03:59 CEST", parisSpring, "2026-03-29T01:59:00Z", true},
		{"DST Paris spring: closed 04:00 CEST", parisSpring, "2026-03-29T02:00:00Z", false},
		{"DST Paris autumn: 02:00 CEST open", parisAutumn, "2026-10-25T00:00:00Z", true},
		{"DST Paris autumn: 02:30 CEST closed", parisAutumn, "2026-10-25T00:30:00Z", false},
		{"DST Paris autumn: 02:00 CET (repeated) open again", parisAutumn, "2026-10-25T01:00:00Z", true},
		{"DST Paris autumn: 02:30 CET closed", parisAutumn, "2026-10-25T01:30:00Z", false},
		{"DST New York spring: range inside the gap never opens", nySpringGap, "2026-03-08T07:00:00Z", false},
		{"DST New York spring: range ending in the gap open before it", nySpringEnd, "2026-03-08T06:59:00Z", true},
		{"DST New York spring: range ending in the gap closed after it", nySpringEnd, "2026-03-08T07:00:00Z", false},
		{"DST New York autumn: 01:00 EDT open", nyAutumn, "2026-11-01T05:00:00Z", true},
		{"DST New York autumn: 01:30 EDT closed", nyAutumn, "2026-11-01T05:30:00Z", false},
		{"DST New York autumn: 01:00 EST open again", nyAutumn, "2026-11-01T06:00:00Z", true},
		{"DST Sydney spring (October): 01:59 AEST closed", sydneySpring, "2026-10-03T15:59:00Z", false},
		{"DST Sydney spring (October): 03:00 AEDT open", sydneySpring, "2026-10-03T16:00:00Z", true},
		{"DST Sydney spring (October): 04:00 AEDT closed", sydneySpring, "2026-10-03T17:00:00Z", false},
		{"DST Sydney autumn (April): 02:00 AEDT open", sydneyAutumn, "2026-04-04T15:00:00Z", true},
		{"DST Sydney autumn (April): 02:30 AEDT closed", sydneyAutumn, "2026-04-04T15:30:00Z", false},
		{"DST Sydney autumn (April): 02:00 AEST open again", sydneyAutumn, "2026-04-04T16:00:00Z", true},
		{"no DST Tokyo: 09:00 JST is 00:00 UTC", in("Asia/Tokyo", office), "2026-11-27T00:00:00Z", true},
		{"no DST Tokyo: 08:59 JST closed", in("Asia/Tokyo", office), "2026-11-26T23:59:00Z", false},
		{"no zone is UTC", hours.BusinessHours{Enabled: true, Week: office}, "2026-11-30T09:00:00Z", true},
		{"the instant's own zone does not matter", in("Europe/Paris", office), "2026-11-30T03:00:00-05:00", true},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			s := mustCompile(t, tt.b)
			require.Equal(t, tt.want, s.IsOpen(instant(t, tt.at)))
		})
	}
}

func TestNilScheduleIsAlwaysOpen(t *testing.T) {
	var s *hours.Schedule
	at := instant(t, "2026-11-30T03:00:00Z")
	require.True(t, s.IsOpen(at))
	require.False(t, s.Enabled())
	require.Equal(t, time.UTC, s.Location())
	next, ok := s.NextOpen(at)
	require.True(t, ok)
	require.True(t, next.Equal(at))
	_, ok = s.NextClose(at)
	require.False(t, ok)
	_, ok = s.ClosedPeriod(at)
	require.False(t, ok)
	require.Empty(t, s.OutOfOfficeText(at))
}

func TestScheduleAccessors(t *testing.T) {
	s := mustCompile(t, in("Europe/Paris", weekdays("09:00-18:00")))
	require.True(t, s.Enabled())
	require.Equal(t, "Europe/Paris", s.Location().String())

	s = mustCompile(t, hours.BusinessHours{})
	require.False(t, s.Enabled())
	require.Equal(t, time.UTC, s.Location())
}

func TestZeroScheduleIsAlwaysOpen(t *testing.T) {
	var s hours.Schedule
	at := instant(t, "2026-11-30T03:00:00Z")
	require.True(t, s.IsOpen(at))
	require.Equal(t, time.UTC, s.Location())
	next, ok := s.NextOpen(at)
	require.True(t, ok)
	require.True(t, next.Equal(at))
}

// TestScheduleIsSafeForConcurrentUse runs queries from several goroutines; with -race it would
// catch any hidden mutation (a cache) in the Schedule.
func TestScheduleIsSafeForConcurrentUse(t *testing.T) {
	s := mustCompile(t, in("Europe/Paris", weekdays("09:00-12:30", "14:00-18:00"), yearlyClosed("2000-12-25")))
	start := instant(t, "2026-12-20T00:00:00+01:00")
	done := make(chan bool)
	for g := range 4 {
		go func() {
			opens := 0
			for i := range 500 {
				at := start.Add(time.Duration(g*500+i) * 17 * time.Minute)
				if s.IsOpen(at) {
					opens++
				}
				s.NextOpen(at)
				s.NextClose(at)
				s.ClosedPeriod(at)
			}
			done <- opens > 0
		}()
	}
	for range 4 {
		require.True(t, <-done)
	}
}
