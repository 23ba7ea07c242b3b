package csat

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestReportPeriodsParisDST: Paris moves from UTC+1 to UTC+2 at 2025-03-30
// 01:00 UTC, so that local day is 23 hours long and buckets must follow local
// midnights, not UTC ones.
func TestReportPeriodsParisDST(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	entries := []Entry{
		{ChannelID: "c", SentAt: utc("2025-03-29T22:59:59Z"), Rating: 1}, // Sat 29 23:59:59 CET
		{ChannelID: "c", SentAt: utc("2025-03-29T23:00:00Z"), Rating: 2}, // Sun 30 00:00 CET
		{ChannelID: "c", SentAt: utc("2025-03-30T21:59:59Z"), Rating: 3}, // Sun 30 23:59:59 CEST
		{ChannelID: "c", SentAt: utc("2025-03-30T22:00:00Z"), Rating: 4}, // Mon 31 00:00 CEST
		{ChannelID: "c", SentAt: utc("2025-03-31T21:59:59Z"), Rating: 5}, // Mon 31 23:59:59 CEST
		{ChannelID: "c", SentAt: utc("2025-03-31T22:00:00Z")},            // Tue 1 April 00:00 CEST
	}
	type bucket struct {
		start, end string // local times
		counts     [5]int
		sent       int
	}
	cases := []struct {
		rule   string
		period Period
		loc    *time.Location
		want   []bucket
	}{
		{"day: 23-hour DST day in Paris", PeriodDay, paris, []bucket{
			{"2025-03-29T00:00:00+01:00", "2025-03-30T00:00:00+01:00", [5]int{1, 0, 0, 0, 0}, 1},
			{"2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00", [5]int{0, 1, 1, 0, 0}, 2},
			{"2025-03-31T00:00:00+02:00", "2025-04-01T00:00:00+02:00", [5]int{0, 0, 0, 1, 1}, 2},
			{"2025-04-01T00:00:00+02:00", "2025-04-02T00:00:00+02:00", [5]int{}, 1},
		}},
		{"day: the same instants bucketed in UTC", PeriodDay, time.UTC, []bucket{
			{"2025-03-29T00:00:00Z", "2025-03-30T00:00:00Z", [5]int{1, 1, 0, 0, 0}, 2},
			{"2025-03-30T00:00:00Z", "2025-03-31T00:00:00Z", [5]int{0, 0, 1, 1, 0}, 2},
			{"2025-03-31T00:00:00Z", "2025-04-01T00:00:00Z", [5]int{0, 0, 0, 0, 1}, 2},
		}},
		{"week: ISO weeks start on Monday, local midnight", PeriodWeek, paris, []bucket{
			{"2025-03-24T00:00:00+01:00", "2025-03-31T00:00:00+02:00", [5]int{1, 1, 1, 0, 0}, 3},
			{"2025-03-31T00:00:00+02:00", "2025-04-07T00:00:00+02:00", [5]int{0, 0, 0, 1, 1}, 3},
		}},
		{"month: April starts at local midnight", PeriodMonth, paris, []bucket{
			{"2025-03-01T00:00:00+01:00", "2025-04-01T00:00:00+02:00", [5]int{1, 1, 1, 1, 1}, 5},
			{"2025-04-01T00:00:00+02:00", "2025-05-01T00:00:00+02:00", [5]int{}, 1},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			// Feed in reverse order: buckets must come out sorted anyway.
			rev := make([]Entry, len(entries))
			for i, e := range entries {
				rev[len(entries)-1-i] = e
			}
			r := build(t, Filter{}, tc.period, tc.loc, rev)
			require.Len(t, r.ByPeriod, len(tc.want))
			var sum Tally
			for i, w := range tc.want {
				got := r.ByPeriod[i]
				require.Equal(t, w.start, got.Start.Format(time.RFC3339), "bucket %d start", i)
				require.Equal(t, w.end, got.End.Format(time.RFC3339), "bucket %d end", i)
				require.Equal(t, tc.loc, got.Start.Location())
				require.Equal(t, w.counts, got.Counts, "bucket %d", i)
				require.Equal(t, w.sent, got.Sent, "bucket %d", i)
				sum.Merge(got.Tally)
			}
			require.Equal(t, r.Total, sum, "buckets add up to the total")
		})
	}
	day := build(t, Filter{}, PeriodDay, paris, entries).ByPeriod[1]
	require.Equal(t, 23*time.Hour, day.End.Sub(day.Start), "the spring-forward day")
}

// TestReportPeriodsNewYorkYearEnd: a negative offset carries an instant of
// 1 January UTC back into December, and ISO week 1 of 2025 starts on Monday
// 30 December 2024.
func TestReportPeriodsNewYorkYearEnd(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	entries := []Entry{
		{SentAt: utc("2025-01-01T03:00:00Z"), Rating: 5}, // Tue 31 Dec 2024 22:00 EST
		{SentAt: utc("2024-12-30T05:00:00Z"), Rating: 4}, // Mon 30 Dec 00:00 EST
		{SentAt: utc("2024-12-30T04:59:59Z"), Rating: 3}, // Sun 29 Dec 23:59:59 EST
		{SentAt: utc("2025-01-01T05:00:00Z"), Rating: 2}, // Wed 1 Jan 00:00 EST
	}
	starts := func(p Period) []string {
		var out []string
		for _, pt := range build(t, Filter{}, p, ny, entries).ByPeriod {
			out = append(out, pt.Start.Format("2006-01-02 Mon")+"/"+pt.End.Format("2006-01-02"))
		}
		return out
	}
	require.Equal(t, []string{"2024-12-29 Sun/2024-12-30", "2024-12-30 Mon/2024-12-31", "2024-12-31 Tue/2025-01-01",
		"2025-01-01 Wed/2025-01-02"}, starts(PeriodDay))
	require.Equal(t, []string{"2024-12-23 Mon/2024-12-30", "2024-12-30 Mon/2025-01-06"}, starts(PeriodWeek))
	require.Equal(t, []string{"2024-12-01 Sun/2025-01-01", "2025-01-01 Wed/2025-02-01"}, starts(PeriodMonth))
}

