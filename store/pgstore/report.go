package pgstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
)

var _ store.SurveyAggregator = (*Store)(nil)

// reportSQL tallies the selected surveys once per grouping set: every
// survey, per agent, per AI agent, per channel and per period (without
// periods, the bucket is NULL and that set's one row is ignored). The inner
// query selects and buckets; OFFSET 0 keeps it a subquery, so the planner,
// which has no statistics on the bucket expression, guesses few buckets
// and hashes every set in one pass over the rows instead of sorting them
// all by bucket. Ratings off the 1..5 scale count as sent, not answered,
// as csat.Tally does.
const reportSQL = `SELECT grouping(agent_id, ai_agent_id, channel_id, period), coalesce(agent_id, ''),
	coalesce(ai_agent_id, ''), coalesce(channel_id, ''), period, count(*),
	count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2), count(*) FILTER (WHERE rating = 3),
	count(*) FILTER (WHERE rating = 4), count(*) FILTER (WHERE rating = 5)
FROM (SELECT agent_id, ai_agent_id, channel_id, rating, {{period}} AS period
	FROM {{schema}}.surveys WHERE not_sent = ''{{where}} OFFSET 0) s
GROUP BY GROUPING SETS ((), (agent_id), (ai_agent_id), (channel_id), (period))`

// periodSQL is the start of the period holding sent_at, as a date in the
// report's zone: the instant is moved by the zone's UTC offset at that
// instant, then truncated. The offsets come from Go (offsetChanges), so
// the buckets are the ones csat computes for any *time.Location, whether
// or not PostgreSQL knows its name or has the same zone rules:
// width_bucket finds, by binary search in the sorted change instants,
// which offset applies.
const periodSQL = `date_trunc('{{unit}}', (sent_at AT TIME ZONE 'UTC') +
	make_interval(secs => ($1::int4[])[width_bucket(sent_at, $2::timestamptz[]) + 1]))::date`

// extentSQL finds the first and last SentAt in the selected time range,
// from the ends of the surveys_sent index.
const extentSQL = `SELECT min(sent_at), max(sent_at) FROM {{schema}}.surveys`

// Grouping sets, as grouping(agent_id, ai_agent_id, channel_id, period)
// numbers them: a bit is set for each column the row is not grouped by.
const (
	setAgent   = 0b0111
	setAIAgent = 0b1011
	setChannel = 0b1101
	setPeriod  = 0b1110
	setTotal   = 0b1111
)

// CSATReport implements store.SurveyAggregator: the report
// csat.NewReportBuilder would build from every survey sent (NotSent empty),
// computed by one grouping statement. When the report has periods in a zone
// with daylight-saving changes and the filter leaves From or To open, a
// first statement finds the surveys' time range, to know which offset
// changes matter. The errors for an unknown period or a filter ending
// before it starts wrap csat.ErrInvalidReport, as the builder's do.
func (s *Store) CSATReport(ctx context.Context, f csat.Filter, period csat.Period, loc *time.Location) (csat.Report, error) {
	if _, err := csat.NewReportBuilder(f, period, loc); err != nil {
		return csat.Report{}, fmt.Errorf("pgstore: CSAT report: %w", err)
	}
	if loc == nil {
		loc = time.UTC
	}
	rep := csat.Report{Filter: f, Period: period,
		ByAgent: map[string]csat.Tally{}, ByAIAgent: map[string]csat.Tally{}, ByChannel: map[string]csat.Tally{}}
	if period != csat.PeriodNone {
		rep.ByPeriod = []csat.PeriodTally{}
	}
	// PostgreSQL keeps microseconds: a survey stored at S is in [From, To)
	// exactly when it is in [ceil(From), ceil(To)) at that precision.
	from, to := ceilMicro(f.From), ceilMicro(f.To)
	var offsets []int32
	var changes []time.Time
	if period != csat.PeriodNone {
		if off, fixed := fixedOffset(loc); fixed {
			offsets = []int32{int32(off)}
		} else {
			if from.IsZero() || to.IsZero() {
				var found bool
				var err error
				if from, to, found, err = s.surveyExtent(ctx, from, to); err != nil {
					return csat.Report{}, err
				}
				if !found {
					return rep, nil // no survey in the range: the empty report
				}
			}
			changes, offsets = offsetChanges(loc, from, to)
		}
	}

	sql, args := s.reportQuery(f, period, from, to, offsets, changes)
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return csat.Report{}, fmt.Errorf("pgstore: CSAT report: %w", err)
	}
	defer rows.Close()
	var (
		set                   int
		agent, ai, channel    string
		day                   pgtype.Date
		t                     csat.Tally
		c1, c2, c3, c4, c5, n int
	)
	for rows.Next() {
		if err := rows.Scan(&set, &agent, &ai, &channel, &day, &n, &c1, &c2, &c3, &c4, &c5); err != nil {
			return csat.Report{}, fmt.Errorf("pgstore: CSAT report: %w", err)
		}
		t = csat.Tally{Sent: n, Responses: c1 + c2 + c3 + c4 + c5, Counts: [5]int{c1, c2, c3, c4, c5}}
		switch set {
		case setTotal:
			rep.Total = t
		case setAgent:
			if agent != "" { // the surveys nobody was assigned: only in Total
				rep.ByAgent[agent] = t
			}
		case setAIAgent:
			if ai != "" {
				rep.ByAIAgent[ai] = t
			}
		case setChannel:
			rep.ByChannel[channel] = t
		case setPeriod:
			if period == csat.PeriodNone {
				continue
			}
			y, m, d := day.Time.Date()
			start := time.Date(y, m, d, 0, 0, 0, 0, loc)
			rep.ByPeriod = append(rep.ByPeriod, csat.PeriodTally{Start: start, End: period.Next(start), Tally: t})
		}
	}
	if err := rows.Err(); err != nil {
		return csat.Report{}, fmt.Errorf("pgstore: CSAT report: %w", err)
	}
	slices.SortFunc(rep.ByPeriod, func(a, b csat.PeriodTally) int { return a.Start.Compare(b.Start) })
	return rep, nil
}

