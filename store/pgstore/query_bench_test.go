package pgstore_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// BenchmarkQueryConversations reads one 50-conversation page out of
// 100,000 conversations with four messages each (bulk-inserted, then
// vacuumed and analyzed): the first page, the next page after a cursor, one channel,
// a label on one conversation in a hundred, and a text search matching
// one conversation in a thousand (pg_trgm's index when installed).
func BenchmarkQueryConversations(b *testing.B) {
	pool := pgtest.Pool(b)
	s, schema := newStore(b, pool, nil)
	ctx := b.Context()
	q := func(name string) string { return pgx.Identifier{schema, name}.Sanitize() }
	_, err := pool.Exec(ctx, `INSERT INTO `+q("contacts")+` (id, channel_id, phone, created_at)
		SELECT 'k' || g, 'ch' || (g % 4), '+1415' || lpad(g::text, 7, '0'), $1 FROM generate_series(1, 100000) g`, t0)
	require.NoError(b, err)
	_, err = pool.Exec(ctx, `INSERT INTO `+q("conversations")+` (id, channel_id, contact_id, status, created_at, updated_at)
		SELECT 'c' || g, 'ch' || (g % 4), 'k' || g, 'open', $1::timestamptz, $1::timestamptz + g * interval '1 second'
		FROM generate_series(1, 100000) g`, t0)
	require.NoError(b, err)
	_, err = pool.Exec(ctx, `INSERT INTO `+q("messages")+` (channel_id, conversation_id, contact_id, direction, kind, sid, body, created_at)
		SELECT 'ch' || (g % 4), 'c' || g, 'k' || g, 'in', 'customer', 'SM' || g || '-' || i,
			CASE WHEN g % 1000 = 0 AND i = 1 THEN 'my parcel ZX-' || g || ' never arrived' ELSE 'hello, message ' || i || ' about order ' || g END, $1
		FROM generate_series(1, 100000) g, generate_series(1, 4) i`, t0)
	require.NoError(b, err)
	_, err = pool.Exec(ctx, `INSERT INTO `+q("conversation_labels")+` (conversation_id, label, created_at)
		SELECT 'c' || g, 'vip', $1 FROM generate_series(100, 100000, 100) g`, t0)
	require.NoError(b, err)
	for _, table := range []string{"contacts", "conversations", "messages", "conversation_labels"} {
		_, err = pool.Exec(ctx, "VACUUM ANALYZE "+q(table)) // as autovacuum would: stats, and GIN's pending list merged
		require.NoError(b, err)
	}
	first, err := s.QueryConversations(ctx, store.ConversationQuery{})
	require.NoError(b, err)
	for _, c := range []struct {
		name string
		q    store.ConversationQuery
		want int
	}{
		{"first_page", store.ConversationQuery{}, 50},
		{"next_page", store.ConversationQuery{Cursor: first.Next}, 50},
		{"channel", store.ConversationQuery{ChannelID: "ch1"}, 50},
		{"label", store.ConversationQuery{Label: "vip"}, 50},
		{"text", store.ConversationQuery{Text: "parcel zx"}, 50},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := s.QueryConversations(ctx, c.q)
				if err != nil || len(p.Conversations) != c.want {
					b.Fatalf("page: %d conversations, %v", len(p.Conversations), err)
				}
			}
		})
	}
}
