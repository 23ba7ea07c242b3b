package livedesk_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// benchPostgresInbound serves b.N signed inbound messages (1,000 customers
// with open conversations) through the handlers of n desks sharing one
// Postgres schema, each desk on its own pool and store made with opts, 16
// requests in flight per core, and reports messages per second. Commits
// wait for the disk (synchronous_commit on).
func benchPostgresInbound(b *testing.B, n int, opts pgstore.Options) {
	cfg, err := pgxpoolConfig()
	if err != nil {
		b.Fatal(err)
	}
	first := pgtest.PoolConfig(b, cfg)
	schema := pgtest.Schema(b, first)
	var desks []*livedesk.Desk
	for i := range n {
		pool := first
		if i > 0 {
			pool = pgtest.PoolConfig(b, cfg.Copy())
		}
		opts.Schema = schema
		s, err := pgstore.New(pool, opts)
		if err != nil {
			b.Fatal(err)
		}
		d, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: s, SkipTwilioChecks: true})
		if err != nil {
			b.Fatal(err)
		}
		desks = append(desks, d)
	}
	ch, err := desks[0].CreateChannel(b.Context(), livedesktest.TestChannel())
	if err != nil {
		b.Fatal(err)
	}
	const customers = 1000
	reqs := make([]*http.Request, b.N+customers)
	for i := range reqs {
		m := livedesktest.Message{From: fmt.Sprintf("+1415555%04d", i%customers), Body: "Hello, I need help with order #123"}
		reqs[i] = livedesktest.NewRequest(ch, desks[0].WebhookURL(ch.ID), "", m.Form(ch))
	}
	serve := func(i int) {
		w := &discardWriter{h: http.Header{}}
		desks[i%n].Handler().ServeHTTP(w, reqs[i])
		if w.code != http.StatusOK {
			b.Errorf("status %d", w.code)
		}
	}
	for i := range customers { // open the conversations
		serve(b.N + i)
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			serve(int(next.Add(1) - 1))
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkInboundPostgres1Desk(b *testing.B) { benchPostgresInbound(b, 1, pgstore.Options{}) }

func BenchmarkInboundPostgres3Desks(b *testing.B) { benchPostgresInbound(b, 3, pgstore.Options{}) }

// The same without group commit: every store call in its own round trip
// and transaction.
func BenchmarkInboundPostgres1DeskUngrouped(b *testing.B) {
	benchPostgresInbound(b, 1, pgstore.Options{GroupCommit: 1})
}

func BenchmarkInboundPostgres3DesksUngrouped(b *testing.B) {
	benchPostgresInbound(b, 3, pgstore.Options{GroupCommit: 1})
}

// Three desks with one batch in flight each instead of two (three over
// the database instead of six).
func BenchmarkInboundPostgres3DesksOneConn(b *testing.B) {
	benchPostgresInbound(b, 3, pgstore.Options{GroupConns: 1})
}
