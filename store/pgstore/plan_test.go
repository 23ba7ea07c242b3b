package pgstore_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// TestInboundLookupPlans pins the plans of the statements that find an
// inbound message by ID: pgx prepares them, and PostgreSQL's generic plan
// for them must probe the primary key even when the table's statistics
// are those of a much smaller table. Written with "direction = 'in'", the
// processed mark's generic plan scanned the whole partial index
// messages_inbound_sid instead (this test failed so; in the handler
// benchmark it cost up to 5 ms per call).
func TestInboundLookupPlans(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, schema := newStore(t, pool, nil)
	ctx := t.Context()
	require.NoError(t, s.CreateChannel(ctx, testChannel("ch1")))
	res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", 1, t0))
	require.NoError(t, err)

	// The generic plans are made on a table of five messages, never
	// analyzed (a fresh database: pgx prepares a statement on its first
	// use), and kept while it grows to 5,005, as they are until the next
	// automatic ANALYZE.
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	table := pgx.Identifier{schema, "messages"}.Sanitize()
	grow := func(n int) {
		_, err := conn.Exec(ctx, `INSERT INTO `+table+` (channel_id, conversation_id, contact_id, direction, kind,
			sid, body, inbound, created_at)
			SELECT channel_id, conversation_id, contact_id, 'in', 'customer', 'SM' || n || '-' || g, body, inbound,
				created_at
			FROM `+table+`, generate_series(1, $2::int) g, (SELECT count(*) n FROM `+table+`) c WHERE id = $1`,
			res.Message.ID, n)
		require.NoError(t, err)
	}
	grow(4)
	_, err = conn.Exec(ctx, "SET plan_cache_mode = force_generic_plan")
	require.NoError(t, err)
	explain := func(name string) string {
		args := "('" + res.Message.ID + "')" // a UUID: nothing to quote
		if name == "queue" {
			args = "('" + res.Message.ID + "', '[]', now())"
		}
		rows, err := conn.Query(ctx, fmt.Sprintf("EXPLAIN EXECUTE plan_%s%s", name, args))
		require.NoError(t, err, name)
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err, name)
		return strings.Join(lines, "\n")
	}
	lookups := s.InboundLookups()
	for name, sql := range lookups {
		_, err := conn.Exec(ctx, fmt.Sprintf("PREPARE plan_%s AS %s", name, sql))
		require.NoError(t, err, name)
		explain(name)
	}
	grow(5000)
	for name := range lookups {
		plan := explain(name)
		t.Logf("%s:\n%s", name, plan)
		require.Contains(t, plan, "messages_pkey", name)
		require.NotContains(t, plan, "messages_inbound_sid", name)
	}
}
