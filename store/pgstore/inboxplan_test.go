package pgstore_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// TestInboxQueryPlans checks that migration 0007's indexes can serve the
// conversation queries: with sequential scans priced out, each filter's
// plan uses its index (the trigram one only when pg_trgm is installed).
// On tables this small the planner would rightly scan; the point is that
// the statement's shape lets an index serve it once they grow.
func TestInboxQueryPlans(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, _ := newStore(t, pool, nil)
	ctx := t.Context()
	require.NoError(t, s.CreateChannel(ctx, testChannel("ch1")))
	var last store.Conversation
	for i := range 20 {
		res, err := s.RecordInbound(ctx, inboundAt("ch1", fmt.Sprintf("+1415555%04d", i), i, t0))
		require.NoError(t, err)
		last = res.Conversation
	}
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET enable_seqscan = off")
	require.NoError(t, err)
	var trgm bool
	require.NoError(t, conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')").Scan(&trgm))

	cases := []struct {
		name  string
		q     store.ConversationQuery
		index string
	}{
		{"all, next page", store.ConversationQuery{Cursor: store.ConversationCursor(last)}, "conversations_updated"},
		{"channel", store.ConversationQuery{ChannelID: "ch1"}, "conversations_channel_updated"},
		{"label", store.ConversationQuery{Label: "vip"}, "conversation_labels_label"},
		{"contact phone", store.ConversationQuery{ContactPhone: "+14155550001"}, "contacts_phone"},
	}
	if trgm {
		cases = append(cases, struct {
			name  string
			q     store.ConversationQuery
			index string
		}{"text", store.ConversationQuery{Text: "order 123"}, "messages_body_trgm"})
	} else {
		t.Log("pg_trgm is not installed: the text search runs without its index")
	}
	for _, c := range cases {
		sql, args := s.ConversationQuerySQL(c.q)
		rows, err := conn.Query(ctx, "EXPLAIN "+sql, args...)
		require.NoError(t, err, c.name)
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err, c.name)
		plan := strings.Join(lines, "\n")
		require.Contains(t, plan, c.index, "%s:\n%s", c.name, plan)
	}
}
