package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// readSettled reads every event after the zero position once n are
// readable (waiting for them with WaitEvents, bounded).
func readSettled(t *testing.T, s store.Store, n int) []store.Event {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		evs, err := s.ReadEvents(t.Context(), 0, store.EventFilter{}, 0)
		require.NoError(t, err)
		if len(evs) >= n {
			return evs
		}
		require.True(t, time.Now().Before(deadline), "only %d of %d events readable", len(evs), n)
		var after store.Position
		if len(evs) > 0 {
			after = evs[len(evs)-1].Position
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		_ = s.WaitEvents(ctx, after)
		cancel()
	}
}

// TestFeedLateCommitIsNotSkipped: transaction A writes an event (the
// lower seq) and stays open; B writes one (a higher seq) and commits. A
// reader must not return B's event while A is open (it would then resume
// after A's seq and never see A's event); once A commits it reads A's
// event, then B's, each once.
func TestFeedLateCommitIsNotSkipped(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, schema := newStore(t, pool, nil)
	ctx := t.Context()

	txA, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = txA.Rollback(context.Background()) }()
	_, err = txA.Exec(ctx, `INSERT INTO "`+schema+`".events (type, at) VALUES ('a', now())`)
	require.NoError(t, err)

	b := []store.Event{{Type: "b", At: time.Now()}}
	require.NoError(t, s.AppendEvents(ctx, b)) // B commits first, with the higher seq

	for range 5 {
		evs, err := s.ReadEvents(ctx, 0, store.EventFilter{}, 0)
		require.NoError(t, err)
		require.Empty(t, evs, "an event was returned while a transaction writing an earlier one was open")
	}
	head, err := s.FeedHead(ctx)
	require.NoError(t, err)
	require.Less(t, head, b[0].Position, "the head must stay below the open transaction's event")
	wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	require.ErrorIs(t, s.WaitEvents(wctx, 0), context.DeadlineExceeded, "WaitEvents must keep waiting while the horizon holds")
	cancel()

	require.NoError(t, txA.Commit(ctx))
	evs := readSettled(t, s, 2)
	require.Len(t, evs, 2)
	require.Equal(t, "a", evs[0].Type)
	require.Equal(t, "b", evs[1].Type)
	require.Equal(t, b[0].Position, evs[1].Position)
}

// TestFeedNotHeldByOtherTransactions: a long transaction that writes no
// event (a report, a migration elsewhere) does not hold readers back.
func TestFeedNotHeldByOtherTransactions(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, schema := newStore(t, pool, nil)
	ctx := t.Context()
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(context.Background()) }()
	_, err = tx.Exec(ctx, `INSERT INTO "`+schema+`".agents (id, name, capacity, status, created_at, updated_at) VALUES ('x', 'x', 1, 'online', now(), now())`)
	require.NoError(t, err)
	evs := []store.Event{{Type: "x", At: time.Now()}}
	require.NoError(t, s.AppendEvents(ctx, evs))
	got, err := s.ReadEvents(ctx, 0, store.EventFilter{}, 0)
	require.NoError(t, err)
	require.Len(t, got, 1, "an unrelated open transaction held the feed back")
	head, err := s.FeedHead(ctx)
	require.NoError(t, err)
	require.Equal(t, evs[0].Position, head)
}

// TestFeedWakesAcrossStores: a waiter on one Store (one replica) is woken
// by events written through another Store on the same schema, through
// NOTIFY: its polling fallback is an hour, so a waiter that was not woken
// would hold the test until its deadline. Ten rounds, so that at least some
// waiters are already waiting when the event is written (a waiter that
// starts after it finds it readable at once).
func TestFeedWakesAcrossStores(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	a, schema := newStore(t, pool, nil)
	b := newPolling(t, pool, schema, time.Hour)
	var after store.Position
	for round := range 10 {
		woke := make(chan error, 1)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		go func() { woke <- b.WaitEvents(ctx, after) }()
		evs := []store.Event{{Type: "x", At: time.Now()}}
		require.NoError(t, a.AppendEvents(t.Context(), evs))
		require.NoError(t, <-woke, "round %d", round)
		cancel()
		after = readSettled(t, b, round+1)[round].Position
	}
}

// newPolling returns a Store on schema polling the feed every poll.
func newPolling(t testing.TB, pool *pgxpool.Pool, schema string, poll time.Duration) *pgstore.Store {
	t.Helper()
	s, err := pgstore.New(pool, pgstore.Options{Schema: schema, EventPoll: poll})
	require.NoError(t, err)
	return s
}
