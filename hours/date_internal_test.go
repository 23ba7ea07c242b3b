package hours

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestDayNumbersAgreeWithTime checks the calendar arithmetic against the time package, before and
// after 1970 and across centuries (1600 to 2500).
func TestDayNumbersAgreeWithTime(t *testing.T) {
	for n := int64(-135_000); n <= 194_000; n += 13 {
		tm := time.Unix(n*secondsPerDay, 0).UTC()
		y, m, d := tm.Date()
		month, day := civil(n)
		require.Equal(t, [2]int{int(m), d}, [2]int{month, day}, "civil(%d), %s", n, tm)
		require.Equal(t, tm.Weekday(), weekday(n), "weekday(%d), %s", n, tm)
		require.Equal(t, n, date{year: y, month: m, day: d}.dayNumber(), "dayNumber(%s)", tm)
	}
}

func TestFloorDiv(t *testing.T) {
	for _, c := range []struct{ a, b, q, m int64 }{{7, 2, 3, 1}, {-7, 2, -4, 1}, {-8, 2, -4, 0}, {0, 5, 0, 0}, {-1, 86400, -1, 86399}} {
		require.Equal(t, c.q, floorDiv(c.a, c.b), "floorDiv(%d, %d)", c.a, c.b)
		require.Equal(t, c.m, floorMod(c.a, c.b), "floorMod(%d, %d)", c.a, c.b)
	}
}
