package csat

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFilterMatch(t *testing.T) {
	from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	e := Entry{ChannelID: "c1", AgentID: "alice", AIAgentID: "gpt", SentAt: from}
	cases := []struct {
		rule string
		f    Filter
		e    Entry
		want bool
	}{
		{"zero filter matches everything", Filter{}, e, true},
		{"channel matches", Filter{ChannelID: "c1"}, e, true},
		{"other channel", Filter{ChannelID: "c2"}, e, false},
		{"agent matches", Filter{AgentID: "alice"}, e, true},
		{"other agent", Filter{AgentID: "bob"}, e, false},
		{"agent filter does not match the AI agent id", Filter{AgentID: "gpt"}, e, false},
		{"AI agent matches", Filter{AIAgentID: "gpt"}, e, true},
		{"From is inclusive", Filter{From: from}, e, true},
		{"before From", Filter{From: from.Add(time.Nanosecond)}, e, false},
		{"To is exclusive", Filter{To: from}, e, false},
		{"just before To", Filter{From: from, To: to}, Entry{SentAt: to.Add(-time.Nanosecond)}, true},
		{"at To", Filter{From: from, To: to}, Entry{SentAt: to}, false},
		{"same instant in another zone", Filter{From: from}, Entry{SentAt: from.In(time.FixedZone("X", -3600))}, true},
		{"all conditions", Filter{ChannelID: "c1", AgentID: "alice", From: from, To: to}, e, true},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			require.Equal(t, tc.want, tc.f.Match(tc.e))
		})
	}
}

// handEntries: seven surveys on two channels, hand-tallied in TestReportSplits.
func handEntries() []Entry {
	at := time.Date(2025, 5, 6, 12, 0, 0, 0, time.UTC)
	return []Entry{
		{ChannelID: "c1", AgentID: "alice", SentAt: at, Rating: 5},
		{ChannelID: "c1", AgentID: "alice", SentAt: at, Rating: 4},
		{ChannelID: "c1", AgentID: "bob", SentAt: at},
		{ChannelID: "c2", AgentID: "bob", SentAt: at, Rating: 1},
		{ChannelID: "c2", AgentID: "alice", SentAt: at},
		{ChannelID: "c2", SentAt: at, Rating: 3},                   // resolved unassigned
		{ChannelID: "c1", AIAgentID: "gpt", SentAt: at, Rating: 5}, // AI-handled
	}
}

func build(t *testing.T, f Filter, p Period, loc *time.Location, entries []Entry) Report {
	t.Helper()
	b, err := NewReportBuilder(f, p, loc)
	require.NoError(t, err)
	for _, e := range entries {
		b.Add(e)
	}
	return b.Report()
}

func TestReportSplits(t *testing.T) {
	r := build(t, Filter{}, PeriodNone, nil, handEntries())

	require.Equal(t, Tally{Sent: 7, Responses: 5, Counts: [5]int{1, 0, 1, 1, 2}}, r.Total)
	require.InDelta(t, 3.6, r.Total.Average(), eps)
	require.InDelta(t, 5.0/7, r.Total.ResponseRate(), eps)
	require.InDelta(t, 0.6, r.Total.CSAT(), eps)

	require.Equal(t, map[string]Tally{
		"alice": {Sent: 3, Responses: 2, Counts: [5]int{0, 0, 0, 1, 1}},
		"bob":   {Sent: 2, Responses: 1, Counts: [5]int{1, 0, 0, 0, 0}},
	}, r.ByAgent, "the unassigned and AI-handled surveys are in no human agent's tally")
	require.InDelta(t, 4.5, r.ByAgent["alice"].Average(), eps)
	require.InDelta(t, 2.0/3, r.ByAgent["alice"].ResponseRate(), eps)
	require.InDelta(t, 1.0, r.ByAgent["alice"].CSAT(), eps)
	require.InDelta(t, 0.0, r.ByAgent["bob"].CSAT(), eps)

	require.Equal(t, map[string]Tally{"gpt": {Sent: 1, Responses: 1, Counts: [5]int{0, 0, 0, 0, 1}}}, r.ByAIAgent)

	require.Equal(t, map[string]Tally{
		"c1": {Sent: 4, Responses: 3, Counts: [5]int{0, 0, 0, 1, 2}},
		"c2": {Sent: 3, Responses: 2, Counts: [5]int{1, 0, 1, 0, 0}},
	}, r.ByChannel)
	require.InDelta(t, 14.0/3, r.ByChannel["c1"].Average(), eps)
	require.InDelta(t, 0.75, r.ByChannel["c1"].ResponseRate(), eps)
	require.InDelta(t, 2.0, r.ByChannel["c2"].Average(), eps)
	require.Nil(t, r.ByPeriod, "no breakdown with PeriodNone")

	var sum Tally
	for _, tl := range r.ByChannel {
		sum.Merge(tl)
	}
	require.Equal(t, r.Total, sum, "every entry has a channel, so channels add up to the total")
}

