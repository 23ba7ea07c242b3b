package pgstore_test

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the machine's zoneinfo

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// surveySpec is one survey for seedSurveys to create.
type surveySpec struct {
	channel string
	agent   string // human owner, "" for none
	ai      string // AI owner, "" for none
	at      time.Time
	// rating 1..5 is answered through RecordInbound; 0 is left unanswered;
	// anything else, which the store never writes, is set in SQL.
	rating  int
	notSent bool
	// alsoAI adds an AI agent to a human-owned survey, in SQL: the store's
	// operations never give a conversation both owners, the report allows it.
	alsoAI string
}

// seedSurveys creates the surveys the way the desk does: a customer's
// message opens a conversation, an agent or AI agent takes it, Resolve
// creates the survey with its message (or, not sent, closed and without
// one), and the customer's answer goes through RecordInbound. Channels
// and agents are created as needed.
func seedSurveys(t testing.TB, s *pgstore.Store, pool *pgxpool.Pool, schema string, specs []surveySpec) {
	t.Helper()
	ctx := t.Context()
	surveys := pgx.Identifier{schema, "surveys"}.Sanitize()
	channels, agents := map[string]bool{}, map[string]bool{}
	for i, sp := range specs {
		if !channels[sp.channel] {
			channels[sp.channel] = true
			require.NoError(t, s.CreateChannel(ctx, testChannel(sp.channel)))
		}
		if sp.agent != "" && !agents[sp.agent] {
			agents[sp.agent] = true
			require.NoError(t, s.CreateAgent(ctx, store.Agent{ID: sp.agent, Status: store.AgentOnline, CreatedAt: t0, UpdatedAt: t0}))
		}
		phone := fmt.Sprintf("+1415555%04d", i)
		res, err := s.RecordInbound(ctx, inboundAt(sp.channel, phone, 2*i, sp.at.Add(-10*time.Minute)))
		require.NoError(t, err)
		conv := res.Conversation.ID
		switch {
		case sp.agent != "":
			_, err = s.ChangeOwner(ctx, store.OwnerChange{ConversationID: conv, To: store.Owner{AgentID: sp.agent}, At: sp.at, Force: true})
		case sp.ai != "":
			_, err = s.ChangeOwner(ctx, store.OwnerChange{ConversationID: conv, To: store.Owner{AIAgentID: sp.ai}, At: sp.at})
		}
		require.NoError(t, err)
		req := store.ResolveRequest{ConversationID: conv, At: sp.at,
			Survey: &store.Survey{SentAt: sp.at, ExpiresAt: sp.at.Add(24 * time.Hour)}}
		if sp.notSent {
			req.Survey.Closed, req.Survey.NotSent = true, "the 24-hour window is closed"
		} else {
			req.SurveyMessage = &store.Message{Kind: store.KindSurvey, Key: "csat:" + conv + ":1", Text: "How did we do? 1-5"}
		}
		_, sv, err := s.Resolve(ctx, req)
		require.NoError(t, err)
		switch {
		case sp.rating >= 1 && sp.rating <= 5:
			rec := inboundAt(sp.channel, phone, 2*i+1, sp.at.Add(time.Minute))
			rec.Answer = store.SurveyAnswer{Rating: sp.rating, Method: "digits"}
			got, err := s.RecordInbound(ctx, rec)
			require.NoError(t, err)
			require.Equal(t, store.SurveyRated, got.SurveyOutcome, "survey %d", i)
		case sp.rating != 0:
			_, err := pool.Exec(ctx, "UPDATE "+surveys+" SET rating = $1 WHERE id = $2", sp.rating, sv.ID)
			require.NoError(t, err)
		}
		if sp.alsoAI != "" {
			_, err := pool.Exec(ctx, "UPDATE "+surveys+" SET ai_agent_id = $1 WHERE id = $2", sp.alsoAI, sv.ID)
			require.NoError(t, err)
		}
	}
}

