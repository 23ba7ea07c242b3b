package hours_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/livedesk/livedesk/hours"
)

// propertyZones mix zones without DST, northern and southern DST, a 30-minute DST shift
// (Lord_Howe), a 45-minute offset (Kathmandu), transitions at midnight (Santiago), a skipped day
// (Apia, end of 2011) and irregular transitions (Casablanca).
var propertyZones = []string{"UTC", "Asia/Tokyo", "Europe/Paris", "America/New_York", "Australia/Sydney",
	"Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago", "Pacific/Apia", "Africa/Casablanca"}

const (
	windowDays = 4 // the oracle's timeline covers anchor ± windowDays
	probeDays  = 2 // instants are probed within anchor ± probeDays
)

// TestPropertyQueriesAgreeWithOracle: over random schedules and instants, IsOpen agrees with the
// oracle, and NextOpen, NextClose and ClosedPeriod return the oracle's change points.
func TestPropertyQueriesAgreeWithOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom(propertyZones).Draw(t, "zone")
		loc, err := time.LoadLocation(zone)
		require.NoError(t, err)
		anchor := drawInstant(t, loc)
		b := drawBusinessHours(t, zone, loc, anchor)
		s, err := b.Compile()
		require.NoError(t, err, "generated hours must be valid: %+v", b)

		tl := newTimeline(b, loc, anchor.Add(-windowDays*24*time.Hour), 2*windowDays*24*60)
		windowEnd := tl.minute(len(tl.open))
		for i := range 6 {
			at := anchor
			if i > 0 {
				at = anchor.Add(time.Duration(rapid.Int64Range(-probeDays*86400e9, probeDays*86400e9).Draw(t, "probe")))
			}
			checkInstant(t, s, b, tl, windowEnd, at)
		}
	})
}

func checkInstant(t *rapid.T, s *hours.Schedule, b hours.BusinessHours, tl timeline, windowEnd, at time.Time) {
	open := tl.open[tl.index(at)]
	require.Equal(t, open, s.IsOpen(at), "IsOpen(%s)", at.In(s.Location()))

	for _, q := range []struct {
		name   string
		want   bool
		search func(time.Time) (time.Time, bool)
	}{{"NextOpen", true, s.NextOpen}, {"NextClose", false, s.NextClose}} {
		got, ok := q.search(at)
		want, found := tl.next(at, q.want)
		if found {
			require.True(t, ok, "%s(%s): want %s, got none", q.name, at.In(s.Location()), want.In(s.Location()))
			require.True(t, want.Equal(got), "%s(%s): want %s, got %s", q.name, at.In(s.Location()),
				want.In(s.Location()), got)
			require.Equal(t, s.Location(), got.Location())
		} else if ok {
			require.False(t, got.Before(windowEnd), "%s(%s) = %s, but the oracle sees no change before %s",
				q.name, at, got, windowEnd)
		}
	}

	p, closed := s.ClosedPeriod(at)
	require.Equal(t, !open, closed, "ClosedPeriod(%s) ok", at)
	if !closed {
		return
	}
	next, ok := s.NextOpen(at)
	if ok {
		require.True(t, next.Equal(p.End), "ClosedPeriod.End %s != NextOpen %s", p.End, next)
	} else {
		require.True(t, p.End.IsZero())
	}
	if want, found := tl.lastClose(at); found {
		require.True(t, want.Equal(p.Start), "ClosedPeriod(%s).Start: want %s, got %s", at.In(s.Location()),
			want.In(s.Location()), p.Start)
	} else {
		require.True(t, p.Start.IsZero() || p.Start.Before(tl.from), "ClosedPeriod(%s).Start = %s, oracle: none since %s",
			at, p.Start, tl.from)
	}
	// Every instant of the period has the same key.
	if !p.End.IsZero() {
		last := p.End.Add(-time.Nanosecond)
		q, ok := s.ClosedPeriod(last)
		require.True(t, ok, "closed just before the period ends")
		require.Equal(t, p.Key(), q.Key())
	}
}

