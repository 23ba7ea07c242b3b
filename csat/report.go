package csat

import (
	"errors"
	"fmt"
	"time"
)

// ErrInvalidReport is wrapped by NewReportBuilder's errors: an unknown period
// or a filter whose To is before its From.
var ErrInvalidReport = errors.New("csat: invalid report request")

// Filter selects the entries of a report. Empty fields select everything.
type Filter struct {
	// ChannelID keeps one channel's surveys.
	ChannelID string `json:"channel_id,omitempty"`
	// AgentID keeps the surveys of one human agent.
	AgentID string `json:"agent_id,omitempty"`
	// AIAgentID keeps the surveys of one AI agent.
	AIAgentID string `json:"ai_agent_id,omitempty"`
	// From and To bound SentAt to [From, To); a zero time is unbounded.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// Match reports whether e is selected by f.
func (f Filter) Match(e Entry) bool {
	return (f.ChannelID == "" || e.ChannelID == f.ChannelID) &&
		(f.AgentID == "" || e.AgentID == f.AgentID) &&
		(f.AIAgentID == "" || e.AIAgentID == f.AIAgentID) &&
		(f.From.IsZero() || !e.SentAt.Before(f.From)) &&
		(f.To.IsZero() || e.SentAt.Before(f.To))
}

// PeriodTally is the tally of the surveys sent in [Start, End).
type PeriodTally struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Tally
}

// Report is the CSAT report of the entries matching Filter.
type Report struct {
	Filter
	// Period is the length of the ByPeriod buckets.
	Period Period `json:"period,omitempty"`
	// Total tallies every matching entry.
	Total Tally `json:"total"`
	// ByAgent, ByAIAgent and ByChannel tally matching entries per id; an
	// entry without that id is only in Total. An entry with both a human and
	// an AI agent counts for each.
	ByAgent   map[string]Tally `json:"by_agent"`
	ByAIAgent map[string]Tally `json:"by_ai_agent"`
	ByChannel map[string]Tally `json:"by_channel"`
	// ByPeriod lists, sorted by Start, the periods in which at least one
	// matching survey was sent; periods without surveys are left out (use
	// Period.Start and Period.Next to lay out a full axis). Nil with
	// PeriodNone.
	ByPeriod []PeriodTally `json:"by_period,omitempty"`
}

// ReportBuilder builds a Report from entries fed one at a time, so a store can
// stream them without holding them all. It is not safe for concurrent use; to
// build in parallel, use one builder per goroutine and combine the tallies
// of their reports with Tally.Merge.
type ReportBuilder struct {
	filter    Filter
	period    Period
	loc       *time.Location
	zones     zoneCache
	total     Tally
	byAgent   map[string]*Tally
	byAIAgent map[string]*Tally
	byChannel map[string]*Tally
	byPeriod  periodTallies // by Period.key
}

// NewReportBuilder returns an empty builder for the entries matching f,
// grouped by period (PeriodNone: no grouping) in loc (nil: UTC). It fails,
// wrapping ErrInvalidReport, on an unknown period or when f.To is before
// f.From.
func NewReportBuilder(f Filter, period Period, loc *time.Location) (*ReportBuilder, error) {
	if !period.valid() {
		return nil, fmt.Errorf("%w: period %q is unknown: want %q, %q, %q or \"\" for no breakdown",
			ErrInvalidReport, string(period), PeriodDay, PeriodWeek, PeriodMonth)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, fmt.Errorf("%w: filter To %s is before From %s: swap them", ErrInvalidReport,
			f.To.Format(time.RFC3339), f.From.Format(time.RFC3339))
	}
	if loc == nil {
		loc = time.UTC
	}
	return &ReportBuilder{
		filter:    f,
		period:    period,
		loc:       loc,
		zones:     zoneCache{loc: loc},
		byAgent:   map[string]*Tally{},
		byAIAgent: map[string]*Tally{},
		byChannel: map[string]*Tally{},
	}, nil
}

// Add counts e if it matches the builder's filter.
func (b *ReportBuilder) Add(e Entry) {
	if !b.filter.Match(e) {
		return
	}
	b.total.Add(e)
	addTo(b.byAgent, e.AgentID, e.Rating)
	addTo(b.byAIAgent, e.AIAgentID, e.Rating)
	addTo(b.byChannel, e.ChannelID, e.Rating)
	if b.period != PeriodNone {
		sec := e.SentAt.Unix()
		key := b.period.key(localDay(sec, b.zones.offset(e.SentAt, sec)))
		b.byPeriod.at(key).AddSurvey(e.Rating)
	}
}

func addTo(m map[string]*Tally, id string, rating int) {
	if id == "" {
		return
	}
	t := m[id]
	if t == nil {
		t = &Tally{}
		m[id] = t
	}
	t.AddSurvey(rating)
}

// Report returns the report of the entries added so far. The builder stays
// usable: more entries may be added and Report called again.
func (b *ReportBuilder) Report() Report {
	r := Report{
		Filter:    b.filter,
		Period:    b.period,
		Total:     b.total,
		ByAgent:   snapshot(b.byAgent),
		ByAIAgent: snapshot(b.byAIAgent),
		ByChannel: snapshot(b.byChannel),
	}
	if b.period == PeriodNone {
		return r
	}
	keys, tallies := b.byPeriod.sorted()
	r.ByPeriod = make([]PeriodTally, 0, len(keys))
	for i, k := range keys {
		start := b.period.keyStart(k, b.loc)
		r.ByPeriod = append(r.ByPeriod, PeriodTally{Start: start, End: b.period.Next(start), Tally: tallies[i]})
	}
	return r
}

func snapshot(m map[string]*Tally) map[string]Tally {
	out := make(map[string]Tally, len(m))
	for k, t := range m {
		out[k] = *t
	}
	return out
}
