package hours_test

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/hours"
)

// Budgets (README, Performance): IsOpen <= 200 ns/op with 0 allocs/op, NextOpen <= 2 µs/op.
// Measure with: go test -run '^$' -bench . -benchmem ./hours/

var (
	sinkBool bool
	sinkTime time.Time
)

// benchHours is a realistic configuration: split days, a late Friday shift, a Saturday morning and
// a handful of holidays, in a DST zone.
func benchHours() hours.BusinessHours {
	w := weekdays("09:00-12:30", "14:00-18:00")
	w[time.Friday] = []hours.Range{"09:00-12:30", "14:00-18:00", "22:00-02:00"}
	w[time.Saturday] = []hours.Range{"10:00-13:00"}
	return in("Europe/Paris", w,
		yearlyClosed("2000-01-01"), yearlyClosed("2000-05-01"), yearlyClosed("2000-07-14"),
		yearlyClosed("2000-12-25"), closedOn("2026-04-06"), closedOn("2026-05-14"), special("2026-12-24", "09:00-12:00"))
}

// benchInstants spreads queries over a week so that every branch is taken (open, closed, the
// Friday spill-over), in a year the zone database lists transitions for.
func benchInstants(tb testing.TB, from string) []time.Time {
	start := instant(tb, from)
	out := make([]time.Time, 64)
	for i := range out {
		out[i] = start.Add(time.Duration(i) * 157 * time.Minute) // ~7 days, odd step
	}
	return out
}

func BenchmarkIsOpen(b *testing.B) {
	cases := []struct {
		name string
		b    hours.BusinessHours
		from string
	}{
		{"paris-2026", benchHours(), "2026-11-23T00:00:00+01:00"},
		{"paris-2045", benchHours(), "2045-11-20T00:00:00+01:00"}, // past the zone file's explicit transitions
		{"utc-no-exceptions", in("", weekdays("09:00-18:00")), "2026-11-23T00:00:00Z"},
		{"disabled", hours.BusinessHours{TimeZone: "Europe/Paris"}, "2026-11-23T00:00:00Z"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s := mustCompile(b, c.b)
			at := benchInstants(b, c.from)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sinkBool = s.IsOpen(at[i%len(at)])
				i++
			}
		})
	}
}

func BenchmarkNextOpen(b *testing.B) {
	b.Run("week-mixed", func(b *testing.B) {
		benchNextOpen(b, benchHours(), benchInstants(b, "2026-11-23T00:00:00+01:00"), "")
	})
	b.Run("saturday-to-monday", func(b *testing.B) {
		benchNextOpen(b, benchHours(), []time.Time{instant(b, "2026-11-28T13:00:00+01:00")}, "2026-11-30T09:00:00+01:00")
	})
	b.Run("week-of-holidays", func(b *testing.B) {
		benchNextOpen(b, in("Europe/Paris", benchHours().Week, weekOff()...),
			[]time.Time{instant(b, "2026-12-19T13:00:00+01:00")}, "2026-12-28T14:00:00+01:00")
	})
	b.Run("never-open-whole-horizon", func(b *testing.B) { // the worst case: two years of closed days
		benchNextOpen(b, in("Europe/Paris", hours.Week{}, special("2020-01-01", "09:00-10:00")),
			[]time.Time{instant(b, "2026-11-28T13:00:00+01:00")}, "")
	})
	b.Run("across-dst", func(b *testing.B) {
		benchNextOpen(b, in("Europe/Paris", hours.Week{time.Sunday: {"02:30-04:00"}}),
			[]time.Time{instant(b, "2026-03-28T12:00:00+01:00")}, "2026-03-29T03:00:00+02:00")
	})
}

// benchNextOpen measures NextOpen over the instants, after checking the answer for the first one
// when want is given, so that the benchmark measures the path its name says.
func benchNextOpen(b *testing.B, h hours.BusinessHours, at []time.Time, want string) {
	s := mustCompile(b, h)
	if want != "" {
		if got, ok := s.NextOpen(at[0]); !ok || !got.Equal(instant(b, want)) {
			b.Fatalf("NextOpen(%s) = %s, %t; want %s", at[0], got, ok, want)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkTime, sinkBool = s.NextOpen(at[i%len(at)])
		i++
	}
}

// weekOff closes 2026-12-21 to 2026-12-27 (a week of holidays) and gives Monday 2026-12-28 short
// hours.
func weekOff() []hours.Exception {
	out := []hours.Exception{special("2026-12-28", "14:00-16:00")}
	for d := 21; d <= 27; d++ {
		out = append(out, closedOn(time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")))
	}
	return out
}

func BenchmarkNextClose(b *testing.B) {
	s := mustCompile(b, benchHours())
	at := benchInstants(b, "2026-11-23T00:00:00+01:00")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkTime, sinkBool = s.NextClose(at[i%len(at)])
		i++
	}
}

func BenchmarkClosedPeriod(b *testing.B) {
	s := mustCompile(b, benchHours())
	at := instant(b, "2026-11-28T18:00:00+01:00") // Saturday evening
	b.ReportAllocs()
	for b.Loop() {
		p, _ := s.ClosedPeriod(at)
		sinkTime = p.End
	}
}

func BenchmarkCompile(b *testing.B) {
	h := benchHours()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Compile(); err != nil {
			b.Fatal(err)
		}
	}
}
