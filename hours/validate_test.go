package hours_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/hours"
)

func TestValidate(t *testing.T) {
	monday := func(ranges ...hours.Range) hours.BusinessHours {
		return hours.BusinessHours{Enabled: true, Week: hours.Week{time.Monday: ranges}}
	}
	withExceptions := func(ex ...hours.Exception) hours.BusinessHours {
		return hours.BusinessHours{Enabled: true, Week: weekdays("09:00-18:00"), Exceptions: ex}
	}
	tests := []struct {
		rule  string
		b     hours.BusinessHours
		field string
		kind  error
		want  string // the exact message; "" when valid
	}{
		{"zero value is valid", hours.BusinessHours{}, "", nil, ""},
		{"several ranges, overnight, all day, touching", hours.BusinessHours{TimeZone: "Europe/Paris", Week: hours.Week{
			time.Monday: {"14:00-18:00", "09:00-12:30", "12:30-13:00", "22:00-02:00"}, time.Tuesday: {"02:00-04:00"},
			time.Saturday: {"00:00-24:00"}, time.Sunday: {"20:00-00:00"}}}, "", nil, ""},
		{"an exception's ranges may overlap the day before's spill-over", hours.BusinessHours{Week: hours.Week{time.Friday: {"22:00-03:00"}},
			Exceptions: []hours.Exception{special("2026-11-28", "00:00-01:00")}}, "", nil, ""},
		{"a one-off and a yearly exception may share a day", withExceptions(yearlyClosed("2020-12-25"), special("2026-12-25", "10:00-12:00")), "", nil, ""},
		{"yearly Feb 29 is valid", withExceptions(yearlyClosed("2024-02-29")), "", nil, ""},

		{"unknown zone", hours.BusinessHours{TimeZone: "Europe/Pariss"}, "timezone", hours.ErrTimeZone,
			`hours: timezone: unknown time zone "Europe/Pariss"; use an IANA name such as "Europe/Paris" (empty means UTC)`},
		{"Local zone refused", hours.BusinessHours{TimeZone: "Local"}, "timezone", hours.ErrTimeZone,
			`hours: timezone: "Local" is the server's own zone, so the hours would move with the server; name the zone, e.g. "Europe/Paris"`},
		{"hour 25", monday("25:00-26:00"), "week.monday[0]", hours.ErrRange,
			`hours: week.monday[0]: "25:00-26:00": 25:00 is not a time of day; hours go from 00 to 23 (24:00 only as an end)`},
		{"end past 24:00", monday("20:00-24:30"), "week.monday[0]", hours.ErrRange,
			`hours: week.monday[0]: "20:00-24:30": 24:30 is not a time of day; only 24:00 may follow 23:59`},
		{"minute 60", monday("09:60-10:00"), "week.monday[0]", hours.ErrRange,
			`hours: week.monday[0]: "09:60-10:00": 09:60 is not a time of day; minutes go from 00 to 59`},
		{"start at 24:00", monday("24:00-02:00"), "week.monday[0]", hours.ErrRange,
			`hours: week.monday[0]: "24:00-02:00" starts at 24:00; start it at 00:00 of the next day instead`},
		{"one-digit hour", monday("9:00-18:00"), "week.monday[0]", hours.ErrRange,
			`hours: week.monday[0]: "9:00-18:00" is not "HH:MM-HH:MM"; write it like "09:00-18:00"`},
		{"bad format", monday("9am-6pm"), "week.monday[0]", hours.ErrRange,
			`hours: week.monday[0]: "9am-6pm" is not "HH:MM-HH:MM"; write it like "09:00-18:00"`},
		{"empty string", monday(""), "week.monday[0]", hours.ErrRange,
			`hours: week.monday[0]: "" is not "HH:MM-HH:MM"; write it like "09:00-18:00"`},
		{"zero-length range", monday("09:00-09:00"), "week.monday[0]", hours.ErrEmptyRange,
			`hours: week.monday[0]: "09:00-09:00" is empty (it starts and ends at the same minute); for a whole day write "00:00-24:00"`},
		{"00:00-00:00 is empty, not all day", monday("00:00-00:00"), "week.monday[0]", hours.ErrEmptyRange,
			`hours: week.monday[0]: "00:00-00:00" is empty (it starts and ends at the same minute); for a whole day write "00:00-24:00"`},
		{"overlapping ranges on one day", monday("09:00-12:00", "11:00-14:00"), "week.monday[1]", hours.ErrOverlap,
			`hours: week.monday[1]: "11:00-14:00" overlaps "09:00-12:00" (week.monday[0]); merge them or move one`},
		{"a range inside another", monday("08:00-20:00", "10:00-11:00"), "week.monday[1]", hours.ErrOverlap,
			`hours: week.monday[1]: "10:00-11:00" overlaps "08:00-20:00" (week.monday[0]); merge them or move one`},
		{"the same range twice", monday("09:00-12:00", "09:00-12:00"), "week.monday[1]", hours.ErrOverlap,
			`hours: week.monday[1]: "09:00-12:00" overlaps "09:00-12:00" (week.monday[0]); merge them or move one`},
		{"overnight range overlapping a later one that day", monday("22:00-02:00", "23:00-23:30"), "week.monday[1]", hours.ErrOverlap,
			`hours: week.monday[1]: "23:00-23:30" overlaps "22:00-02:00" (week.monday[0]); merge them or move one`},
		{"overnight spill-over overlapping the next day", hours.BusinessHours{Week: hours.Week{time.Friday: {"09:00-18:00", "22:00-02:00"}, time.Saturday: {"01:00-05:00"}}},
			"week.saturday[0]", hours.ErrOverlap,
			`hours: week.saturday[0]: "01:00-05:00" overlaps "22:00-02:00" (week.friday[1]), which runs past midnight into saturday; start this range at 02:00 or later, or end friday's range earlier`},
		{"overnight spill-over from Saturday into Sunday", hours.BusinessHours{Week: hours.Week{time.Saturday: {"22:00-02:00"}, time.Sunday: {"00:00-24:00"}}},
			"week.sunday[0]", hours.ErrOverlap,
			`hours: week.sunday[0]: "00:00-24:00" overlaps "22:00-02:00" (week.saturday[0]), which runs past midnight into sunday; start this range at 02:00 or later, or end saturday's range earlier`},

		{"date that does not exist", withExceptions(closedOn("2026-02-30")), "exceptions[0].date", hours.ErrDate,
			`hours: exceptions[0].date: "2026-02-30" does not exist: February 2026 has 28 days`},
		{"Feb 29 outside a leap year", withExceptions(yearlyClosed("2026-02-29")), "exceptions[0].date", hours.ErrDate,
			`hours: exceptions[0].date: "2026-02-29" does not exist: February 2026 has 28 days`},
		{"month 13", withExceptions(closedOn("2026-13-01")), "exceptions[0].date", hours.ErrDate,
			`hours: exceptions[0].date: "2026-13-01" does not exist: months go from 01 to 12`},
		{"day 00", withExceptions(closedOn("2026-01-00")), "exceptions[0].date", hours.ErrDate,
			`hours: exceptions[0].date: "2026-01-00" does not exist: days start at 01`},
		{"date format", withExceptions(closedOn("25/12/2026")), "exceptions[0].date", hours.ErrDate,
			`hours: exceptions[0].date: "25/12/2026" is not "YYYY-MM-DD"; write it like "2026-12-25"`},
		{"missing date", withExceptions(hours.Exception{Name: "Christmas", Closed: true}), "exceptions[0].date", hours.ErrDate,
			`hours: exceptions[0].date: missing; write the day as "YYYY-MM-DD", e.g. "2026-12-25"`},
		{"duplicate exception dates", withExceptions(hours.Exception{Name: "Christmas", Date: "2026-12-25", Closed: true}, closedOn("2026-12-25")),
			"exceptions[1].date", hours.ErrDuplicateDate,
			`hours: exceptions[1].date: 2026-12-25 is already used by exceptions[0] ("Christmas"); keep one exception per day`},
		{"duplicate yearly exceptions in different years", withExceptions(yearlyClosed("2020-12-25"), yearlyClosed("2026-12-25")),
			"exceptions[1].date", hours.ErrDuplicateDate,
			`hours: exceptions[1].date: 12-25 every year is already used by exceptions[0]; keep one yearly exception per day of the year`},
		{"exception neither closed nor with ranges", withExceptions(hours.Exception{Date: "2026-12-25"}), "exceptions[0]", hours.ErrException,
			`hours: exceptions[0]: has neither "closed": true nor "ranges"; set one of them`},
		{"exception both closed and with ranges", withExceptions(hours.Exception{Date: "2026-12-25", Closed: true, Ranges: []hours.Range{"10:00-12:00"}}),
			"exceptions[0]", hours.ErrException,
			`hours: exceptions[0]: has both "closed": true and "ranges"; a closed day has no ranges, drop one`},
		{"bad exception range", withExceptions(special("2026-12-24", "10:00-26:00")), "exceptions[0].ranges[0]", hours.ErrRange,
			`hours: exceptions[0].ranges[0]: "10:00-26:00": 26:00 is not a time of day; hours go from 00 to 23 (24:00 only as an end)`},
		{"overlapping exception ranges", withExceptions(special("2026-12-24", "10:00-12:00", "11:00-13:00")), "exceptions[0].ranges[1]", hours.ErrOverlap,
			`hours: exceptions[0].ranges[1]: "11:00-13:00" overlaps "10:00-12:00" (exceptions[0].ranges[0]); merge them or move one`},
		{"a disabled configuration is checked too", hours.BusinessHours{Week: hours.Week{time.Monday: {"9-5"}}}, "week.monday[0]", hours.ErrRange,
			`hours: week.monday[0]: "9-5" is not "HH:MM-HH:MM"; write it like "09:00-18:00"`},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			err := tt.b.Validate()
			_, compileErr := tt.b.Compile()
			if tt.want == "" {
				require.NoError(t, err)
				require.NoError(t, compileErr)
				return
			}
			require.EqualError(t, err, tt.want)
			require.EqualError(t, compileErr, tt.want, "Compile validates like Validate")
			require.ErrorIs(t, err, tt.kind)
			var fe *hours.FieldError
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tt.field, fe.Field)
		})
	}
}