// drawInstant returns an instant between 2010 and 2035, half the time near a zone transition.
func drawInstant(t *rapid.T, loc *time.Location) time.Time {
	at := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).
		Add(time.Duration(rapid.Int64Range(0, 25*365*86400).Draw(t, "second")) * time.Second)
	if rapid.Bool().Draw(t, "nearTransition") {
		if _, end := at.In(loc).ZoneBounds(); !end.IsZero() {
			at = end.Add(time.Duration(rapid.IntRange(-36*60, 36*60).Draw(t, "minutesFromTransition")) * time.Minute)
		}
	}
	return at.Add(time.Duration(rapid.IntRange(0, 59_999_999_999).Draw(t, "nanos")))
}

// minuteGen favours midnight and the small hours, where DST transitions happen.
var minuteGen = rapid.OneOf(rapid.IntRange(0, 1440),
	rapid.SampledFrom([]int{0, 30, 60, 90, 120, 150, 180, 210, 240, 1380, 1410, 1439, 1440}))

// drawSpans returns sorted, non-overlapping same-day ranges in minutes (end up to 1440).
func drawSpans(t *rapid.T, label string) [][2]int {
	if rapid.IntRange(0, 7).Draw(t, label+".allDay") == 0 {
		return [][2]int{{0, 1440}}
	}
	n := rapid.IntRange(0, 3).Draw(t, label+".n")
	points := rapid.SliceOfNDistinct(minuteGen, 2*n, 2*n, rapid.ID[int]).Draw(t, label+".points")
	slices.Sort(points)
	var spans [][2]int
	for i := 0; i < len(points); i += 2 {
		spans = append(spans, [2]int{points[i], points[i+1]})
	}
	return spans
}

// drawOvernight maybe adds an overnight range after the last one and after notBefore, ending at
// most at maxEnd the next day; its end is represented below its start.
func drawOvernight(t *rapid.T, label string, spans [][2]int, notBefore, maxEnd int) [][2]int {
	if !rapid.Bool().Draw(t, label+".overnight") {
		return spans
	}
	end := rapid.IntRange(0, min(maxEnd, 1438)).Draw(t, label+".overnightEnd")
	lowest := max(notBefore, end+1)
	if len(spans) > 0 {
		lowest = max(lowest, spans[len(spans)-1][1])
	}
	if lowest > 1439 {
		return spans
	}
	start := rapid.IntRange(lowest, 1439).Draw(t, label+".overnightStart")
	return append(spans, [2]int{start, end})
}

func toRanges(t *rapid.T, label string, spans [][2]int) []hours.Range {
	var out []hours.Range
	for _, sp := range spans {
		out = append(out, hours.Range(fmt.Sprintf("%02d:%02d-%02d:%02d", sp[0]/60, sp[0]%60, sp[1]/60, sp[1]%60)))
	}
	if len(out) > 1 {
		out = rapid.Permutation(out).Draw(t, label+".order") // any order is allowed
	}
	return out
}

// drawBusinessHours returns valid hours with overnight and all-day ranges, and exceptions (one-off
// and yearly, closed and special) near anchor so that they matter.
func drawBusinessHours(t *rapid.T, zone string, loc *time.Location, anchor time.Time) hours.BusinessHours {
	b := hours.BusinessHours{Enabled: rapid.IntRange(0, 9).Draw(t, "enabled") > 0, TimeZone: zone}
	var week [7][][2]int
	// One schedule in four has a closed week, open only on its exceptions (searches take a
	// shortcut then).
	closedWeek := rapid.IntRange(0, 3).Draw(t, "closedWeek") == 0
	for d := range week {
		if !closedWeek {
			week[d] = drawSpans(t, time.Weekday(d).String())
		}
	}
	// An overnight range must end before the next day's first range and, when the next day has
	// one too, before that one's start: draw the ordinary ranges of every day first, then the
	// overnight ones in order, each starting after the spill-over of the day before. Saturday's
	// spill-over into Sunday is bounded by Sunday's overnight start as well.
	var spill [8]int
	for d := range week {
		maxEnd := 1440
		if next := week[(d+1)%7]; len(next) > 0 {
			maxEnd = next[0][0]
		}
		if d == 6 && len(week[0]) > 0 {
			maxEnd = min(maxEnd, week[0][len(week[0])-1][0])
		}
		if !closedWeek {
			week[d] = drawOvernight(t, time.Weekday(d).String(), week[d], max(spill[d], 1), maxEnd)
		}
		if last := week[d]; len(last) > 0 && last[len(last)-1][1] < last[len(last)-1][0] {
			spill[d+1] = last[len(last)-1][1]
		}
	}
	for d := range week {
		b.Week[d] = toRanges(t, time.Weekday(d).String(), week[d])
	}

	y, m, d := anchor.In(loc).Date()
	used := map[string]bool{}
	for i := range rapid.IntRange(0, 4).Draw(t, "exceptions") {
		label := fmt.Sprintf("exception%d", i)
		day := time.Date(y, m, d+rapid.IntRange(-windowDays, windowDays).Draw(t, label+".day"), 0, 0, 0, 0, time.UTC)
		ex := hours.Exception{Name: label, Yearly: rapid.Bool().Draw(t, label+".yearly")}
		key := day.Format("2006-01-02")
		if ex.Yearly {
			key = day.Format("01-02")
			// Another leap year when day is Feb 29, so the date exists.
			day = day.AddDate(-4*rapid.IntRange(1, 5).Draw(t, label+".yearsBack"), 0, 0)
		}
		if used[key] {
			continue
		}
		used[key] = true
		ex.Date = day.Format("2006-01-02")
		spans := drawSpans(t, label)
		spans = drawOvernight(t, label, spans, 1, 1440) // may overlap the next day: allowed for exceptions
		ex.Ranges = toRanges(t, label, spans)
		ex.Closed = len(ex.Ranges) == 0
		b.Exceptions = append(b.Exceptions, ex)
	}
	return b
}

