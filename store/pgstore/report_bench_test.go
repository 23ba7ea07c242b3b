package pgstore_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// benchSurveys is how many surveys the report benchmarks tally.
const benchSurveys = 100_000

// seedBulk inserts n surveys in one INSERT ... SELECT, as a busy desk would
// have them after 90 days: three channels, 20 agents, three AI agents
// taking a fifth, one survey in six unanswered, one in 50 not sent. They
// all hang off one conversation: the report reads no other table.
func seedBulk(b *testing.B, s *pgstore.Store, pool *pgxpool.Pool, schema string, n int) time.Time {
	b.Helper()
	ctx := b.Context()
	require.NoError(b, s.CreateChannel(ctx, testChannel("ch0")))
	res, err := s.RecordInbound(ctx, inboundAt("ch0", "+14155550100", 1, t0))
	require.NoError(b, err)
	start := utcAt("2026-02-01T00:00:00Z")
	q := pgx.Identifier{schema}.Sanitize()
	_, err = pool.Exec(ctx, `INSERT INTO `+q+`.surveys (id, channel_id, conversation_id, contact_id, resolution,
		agent_id, ai_agent_id, sent_at, expires_at, rating, closed, not_sent)
	SELECT 'bench-' || g, 'ch' || g % 3, $1, $2, 1,
		CASE WHEN g % 5 <> 0 THEN 'agent' || g % 20 END, CASE WHEN g % 5 = 0 THEN 'ai' || g % 3 END,
		$3::timestamptz + g * ($4::interval / $5), $3::timestamptz + g * ($4::interval / $5) + interval '1 day',
		(g / 7) % 6, true, CASE WHEN g % 50 = 0 THEN 'window closed' ELSE '' END
	FROM generate_series(1, $5) g`, res.Conversation.ID, res.Contact.ID, start, 90*24*time.Hour, n)
	require.NoError(b, err)
	// What autovacuum does after a bulk load.
	_, err = pool.Exec(ctx, "ANALYZE "+q+".surveys")
	require.NoError(b, err)
	return start
}

type benchReport struct {
	name string
	f    csat.Filter
	p    csat.Period
	loc  *time.Location
}

func benchReports(b *testing.B, start time.Time) []benchReport {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(b, err)
	month := csat.Filter{ChannelID: "ch1", From: start.AddDate(0, 0, 30), To: start.AddDate(0, 0, 60)}
	return []benchReport{
		{"all/no_period", csat.Filter{}, csat.PeriodNone, nil},
		{"all/day/UTC", csat.Filter{}, csat.PeriodDay, time.UTC},
		{"all/day/Paris", csat.Filter{}, csat.PeriodDay, paris},
		{"all/week/Paris", csat.Filter{}, csat.PeriodWeek, paris},
		{"all/month/Paris", csat.Filter{}, csat.PeriodMonth, paris},
		{"agent/week/Paris", csat.Filter{AgentID: "agent3"}, csat.PeriodWeek, paris},
		{"channel_30_days/day/Paris", month, csat.PeriodDay, paris},
	}
}

// BenchmarkCSATReportSQL computes reports over 100,000 surveys in SQL.
func BenchmarkCSATReportSQL(b *testing.B) {
	pool := pgtest.Pool(b)
	s, schema := newStore(b, pool, nil)
	start := seedBulk(b, s, pool, schema, benchSurveys)
	for _, c := range benchReports(b, start) {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.CSATReport(b.Context(), c.f, c.p, c.loc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCSATReportListSurveys is the desk's way without the capability,
// for comparison: read the surveys, then tally them in Go. It checks first
// that both ways agree over the 100,000 surveys.
func BenchmarkCSATReportListSurveys(b *testing.B) {
	pool := pgtest.Pool(b)
	s, schema := newStore(b, pool, nil)
	start := seedBulk(b, s, pool, schema, benchSurveys)
	for _, c := range benchReports(b, start) {
		b.Run(c.name, func(b *testing.B) {
			report := func() csat.Report {
				list, err := s.ListSurveys(b.Context(), store.SurveyFilter{ChannelID: c.f.ChannelID, AgentID: c.f.AgentID,
					From: c.f.From, To: c.f.To})
				if err != nil {
					b.Fatal(err)
				}
				return builderReport(b, list, c.f, c.p, c.loc)
			}
			sql, err := s.CSATReport(b.Context(), c.f, c.p, c.loc)
			require.NoError(b, err)
			require.Equal(b, report(), sql)
			b.ReportAllocs()
			for b.Loop() {
				report()
			}
		})
	}
}