// TestValidateReportsEverything: every problem comes back at once, in field order.
func TestValidateReportsEverything(t *testing.T) {
	b := hours.BusinessHours{
		Enabled:  true,
		TimeZone: "Mars/Olympus_Mons",
		Week: hours.Week{
			time.Monday:   {"25:00-26:00", "09:00-12:00", "11:00-13:00"},
			time.Friday:   {"22:00-03:00"},
			time.Saturday: {"02:00-04:00", "10:00-10:00"},
		},
		Exceptions: []hours.Exception{
			{Name: "Christmas", Date: "2026-12-25", Closed: true},
			{Date: "2026-02-30", Closed: true},
			{Date: "2026-12-25", Ranges: []hours.Range{"10:00-14:00"}},
		},
	}
	err := b.Validate()
	require.Error(t, err)
	want := []string{
		`hours: timezone: unknown time zone "Mars/Olympus_Mons"; use an IANA name such as "Europe/Paris" (empty means UTC)`,
		`hours: week.monday[0]: "25:00-26:00": 25:00 is not a time of day; hours go from 00 to 23 (24:00 only as an end)`,
		`hours: week.monday[2]: "11:00-13:00" overlaps "09:00-12:00" (week.monday[1]); merge them or move one`,
		`hours: week.saturday[1]: "10:00-10:00" is empty (it starts and ends at the same minute); for a whole day write "00:00-24:00"`,
		`hours: week.saturday[0]: "02:00-04:00" overlaps "22:00-03:00" (week.friday[0]), which runs past midnight into saturday; start this range at 03:00 or later, or end friday's range earlier`,
		`hours: exceptions[1].date: "2026-02-30" does not exist: February 2026 has 28 days`,
		`hours: exceptions[2].date: 2026-12-25 is already used by exceptions[0] ("Christmas"); keep one exception per day`,
	}
	require.Equal(t, want, strings.Split(err.Error(), "\n"))

	var kinds []error
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *hours.FieldError
		require.True(t, errors.As(e, &fe))
		kinds = append(kinds, fe.Kind)
	}
	require.Equal(t, []error{hours.ErrTimeZone, hours.ErrRange, hours.ErrOverlap, hours.ErrEmptyRange, hours.ErrOverlap,
		hours.ErrDate, hours.ErrDuplicateDate}, kinds)
}
