package livedesk

import (
	"context"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
)

// ReportRequest selects a CSAT report.
type ReportRequest struct {
	// Filter selects surveys by channel, agent, AI agent and SentAt.
	Filter csat.Filter
	// Period adds a per-day, per-week or per-month breakdown ("" for none),
	// computed in Location (nil: UTC).
	Period   csat.Period
	Location *time.Location
}

// CSATReport computes the CSAT report: surveys sent, responses, response
// rate, average, distribution, CSAT % (share of 4 and 5), per agent, AI
// agent, channel and period. Surveys that could not be sent do not count.
// A store implementing store.SurveyAggregator computes it itself.
func (d *Desk) CSATReport(ctx context.Context, r ReportRequest) (csat.Report, error) {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	if agg, ok := d.store.(store.SurveyAggregator); ok {
		rep, err := agg.CSATReport(ctx, r.Filter, r.Period, loc)
		if err != nil {
			return csat.Report{}, fmt.Errorf("livedesk: CSAT report: %w", err)
		}
		return rep, nil
	}
	b, err := csat.NewReportBuilder(r.Filter, r.Period, loc)
	if err != nil {
		return csat.Report{}, fmt.Errorf("livedesk: CSAT report: %w", err)
	}
	surveys, err := d.store.ListSurveys(ctx, store.SurveyFilter{ChannelID: r.Filter.ChannelID, AgentID: r.Filter.AgentID, From: r.Filter.From, To: r.Filter.To})
	if err != nil {
		return csat.Report{}, fmt.Errorf("livedesk: CSAT report: %w", err)
	}
	for _, s := range surveys {
		if s.NotSent == "" {
			b.Add(s.Entry())
		}
	}
	return b.Report(), nil
}
