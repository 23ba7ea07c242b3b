package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
)

var reportCases = []testCase{
	{"a native CSAT report equals the builder's over the same surveys", func(t *testing.T, s store.Store) {
		agg, ok := s.(store.SurveyAggregator)
		if !ok {
			t.Skip("the store does not implement store.SurveyAggregator (optional)")
		}
		mustCreateChannel(t, s, "ch1")
		// Six resolutions, four of them rated, over two days.
		for i := range 6 {
			at := t0.Add(time.Duration(i) * 12 * time.Hour)
			res := mustRecord(t, s, inbound("ch1", fmt.Sprintf("+1415557%04d", i), 100+i, at))
			sv := &store.Survey{ID: fmt.Sprintf("sv%d", i), SentAt: at, ExpiresAt: at.Add(time.Hour)}
			msg := &store.Message{Kind: store.KindSurvey, Key: fmt.Sprintf("csat:%d", i), Text: "rate us"}
			if _, _, err := s.Resolve(ctx(t), store.ResolveRequest{ConversationID: res.Conversation.ID, At: at, Survey: sv, SurveyMessage: msg}); err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if i < 4 {
				rec := inbound("ch1", fmt.Sprintf("+1415557%04d", i), 200+i, at.Add(time.Minute))
				rec.Answer = store.SurveyAnswer{Rating: 5 - i, Method: "digits"}
				mustRecord(t, s, rec)
			}
		}
		for _, period := range []csat.Period{csat.PeriodNone, csat.PeriodDay, csat.PeriodWeek, csat.PeriodMonth} {
			got, err := agg.CSATReport(ctx(t), csat.Filter{ChannelID: "ch1"}, period, time.UTC)
			noErr(t, err, "CSATReport")
			b, err := csat.NewReportBuilder(csat.Filter{ChannelID: "ch1"}, period, time.UTC)
			noErr(t, err, "NewReportBuilder")
			all, err := s.ListSurveys(ctx(t), store.SurveyFilter{})
			noErr(t, err, "ListSurveys")
			for _, sv := range all {
				b.Add(sv.Entry())
			}
			want := b.Report()
			equal(t, got.Total, want.Total, fmt.Sprintf("Total (%q)", period))
			equal(t, len(got.ByPeriod), len(want.ByPeriod), fmt.Sprintf("periods (%q)", period))
			for i := range want.ByPeriod {
				equal(t, got.ByPeriod[i].Tally, want.ByPeriod[i].Tally, "period tally")
				sameTime(t, got.ByPeriod[i].Start, want.ByPeriod[i].Start, "period start")
			}
		}
		got, err := agg.CSATReport(ctx(t), csat.Filter{}, csat.PeriodNone, time.UTC)
		noErr(t, err, "CSATReport")
		equal(t, got.Total.Sent, 6, "Sent")
		equal(t, got.Total.Responses, 4, "Responses")
		equal(t, got.Total.Counts, [5]int{0, 1, 1, 1, 1}, "Counts")
	}},
}
