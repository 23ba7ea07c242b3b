package hours_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/hours"
)

// instant parses an RFC 3339 time; tests write instants with their offset so that DST cases are
// unambiguous.
func instant(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(tb, err)
	return t
}

func mustCompile(tb testing.TB, b hours.BusinessHours) *hours.Schedule {
	tb.Helper()
	s, err := b.Compile()
	require.NoError(tb, err)
	return s
}

// weekdays returns Monday to Friday with the given ranges.
func weekdays(ranges ...hours.Range) hours.Week {
	var w hours.Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = ranges
	}
	return w
}

// in returns enabled hours in a zone.
func in(zone string, w hours.Week, exceptions ...hours.Exception) hours.BusinessHours {
	return hours.BusinessHours{Enabled: true, TimeZone: zone, Week: w, Exceptions: exceptions}
}

func closedOn(date string) hours.Exception { return hours.Exception{Date: date, Closed: true} }

func yearlyClosed(date string) hours.Exception {
	return hours.Exception{Date: date, Yearly: true, Closed: true}
}

func special(date string, ranges ...hours.Range) hours.Exception {
	return hours.Exception{Date: date, Ranges: ranges}
}