// reportQuery writes reportSQL for the filter, with a condition for each
// field that is set, as ListSurveys does, so the statement can use the
// surveys_channel_sent, surveys_agent_sent and surveys_sent indexes.
func (s *Store) reportQuery(f csat.Filter, period csat.Period, from, to time.Time, offsets []int32,
	changes []time.Time) (string, []any) {
	var (
		where strings.Builder
		args  []any
	)
	bucket := "NULL::date"
	if period != csat.PeriodNone {
		// period is one of csat's three, checked by NewReportBuilder, and
		// its names are PostgreSQL's date_trunc units.
		bucket = strings.ReplaceAll(periodSQL, "{{unit}}", string(period))
		if changes == nil {
			changes = []time.Time{}
		}
		args = append(args, offsets, changes)
	}
	cond := func(expr string, value any) {
		args = append(args, value)
		where.WriteString(" AND " + expr + " $" + strconv.Itoa(len(args)))
	}
	if f.ChannelID != "" {
		cond("channel_id =", f.ChannelID)
	}
	if f.AgentID != "" {
		cond("agent_id =", f.AgentID)
	}
	if f.AIAgentID != "" {
		cond("ai_agent_id =", f.AIAgentID)
	}
	if !from.IsZero() {
		cond("sent_at >=", from)
	}
	if !to.IsZero() {
		cond("sent_at <", to)
	}
	sql := strings.NewReplacer("{{period}}", bucket, "{{where}}", where.String()).Replace(reportSQL)
	return withSchema(sql, quoteSchema(s.schema)), args
}

// surveyExtent narrows an open-ended [from, to) (zero: unbounded) to the
// surveys' SentAt range: from the first one to just after the last. found
// is false when the range holds no survey. Reading the ends of an index
// costs far less than the report; the report then selects the same range,
// so a survey written meanwhile outside it waits for the next report
// rather than falling outside the offsets computed for the range.
func (s *Store) surveyExtent(ctx context.Context, from, to time.Time) (time.Time, time.Time, bool, error) {
	var (
		sql   = withSchema(extentSQL, quoteSchema(s.schema))
		args  []any
		where = " WHERE "
	)
	if !from.IsZero() {
		args = append(args, from)
		sql += where + "sent_at >= $1"
		where = " AND "
	}
	if !to.IsZero() {
		args = append(args, to)
		sql += where + "sent_at < $" + strconv.Itoa(len(args))
	}
	var first, last pgtype.Timestamptz
	if err := s.pool.QueryRow(ctx, sql, args...).Scan(&first, &last); err != nil {
		return time.Time{}, time.Time{}, false, fmt.Errorf("pgstore: CSAT report: survey time range: %w", err)
	}
	if !first.Valid {
		return from, to, false, nil
	}
	if from.IsZero() {
		from = first.Time
	}
	if to.IsZero() {
		to = last.Time.Add(time.Microsecond)
	}
	return from, to, true, nil
}

// fixedOffset returns loc's UTC offset when it never changes (UTC, a
// time.FixedZone, a zone without transitions).
func fixedOffset(loc *time.Location) (int, bool) {
	t := time.Unix(0, 0).In(loc)
	start, end := t.ZoneBounds()
	_, off := t.Zone()
	return off, start.IsZero() && end.IsZero()
}

// offsetChanges returns the instants in (from, to) at which loc's UTC
// offset changes, in order, and the offsets: offsets[0] is the offset at
// from, offsets[i] the one from changes[i-1] on. A change of zone name
// alone is skipped.
func offsetChanges(loc *time.Location, from, to time.Time) ([]time.Time, []int32) {
	var changes []time.Time
	at := from.In(loc)
	_, off := at.Zone()
	offsets := []int32{int32(off)}
	for {
		_, end := at.ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			return changes, offsets
		}
		at = end.In(loc)
		if _, off := at.Zone(); int32(off) != offsets[len(offsets)-1] {
			changes = append(changes, end)
			offsets = append(offsets, int32(off))
		}
	}
}

// ceilMicro rounds t up to a whole microsecond; the zero time stays zero.
func ceilMicro(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	c := t.Truncate(time.Microsecond)
	if c.Before(t) {
		c = c.Add(time.Microsecond)
	}
	return c
}