// TestPropertyJSONRoundTrip: any BusinessHours with nil for empty lists comes back equal from
// Marshal and Unmarshal, valid or not.
func TestPropertyJSONRoundTrip(t *testing.T) {
	text := rapid.OneOf(rapid.String(), rapid.SampledFrom([]string{"", "09:00-18:00", `"quoted"`, "é{{next_open}}\n"}))
	rangesGen := rapid.Custom(func(t *rapid.T) []hours.Range {
		rs := rapid.SliceOfN(text, 0, 3).Draw(t, "ranges")
		if len(rs) == 0 {
			return nil
		}
		out := make([]hours.Range, len(rs))
		for i, r := range rs {
			out[i] = hours.Range(r)
		}
		return out
	})
	rapid.Check(t, func(t *rapid.T) {
		b := hours.BusinessHours{
			Enabled:            rapid.Bool().Draw(t, "enabled"),
			TimeZone:           text.Draw(t, "zone"),
			OutOfOfficeMessage: text.Draw(t, "message"),
		}
		for d := range b.Week {
			b.Week[d] = rangesGen.Draw(t, "day")
		}
		for range rapid.IntRange(0, 3).Draw(t, "exceptions") {
			b.Exceptions = append(b.Exceptions, hours.Exception{
				Name: text.Draw(t, "name"), Date: text.Draw(t, "date"), Yearly: rapid.Bool().Draw(t, "yearly"),
				Closed: rapid.Bool().Draw(t, "closed"), Ranges: rangesGen.Draw(t, "ranges"),
			})
		}
		data, err := json.Marshal(b)
		require.NoError(t, err)
		var back hours.BusinessHours
		require.NoError(t, json.Unmarshal(data, &back), "%s", data)
		require.Equal(t, b, back, "%s", data)
	})
}

// validRange is the range grammar written as a regular expression, independently of the parser.
var validRange = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$`)

// TestPropertyRangeGrammar: a one-range week validates exactly when the range matches the grammar
// and is not empty.
func TestPropertyRangeGrammar(t *testing.T) {
	gen := rapid.OneOf(rapid.StringMatching(`[0-9]{1,2}:[0-9]{1,2}-[0-9]{1,2}:[0-9]{1,2}`),
		rapid.StringMatching(`[0-2][0-9]:[0-6][0-9]-[0-2][0-9]:[0-6][0-9]`), rapid.String())
	rapid.Check(t, func(t *rapid.T) {
		r := gen.Draw(t, "range")
		err := hours.BusinessHours{Week: hours.Week{time.Monday: {hours.Range(r)}}}.Validate()
		want := validRange.MatchString(r) && r[:5] != r[6:] && !(r[:5] == "00:00" && r[6:] == "00:00")
		require.Equal(t, want, err == nil, "%q: %v", r, err)
	})
}
