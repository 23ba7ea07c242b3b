package csat

import (
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestPeriodTalliesMatchesMap: whatever order and spread of keys (clustered,
// descending, far apart), periodTallies holds the same tallies as a plain map
// and lists them sorted, each key once.
func TestPeriodTalliesMatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		center := rapid.Int64Range(-1e12, 1e12).Draw(t, "center")
		key := rapid.OneOf(
			rapid.Int64Range(center-100, center+100),                             // a report's days
			rapid.Int64Range(center-3*maxDensePeriods, center+3*maxDensePeriods), // around the cap
			rapid.Int64Range(-1e14, 1e14),                                        // absurd SentAt values
		)
		var p periodTallies
		want := map[int64]*Tally{}
		for i, k := range rapid.SliceOfN(key, 1, 300).Draw(t, "keys") {
			r := i % 6
			p.at(k).AddSurvey(r)
			if want[k] == nil {
				want[k] = &Tally{}
			}
			want[k].AddSurvey(r)
		}
		keys, tallies := p.sorted()
		if !slices.Equal(keys, slices.Sorted(maps.Keys(want))) {
			t.Fatalf("keys %v, want %v", keys, slices.Sorted(maps.Keys(want)))
		}
		for i, k := range keys {
			if tallies[i] != *want[k] {
				t.Fatalf("key %d: %+v, want %+v", k, tallies[i], *want[k])
			}
		}
		if len(p.dense) > maxDensePeriods {
			t.Fatalf("dense slice of %d periods", len(p.dense))
		}
	})
}

func TestPeriodTalliesGrowth(t *testing.T) {
	var p periodTallies
	for k := int64(0); k < 1000; k++ { // in order: amortized doubling
		p.at(k).AddSurvey(1)
	}
	require.Nil(t, p.sparse)
	require.LessOrEqual(t, len(p.dense), 2048)
	for k := int64(-1); k > -1000; k-- { // downwards
		p.at(k).AddSurvey(2)
	}
	require.Nil(t, p.sparse)
	p.at(maxDensePeriods * 10).AddSurvey(3) // too far: map
	require.Len(t, p.sparse, 1)
	p.at(1000).AddSurvey(4) // in no slot yet, and dense is frozen now
	keys, _ := p.sorted()
	require.Len(t, keys, 2001)
	require.Equal(t, int64(-999), keys[0])
	require.Equal(t, int64(maxDensePeriods*10), keys[len(keys)-1])
}

// TestReportExtremeTimes: zero and far-away SentAt values do not panic and
// still add up.
func TestReportExtremeTimes(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	times := []time.Time{{}, time.Unix(math.MaxInt64/2, 0), time.Unix(math.MinInt64/2, 0),
		time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 0, 0, 0, ny)}
	for _, p := range []Period{PeriodDay, PeriodWeek, PeriodMonth} {
		var entries []Entry
		for i, at := range times {
			entries = append(entries, Entry{ChannelID: "c", SentAt: at, Rating: i%5 + 1})
		}
		r := build(t, Filter{}, p, ny, entries)
		require.Len(t, r.ByPeriod, len(times), "%s", p)
		var sum Tally
		for i, pt := range r.ByPeriod {
			sum.Merge(pt.Tally)
			if i > 0 {
				require.True(t, r.ByPeriod[i-1].Start.Before(pt.Start), "%s: sorted", p)
			}
		}
		require.Equal(t, r.Total, sum, "%s", p)
	}
}
