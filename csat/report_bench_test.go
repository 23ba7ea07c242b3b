package csat

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// benchEntries spreads n entries over 20 agents, 3 channels and 90 days, in
// random time order (stores return them in any order), with about half of
// them answered.
func benchEntries(tb testing.TB, n int) []Entry {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	agents := make([]string, 20)
	for i := range agents {
		agents[i] = fmt.Sprintf("agent-%02d", i)
	}
	channels := []string{"support-fr", "support-es", "sales-en"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int64(90 * 24 * time.Hour)
	entries := make([]Entry, n)
	for i := range entries {
		e := Entry{
			ChannelID: channels[rng.IntN(len(channels))],
			AgentID:   agents[rng.IntN(len(agents))],
			SentAt:    start.Add(time.Duration(rng.Int64N(span))),
		}
		if rng.IntN(2) == 0 {
			e.Rating = 1 + rng.IntN(5)
		}
		if rng.IntN(10) == 0 {
			e.AIAgentID = "gpt"
		}
		entries[i] = e
	}
	return entries
}

// BenchmarkReport1M builds a report over 1,000,000 entries per iteration,
// bucketed by day in a zone with a daylight-saving change inside the 90 days.
// Budget: 200 ms per op.
func BenchmarkReport1M(b *testing.B) {
	entries := benchEntries(b, 1_000_000)
	loc := mustLoad(b, "Europe/Paris")
	for _, p := range []Period{PeriodNone, PeriodDay, PeriodWeek, PeriodMonth} {
		name := string(p)
		if name == "" {
			name = "none"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rb, err := NewReportBuilder(Filter{}, p, loc)
				if err != nil {
					b.Fatal(err)
				}
				for _, e := range entries {
					rb.Add(e)
				}
				if r := rb.Report(); r.Total.Sent != len(entries) {
					b.Fatalf("Sent = %d, want %d", r.Total.Sent, len(entries))
				}
			}
		})
	}
}