func TestPeriodStartNext(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	at := utc("2025-10-26T12:00:00Z") // Sunday, the autumn DST change (25-hour day)
	cases := []struct {
		rule        string
		p           Period
		start, next string
	}{
		{"day", PeriodDay, "2025-10-26T00:00:00+02:00", "2025-10-27T00:00:00+01:00"},
		{"week: Sunday belongs to the week starting the Monday before", PeriodWeek, "2025-10-20T00:00:00+02:00", "2025-10-27T00:00:00+01:00"},
		{"month", PeriodMonth, "2025-10-01T00:00:00+02:00", "2025-11-01T00:00:00+01:00"},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			s := tc.p.Start(at, paris)
			require.Equal(t, tc.start, s.Format(time.RFC3339))
			require.Equal(t, tc.next, tc.p.Next(s).Format(time.RFC3339))
		})
	}
	require.Equal(t, 25*time.Hour, PeriodDay.Next(PeriodDay.Start(at, paris)).Sub(PeriodDay.Start(at, paris)))
	require.Equal(t, at, PeriodNone.Start(at, paris), "no period: t unchanged")
	require.Equal(t, at, Period("year").Next(at), "unknown period: unchanged")
	require.Equal(t, "2025-10-26T00:00:00Z", PeriodDay.Start(at, nil).Format(time.RFC3339), "nil location is UTC")
}

// TestCivil checks the integer calendar against the time package over ±4000
// years, including leap days and dates before 1970.
func TestCivil(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		day := rapid.Int64Range(-1_500_000, 1_500_000).Draw(t, "day")
		y, m, d := time.Unix(day*86400, 0).UTC().Date()
		gy, gm, gd := civil(day)
		if gy != int64(y) || gm != m || gd != d {
			t.Fatalf("civil(%d) = %d-%d-%d, want %d-%d-%d", day, gy, gm, gd, y, m, d)
		}
		wk := PeriodWeek.key(day)
		if wd := time.Unix(wk*86400, 0).UTC().Weekday(); wd != time.Monday || day-wk < 0 || day-wk > 6 {
			t.Fatalf("week of day %d starts on day %d (%s)", day, wk, wd)
		}
	})
	for _, day := range []int64{-1, 0, 59, 789, -719468} { // 1969-12-31, 1970-01-01, 1970-03-01, 1972-02-29, 0000-03-01
		y, m, d := time.Unix(day*86400, 0).UTC().Date()
		gy, gm, gd := civil(day)
		require.Equal(t, []int{y, int(m), d}, []int{int(gy), int(gm), gd}, "day %d", day)
	}
}

// TestZoneCacheMatchesTime: the cached offset equals the time package's for
// random instants over years, in zones with and without DST, so the cache
// never buckets an entry into the wrong local day.
func TestZoneCacheMatchesTime(t *testing.T) {
	locs := []*time.Location{mustLoad(t, "Europe/Paris"), mustLoad(t, "America/New_York"),
		mustLoad(t, "Australia/Lord_Howe"), mustLoad(t, "Asia/Kolkata"), time.UTC, time.FixedZone("m", -9000)}
	rapid.Check(t, func(t *rapid.T) {
		loc := locs[rapid.IntRange(0, len(locs)-1).Draw(t, "loc")]
		z := zoneCache{loc: loc}
		for _, sec := range rapid.SliceOfN(rapid.Int64Range(0, 2_000_000_000), 1, 50).Draw(t, "secs") {
			at := time.Unix(sec, 0)
			_, want := at.In(loc).Zone()
			if got := z.offset(at, sec); got != int64(want) {
				t.Fatalf("%s at %s: offset %d, want %d", loc, at.UTC(), got, want)
			}
		}
	})
}

// TestZoneCacheTransitions: asking for the instants on each side of a DST
// change, in both orders, never reuses the other side's offset.
func TestZoneCacheTransitions(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	change := utc("2025-03-30T01:00:00Z") // 02:00 CET becomes 03:00 CEST
	before, after := change.Add(-time.Second), change
	z := zoneCache{loc: paris}
	require.Equal(t, int64(3600), z.offset(before, before.Unix()))
	require.Equal(t, int64(7200), z.offset(after, after.Unix()), "first second of summer time")
	require.Equal(t, int64(3600), z.offset(before, before.Unix()), "cached winter span")
	z = zoneCache{loc: paris}
	require.Equal(t, int64(7200), z.offset(after, after.Unix()))
	require.Equal(t, int64(3600), z.offset(before, before.Unix()), "last second of winter time")
}