// builderReport is the report the desk builds without the capability:
// every stored survey that was sent, through csat.ReportBuilder.
func builderReport(t testing.TB, all []store.Survey, f csat.Filter, p csat.Period, loc *time.Location) csat.Report {
	t.Helper()
	b, err := csat.NewReportBuilder(f, p, loc)
	require.NoError(t, err)
	for _, sv := range all {
		if sv.NotSent == "" {
			b.Add(sv.Entry())
		}
	}
	return b.Report()
}

func utcAt(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// reportSpecs are surveys on both sides of the period boundaries of the
// zones reportZones tests (local midnights, Mondays, 1sts, daylight-saving
// changes), then a series every 13h17m from March 5 to mid-April 2026,
// which crosses every hour of the day and both European and American
// spring changes.
func reportSpecs() []surveySpec {
	edges := []string{
		"2025-12-28T22:59:59Z", "2025-12-28T23:00:00Z", // Monday Dec 29 in Paris: the week holding Jan 1
		"2025-12-31T22:59:59.999999Z", "2025-12-31T23:00:00Z", // New Year in Paris
		"2026-03-08T04:59:59Z", "2026-03-08T05:00:00Z", // midnight in New York, the day its clocks go forward
		"2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", // New York 02:00 EST becomes 03:00 EDT
		"2026-03-10T18:29:59Z", "2026-03-10T18:30:00Z", // midnight in Kolkata (+05:30)
		"2026-03-28T22:59:59.999999Z", "2026-03-28T23:00:00Z", // Sunday Mar 29 starts in Paris (CET)
		"2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", // Paris 02:00 CET becomes 03:00 CEST
		"2026-03-29T21:59:59Z", "2026-03-29T22:00:00Z", // Monday Mar 30 in Paris (CEST): a 23-hour day ends
		"2026-03-29T23:59:59Z", "2026-03-30T00:00:00Z", // Monday in UTC
		"2026-03-31T21:59:59Z", "2026-03-31T22:00:00Z", // April in Paris
		"2026-03-31T23:59:59Z", "2026-04-01T00:00:00Z", // April in UTC
		"2026-10-24T21:59:59Z", "2026-10-24T22:00:00Z", // Sunday Oct 25 in Paris (CEST)
		"2026-10-25T00:59:59Z", "2026-10-25T01:00:00Z", // Paris 03:00 CEST becomes 02:00 CET
		"2026-10-25T22:59:59Z", "2026-10-25T23:00:00Z", // Monday Oct 26 in Paris (CET): a 25-hour day ends
		"2026-10-31T22:59:59Z", "2026-10-31T23:00:00Z", // November in Paris
	}
	owners := []struct{ agent, ai string }{{"alice", ""}, {"bob", ""}, {"", "bot"}, {"", ""}, {"alice", ""}, {"", "gpt"}}
	var specs []surveySpec
	add := func(at time.Time) {
		i := len(specs)
		o := owners[i%len(owners)]
		sp := surveySpec{channel: []string{"c1", "c2"}[i%2], agent: o.agent, ai: o.ai, at: at,
			rating: []int{5, 0, 4, 1, 3, 5, 2, 0, 4}[i%9], notSent: i%11 == 10}
		if sp.notSent {
			sp.rating = 0 // created closed: nothing can answer it
		}
		specs = append(specs, sp)
	}
	for _, e := range edges {
		add(utcAt(e))
	}
	start := utcAt("2026-03-05T18:00:00Z")
	for i := range 80 {
		add(start.Add(time.Duration(i) * (13*time.Hour + 17*time.Minute)))
	}
	// Off the scale: sent, not answered. And one survey with both owners.
	specs[3].rating, specs[4].rating = 7, -1
	specs[6].agent, specs[6].ai, specs[6].alsoAI = "bob", "", "bot"
	return specs
}

// reportZones are the zones the report is compared in, including names
// PostgreSQL would read differently ("UTC+2" is two hours west to it, its
// "CET" has summer time): the store must use Go's zone rules.
func reportZones(t *testing.T) map[string]*time.Location {
	t.Helper()
	zones := map[string]*time.Location{"nil": nil, "UTC": time.UTC,
		"FixedZone UTC+2": time.FixedZone("UTC+2", 2*3600), "FixedZone CET": time.FixedZone("CET", 3600)}
	for _, name := range []string{"Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		zones[name] = loc
	}
	return zones
}

// TestCSATReportMatchesBuilder compares the SQL report with the builder's
// over the same stored surveys, for every period, zone and kind of filter.
func TestCSATReportMatchesBuilder(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, schema := newStore(t, pool, nil)
	specs := reportSpecs()
	seedSurveys(t, s, pool, schema, specs)
	all, err := s.ListSurveys(t.Context(), store.SurveyFilter{})
	require.NoError(t, err)
	require.Len(t, all, len(specs))

	paris := reportZones(t)["Europe/Paris"]
	filters := []struct {
		rule string
		f    csat.Filter
		some bool // the filter matches surveys: the comparison is not of two empty reports
	}{
		{"no filter", csat.Filter{}, true},
		{"channel", csat.Filter{ChannelID: "c2"}, true},
		{"agent", csat.Filter{AgentID: "alice"}, true},
		{"AI agent, including the survey that also has a human agent", csat.Filter{AIAgentID: "bot"}, true},
		{"agent and AI agent", csat.Filter{AgentID: "bob", AIAgentID: "bot"}, true},
		{"channel and agent", csat.Filter{ChannelID: "c1", AgentID: "bob"}, true},
		{"range around the spring change, bounds in Paris", csat.Filter{
			From: time.Date(2026, 3, 28, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)}, true},
		{"From only", csat.Filter{From: utcAt("2026-03-29T22:00:00Z")}, true},
		{"To only", csat.Filter{To: utcAt("2026-03-29T01:00:00Z")}, true},
		{"sub-microsecond bounds: From just after a survey, To just after another", csat.Filter{
			From: utcAt("2026-03-28T23:00:00.0000005Z"), To: utcAt("2026-03-29T22:00:00.000000001Z")}, true},
		{"range and channel", csat.Filter{ChannelID: "c1", From: utcAt("2026-03-20T00:00:00Z"), To: utcAt("2026-04-10T00:00:00Z")}, true},
		{"empty range", csat.Filter{From: utcAt("2026-03-29T01:00:00Z"), To: utcAt("2026-03-29T01:00:00Z")}, false},
		{"range without surveys", csat.Filter{From: utcAt("2030-01-01T00:00:00Z")}, false},
		{"unknown channel", csat.Filter{ChannelID: "nope"}, false},
	}
	for zname, loc := range reportZones(t) {
		for _, p := range []csat.Period{csat.PeriodNone, csat.PeriodDay, csat.PeriodWeek, csat.PeriodMonth} {
			for _, fc := range filters {
				t.Run(fmt.Sprintf("%s/%q/%s", zname, p, fc.rule), func(t *testing.T) {
					want := builderReport(t, all, fc.f, p, loc)
					got, err := s.CSATReport(t.Context(), fc.f, p, loc)
					require.NoError(t, err)
					require.Equal(t, want, got)
					require.Equal(t, fc.some, want.Total.Sent > 0, "the case selects what it says")
				})
			}
		}
	}

	t.Run("surveys not sent are in the store and in no report", func(t *testing.T) {
		notSent := 0
		for _, sv := range all {
			if sv.NotSent != "" {
				notSent++
				require.Empty(t, sv.MessageID)
			}
		}
		require.Positive(t, notSent)
		got, err := s.CSATReport(t.Context(), csat.Filter{}, csat.PeriodNone, nil)
		require.NoError(t, err)
		require.Equal(t, len(all)-notSent, got.Total.Sent)
	})
	t.Run("the data covers what the comparisons are about", func(t *testing.T) {
		got, err := s.CSATReport(t.Context(), csat.Filter{}, csat.PeriodDay, paris)
		require.NoError(t, err)
		require.Greater(t, got.Total.Sent, got.Total.Responses, "ratings 0, 7 and -1 are not answers")
		require.Len(t, got.ByAIAgent, 2)
		require.Equal(t, got.ByChannel["c1"].Sent+got.ByChannel["c2"].Sent, got.Total.Sent)
		var short, long bool
		for _, pt := range got.ByPeriod {
			short = short || pt.End.Sub(pt.Start) == 23*time.Hour
			long = long || pt.End.Sub(pt.Start) == 25*time.Hour
		}
		require.True(t, short && long, "both daylight-saving days have surveys")
	})
}

func TestCSATReportByHand(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, schema := newStore(t, pool, nil)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	// Ten surveys sent on the day Paris goes to summer time, five answered
	// 5, 5, 4, 3, 1; an eleventh could not be sent.
	var specs []surveySpec
	for i, r := range []int{5, 5, 4, 3, 1, 0, 0, 0, 0, 0} {
		at := time.Date(2026, 3, 29, 8+i, 15, 0, 0, paris)
		specs = append(specs, surveySpec{channel: "c1", agent: "alice", at: at, rating: r})
	}
	specs = append(specs, surveySpec{channel: "c1", agent: "alice", at: specs[0].at, notSent: true})
	seedSurveys(t, s, pool, schema, specs)

	rep, err := s.CSATReport(t.Context(), csat.Filter{ChannelID: "c1"}, csat.PeriodDay, paris)
	require.NoError(t, err)
	want := csat.Tally{Sent: 10, Responses: 5, Counts: [5]int{1, 0, 1, 1, 2}}
	require.Equal(t, want, rep.Total)
	require.InDelta(t, 3.6, rep.Total.Average(), 1e-9)
	require.InDelta(t, 0.5, rep.Total.ResponseRate(), 1e-9)
	require.InDelta(t, 0.6, rep.Total.CSAT(), 1e-9)
	require.Equal(t, map[string]csat.Tally{"alice": want}, rep.ByAgent)
	require.Equal(t, map[string]csat.Tally{}, rep.ByAIAgent)
	require.Equal(t, map[string]csat.Tally{"c1": want}, rep.ByChannel)
	require.Equal(t, []csat.PeriodTally{{
		Start: time.Date(2026, 3, 29, 0, 0, 0, 0, paris), End: time.Date(2026, 3, 30, 0, 0, 0, 0, paris), Tally: want,
	}}, rep.ByPeriod)
	require.Equal(t, 23*time.Hour, rep.ByPeriod[0].End.Sub(rep.ByPeriod[0].Start), "the day clocks go forward")
	require.Equal(t, csat.Filter{ChannelID: "c1"}, rep.Filter)
	require.Equal(t, csat.PeriodDay, rep.Period)

	list, err := s.ListSurveys(t.Context(), store.SurveyFilter{})
	require.NoError(t, err)
	require.Len(t, list, 11)
	var notSent []store.Survey
	for _, sv := range list {
		if sv.NotSent != "" {
			notSent = append(notSent, sv)
		}
	}
	require.Len(t, notSent, 1, "NotSent is stored")
	require.Equal(t, "the 24-hour window is closed", notSent[0].NotSent)
	require.True(t, notSent[0].Closed)
}

func TestCSATReportErrors(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, _ := newStore(t, pool, nil)
	from := utcAt("2026-03-02T00:00:00Z")
	cases := []struct {
		rule string
		f    csat.Filter
		p    csat.Period
	}{
		{"unknown period", csat.Filter{}, csat.Period("year")},
		{"To before From", csat.Filter{From: from, To: from.Add(-time.Second)}, csat.PeriodDay},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			_, want := csat.NewReportBuilder(c.f, c.p, nil)
			require.Error(t, want)
			_, err := s.CSATReport(t.Context(), c.f, c.p, nil)
			require.ErrorIs(t, err, csat.ErrInvalidReport)
			require.ErrorContains(t, err, want.Error())
			require.ErrorContains(t, err, "pgstore: CSAT report")
		})
	}
	t.Run("an empty store gives an empty report, with periods or without", func(t *testing.T) {
		paris, err := time.LoadLocation("Europe/Paris")
		require.NoError(t, err)
		for _, p := range []csat.Period{csat.PeriodNone, csat.PeriodDay} {
			got, err := s.CSATReport(t.Context(), csat.Filter{}, p, paris)
			require.NoError(t, err)
			require.Equal(t, builderReport(t, nil, csat.Filter{}, p, paris), got)
		}
	})
}
