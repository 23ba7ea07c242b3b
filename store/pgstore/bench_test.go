package pgstore_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// benchStores runs f against a durable pool (the server's defaults: every
// commit waits for the WAL flush) and one with synchronous_commit off,
// which shows the statements' own cost without the disk.
func benchStores(b *testing.B, f func(b *testing.B, s *pgstore.Store, pool *pgxpool.Pool, schema string)) {
	for _, mode := range []string{"durable", "async_commit"} {
		b.Run(mode, func(b *testing.B) {
			cfg, err := pgxpool.ParseConfig(pgtest.DSN())
			require.NoError(b, err)
			if mode == "async_commit" {
				cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
			}
			pool := pgtest.PoolConfig(b, cfg)
			s, schema := newStore(b, pool, nil)
			require.NoError(b, s.CreateChannel(b.Context(), testChannel("ch1")))
			f(b, s, pool, schema)
		})
	}
}

// BenchmarkRecordInbound records a new message in an existing
// conversation: the webhook's first round trip.
func BenchmarkRecordInbound(b *testing.B) {
	benchStores(b, func(b *testing.B, s *pgstore.Store, _ *pgxpool.Pool, _ string) {
		ctx := b.Context()
		_, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", 0, t0))
		require.NoError(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", i+1, t0.Add(time.Duration(i)*time.Millisecond)))
			if err != nil || res.NewConversation {
				b.Fatalf("RecordInbound: %v (new conversation: %v)", err, res.NewConversation)
			}
		}
	})
}

// BenchmarkRecordInboundParallel records messages of 1,000 customers with
// open conversations from 16 goroutines per core, durable commits, grouped
// (the default) and ungrouped (GroupCommit 1), and reports messages per
// second.
func BenchmarkRecordInboundParallel(b *testing.B) {
	for _, group := range []int{0, 1} {
		b.Run(fmt.Sprintf("GroupCommit=%d", group), func(b *testing.B) {
			cfg, err := pgxpool.ParseConfig(pgtest.DSN())
			require.NoError(b, err)
			cfg.MaxConns = 16
			pool := pgtest.PoolConfig(b, cfg)
			s0, schema := newStore(b, pool, nil)
			s, err := pgstore.New(pool, pgstore.Options{Schema: schema, GroupCommit: group})
			require.NoError(b, err)
			ctx := b.Context()
			require.NoError(b, s0.CreateChannel(ctx, testChannel("ch1")))
			const customers = 1000
			phone := func(i int) string { return fmt.Sprintf("+1415555%04d", i%customers) }
			for i := range customers {
				_, err := s.RecordInbound(ctx, inboundAt("ch1", phone(i), -1-i, t0))
				require.NoError(b, err)
			}
			var next atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(next.Add(1))
					if _, err := s.RecordInbound(ctx, inboundAt("ch1", phone(i), i, t0.Add(time.Duration(i)*time.Millisecond))); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchmarkFinishInbound marks a message processed, queuing nothing: the
// webhook's second round trip on an existing conversation.
func BenchmarkFinishInbound(b *testing.B) {
	benchStores(b, func(b *testing.B, s *pgstore.Store, _ *pgxpool.Pool, _ string) {
		ctx := b.Context()
		ids := make([]string, b.N)
		for i := range ids {
			res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", i, t0))
			require.NoError(b, err)
			ids[i] = res.Message.ID
		}
		b.ReportAllocs()
		b.ResetTimer()
		for _, id := range ids {
			if _, err := s.FinishInbound(ctx, id, nil, t0); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkClaimOutbound claims one message and completes it as sent: the
// outbox worker's cost per message (two statements).
func BenchmarkClaimOutbound(b *testing.B) {
	benchStores(b, func(b *testing.B, s *pgstore.Store, pool *pgxpool.Pool, schema string) {
		ctx := b.Context()
		// b.N messages spread over 50 conversations, queued 500 per statement.
		var inbound []store.InboundResult
		for i := range 50 {
			res, err := s.RecordInbound(ctx, inboundAt("ch1", fmt.Sprintf("+1415555%04d", i), i, t0))
			require.NoError(b, err)
			inbound = append(inbound, res)
		}
		for start := 0; start < b.N; start += 500 {
			var batch []store.Message
			for i := start; i < min(start+500, b.N); i++ {
				conv := inbound[i%len(inbound)].Conversation.ID
				batch = append(batch, store.Message{ConversationID: conv, Kind: store.KindReply, Key: fmt.Sprint("k", i), Text: "reply"})
			}
			_, err := s.FinishInbound(ctx, inbound[0].Message.ID, batch, t0)
			require.NoError(b, err)
		}
		// What autovacuum does after a bulk load; without statistics the
		// planner sorts the whole outbox instead of walking messages_due.
		_, err := pool.Exec(ctx, "ANALYZE "+pgx.Identifier{schema, "messages"}.Sanitize())
		require.NoError(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			cs, err := s.ClaimOutbound(ctx, t0.Add(time.Hour), time.Minute, 1)
			if err != nil || len(cs) != 1 {
				b.Fatalf("claim %d: %v, %d claims", i, err, len(cs))
			}
			_, err = s.CompleteOutbound(ctx, cs[0].Message.ID, cs[0].Lease, store.SendResult{Outcome: store.OutcomeSent,
				SID: fmt.Sprintf("SM%032x", i), Status: store.DeliveryQueued, At: t0.Add(time.Hour)})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