func TestReportFilter(t *testing.T) {
	r := build(t, Filter{ChannelID: "c2"}, PeriodNone, nil, handEntries())
	require.Equal(t, Filter{ChannelID: "c2"}, r.Filter)
	require.Equal(t, Tally{Sent: 3, Responses: 2, Counts: [5]int{1, 0, 1, 0, 0}}, r.Total)
	require.Equal(t, []string{"c2"}, keys(r.ByChannel))

	r = build(t, Filter{AgentID: "alice"}, PeriodNone, nil, handEntries())
	require.Equal(t, Tally{Sent: 3, Responses: 2, Counts: [5]int{0, 0, 0, 1, 1}}, r.Total)
	require.Equal(t, []string{"alice"}, keys(r.ByAgent))
	require.Equal(t, []string{"c1", "c2"}, keys(r.ByChannel))

	at := handEntries()[0].SentAt
	r = build(t, Filter{From: at.Add(time.Second)}, PeriodDay, nil, handEntries())
	require.Equal(t, Tally{}, r.Total, "everything before From")
	require.Empty(t, r.ByAgent)
	require.Empty(t, r.ByPeriod)
}

func keys(m map[string]Tally) []string { return slices.Sorted(maps.Keys(m)) }

func TestReportIncremental(t *testing.T) {
	entries := handEntries()
	b, err := NewReportBuilder(Filter{}, PeriodDay, time.UTC)
	require.NoError(t, err)
	for _, e := range entries[:3] {
		b.Add(e)
	}
	first := b.Report()
	for _, e := range entries[3:] {
		b.Add(e)
	}
	second := b.Report()
	require.Equal(t, 3, first.Total.Sent, "an earlier report is a snapshot")
	require.Equal(t, Tally{Sent: 2, Responses: 2, Counts: [5]int{0, 0, 0, 1, 1}}, first.ByAgent["alice"])
	require.Equal(t, 3, first.ByPeriod[0].Sent)
	require.Equal(t, build(t, Filter{}, PeriodDay, time.UTC, entries), second, "feeding in two runs equals one run")

	// Splitting the entries across builders and merging gives the same total.
	var merged Tally
	for _, part := range [][]Entry{entries[:2], entries[2:5], entries[5:]} {
		merged.Merge(build(t, Filter{}, PeriodNone, nil, part).Total)
	}
	require.Equal(t, second.Total, merged)
}

func TestNewReportBuilderErrors(t *testing.T) {
	_, err := NewReportBuilder(Filter{}, "year", nil)
	require.ErrorIs(t, err, ErrInvalidReport)
	require.ErrorContains(t, err, `csat: invalid report request: period "year" is unknown: want "day", "week", "month" or "" for no breakdown`)

	from := time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)
	_, err = NewReportBuilder(Filter{From: from, To: from.Add(-time.Hour)}, PeriodDay, nil)
	require.ErrorIs(t, err, ErrInvalidReport)
	require.ErrorContains(t, err, "filter To 2025-03-01T23:00:00Z is before From 2025-03-02T00:00:00Z: swap them")

	_, err = NewReportBuilder(Filter{From: from, To: from}, PeriodDay, nil)
	require.NoError(t, err, "an empty range is allowed")
	_, err = NewReportBuilder(Filter{To: from}, PeriodMonth, nil)
	require.NoError(t, err, "one bound only")
}
