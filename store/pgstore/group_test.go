package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
)

// groupOutcome is what one concurrent call returned.
type groupOutcome struct {
	res store.InboundResult
	err error
}

// heldCalls runs records (and a FinishInbound of each message in finish)
// concurrently while the pool's only connection is held, so that they
// queue up in the store's group, then releases the connection and returns
// what each call returned, records first, in order. The first record goes
// first and alone: a flusher takes it, and the others find the flushers
// busy (all of them, with GroupConns 1) and wait for the next batch.
func heldCalls(t *testing.T, pool *pgxpool.Pool, s *pgstore.Store, w *wire,
	records []store.InboundRecord, finish []string) []groupOutcome {
	t.Helper()
	ctx := t.Context()
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	out := make([]groupOutcome, len(records)+len(finish))
	var wg sync.WaitGroup
	for i, rec := range records {
		wg.Go(func() { out[i].res, out[i].err = s.RecordInbound(ctx, rec) })
		if i == 0 {
			require.Eventually(t, func() bool { return s.GroupCalls() == 1 && s.GroupWaiting() == 0 },
				10*time.Second, time.Millisecond, "a flusher takes the first call")
		}
	}
	for i, id := range finish {
		wg.Go(func() { _, out[len(records)+i].err = s.FinishInbound(ctx, id, nil, time.Now()) })
	}
	require.Eventually(t, func() bool { return s.GroupCalls() == len(out) }, 10*time.Second, time.Millisecond,
		"every call reaches the group")
	w.reset()
	conn.Release()
	wg.Wait()
	return out
}

// groupStore returns a one-connection counted pool and a store made with
// opts on a fresh schema holding channel "ch1".
func groupStore(t *testing.T, opts pgstore.Options) (*pgxpool.Pool, *pgstore.Store, *wire) {
	t.Helper()
	w := new(wire)
	pool := countedPool(t, w)
	s0, schema := newStore(t, pool, nil)
	require.NoError(t, s0.CreateChannel(t.Context(), testChannel("ch1")))
	opts.Schema = schema
	s, err := pgstore.New(pool, opts)
	require.NoError(t, err)
	return pool, s, w
}

// TestGroupCommit shows concurrent webhook calls sharing round trips and
// commits, each still getting its own result.
func TestGroupCommit(t *testing.T) {
	t.Parallel()
	pool, s, w := groupStore(t, pgstore.Options{})
	ctx := t.Context()

	// Five customers with a processed first message; the statements are
	// prepared on the connection.
	var first []store.InboundResult
	for i := range 5 {
		res, err := s.RecordInbound(ctx, inboundAt("ch1", fmt.Sprintf("+1415555%04d", i), i, t0))
		require.NoError(t, err)
		first = append(first, res)
	}
	for _, res := range first[:4] {
		_, err := s.FinishInbound(ctx, res.Message.ID, nil, t0)
		require.NoError(t, err)
	}

	// 20 new messages of those five customers and 10 new customers, a
	// repeat of an earlier delivery, and the last first message finished.
	var records []store.InboundRecord
	for i := range 20 {
		records = append(records, inboundAt("ch1", fmt.Sprintf("+1415555%04d", i%5), 100+i, t0.Add(time.Duration(i+1)*time.Second)))
	}
	for i := range 10 {
		records = append(records, inboundAt("ch1", fmt.Sprintf("+1415556%04d", i), 200+i, t0))
	}
	records = append(records, inboundAt("ch1", "+14155550000", 0, t0))
	out := heldCalls(t, pool, s, w, records, []string{first[4].Message.ID})

	sent, rerun := s.GroupBatches()
	t.Logf("%d calls in %d round trips, %d batches", len(out), w.trips.Load(), sent)
	require.NotZero(t, sent, "batches of several calls")
	require.Zero(t, rerun, "batches rerun")
	// Two flushers took what was waiting when they started, a batch took
	// the rest, and the batch prepared the grouped mark's statement once.
	require.LessOrEqual(t, w.trips.Load(), int64(5), "round trips for %d grouped calls", len(out))
	for i, o := range out {
		require.NoError(t, o.err, "call %d", i)
	}
	for i, rec := range records[:30] {
		got := out[i].res
		require.False(t, got.Duplicate, "record %d", i)
		require.Equal(t, rec.Message.MessageSID, got.Message.SID, "record %d", i)
		require.Equal(t, rec.Message.Body, got.Message.Text, "record %d", i)
		require.Equal(t, rec.Message.Phone(), got.Contact.Phone, "record %d", i)
		require.Equal(t, i >= 20, got.NewConversation, "record %d", i)
		if i < 20 {
			require.Equal(t, first[i%5].Conversation.ID, got.Conversation.ID, "record %d", i)
		}
	}
	require.True(t, out[30].res.Duplicate, "the repeated delivery")
	require.Equal(t, first[0].Message.ID, out[30].res.Message.ID)

	// Nothing was lost or doubled: 5 first messages + 30, and the sweep's
	// list holds exactly the 30 new ones.
	left, err := s.UnprocessedInbound(ctx, t0.Add(time.Hour), 0)
	require.NoError(t, err)
	require.Len(t, left, 30)
	for _, res := range first {
		msgs, err := s.Messages(ctx, res.Conversation.ID)
		require.NoError(t, err)
		require.Len(t, msgs, 5, "conversation of %s", res.Contact.Phone)
	}
}

// TestGroupCommitBadCall shows that a call whose statement fails fails
// alone: the batch it was in is run again call by call.
func TestGroupCommitBadCall(t *testing.T) {
	t.Parallel()
	// One flusher: the calls after the first are one batch, the bad one in it.
	pool, s, w := groupStore(t, pgstore.Options{GroupConns: 1})
	ctx := t.Context()
	warm, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155559999", 999, t0))
	require.NoError(t, err)

	var records []store.InboundRecord
	for i := range 12 {
		records = append(records, inboundAt("ch1", fmt.Sprintf("+1415555%04d", i), i, t0))
	}
	// PostgreSQL timestamps start in 4713 BC: this statement fails on the
	// server. (A NUL byte used to do it; every store now refuses those
	// before writing, store.InboundRecord.Check.)
	records[7].ReceivedAt = time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC)
	out := heldCalls(t, pool, s, w, records, []string{warm.Message.ID, "no-such-message"})

	for i, o := range out[:12] {
		if i == 7 {
			require.Error(t, o.err)
			require.Contains(t, o.err.Error(), records[7].Message.MessageSID)
			continue
		}
		require.NoError(t, o.err, "record %d", i)
		require.True(t, o.res.NewConversation, "record %d", i)
	}
	sent, rerun := s.GroupBatches()
	require.Equal(t, [2]int64{1, 1}, [2]int64{sent, rerun}, "one batch (the calls after the first), failed and rerun call by call")
	require.NoError(t, out[12].err, "finish of a recorded message")
	require.ErrorIs(t, out[13].err, store.ErrNotFound, "finish of an unknown message")
	left, err := s.UnprocessedInbound(ctx, t0.Add(time.Hour), 0)
	require.NoError(t, err)
	require.Len(t, left, 11, "the 11 good records, unprocessed; the warm-up message finished")
}

// TestGroupCommitCanceled shows a caller that stops waiting gets its
// context's error while the calls around it go on.
func TestGroupCommitCanceled(t *testing.T) {
	t.Parallel()
	pool, s, _ := groupStore(t, pgstore.Options{})
	ctx := t.Context()

	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	gone, cancel := context.WithCancel(ctx)
	errs := make([]error, 6)
	var wg sync.WaitGroup
	for i := range 6 {
		c := ctx
		if i == 5 {
			c = gone
		}
		wg.Go(func() { _, errs[i] = s.RecordInbound(c, inboundAt("ch1", fmt.Sprintf("+1415555%04d", i), i, t0)) })
	}
	require.Eventually(t, func() bool { return s.GroupCalls() == 6 }, 10*time.Second, time.Millisecond)
	cancel()
	conn.Release()
	wg.Wait()
	require.ErrorIs(t, errs[5], context.Canceled)
	for _, err := range errs[:5] {
		require.NoError(t, err)
	}
	// A caller returns when its call is done; the flusher updates its
	// count just after.
	require.Eventually(t, func() bool { return s.GroupCalls() == 0 }, 10*time.Second, time.Millisecond,
		"the group is empty again")
}

// TestGroupCommitOff shows GroupCommit 1 sends every call alone, and
// negative settings refused.
func TestGroupCommitOff(t *testing.T) {
	t.Parallel()
	pool, s, w := groupStore(t, pgstore.Options{GroupCommit: 1})
	_, err := pgstore.New(pool, pgstore.Options{GroupCommit: -1})
	require.ErrorContains(t, err, "Options.GroupCommit is -1")
	_, err = pgstore.New(pool, pgstore.Options{GroupConns: -2})
	require.ErrorContains(t, err, "Options.GroupConns is -2")
	_, err = s.RecordInbound(t.Context(), inboundAt("ch1", "+14155559999", 999, t0))
	require.NoError(t, err)

	var records []store.InboundRecord
	for i := range 8 {
		records = append(records, inboundAt("ch1", fmt.Sprintf("+1415555%04d", i), i, t0))
	}
	ctx := t.Context()
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	errs := make([]error, len(records))
	var wg sync.WaitGroup
	for i, rec := range records {
		wg.Go(func() { _, errs[i] = s.RecordInbound(ctx, rec) })
	}
	require.Zero(t, s.GroupCalls(), "calls do not wait in the group")
	w.reset()
	conn.Release()
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int64(len(records)), w.trips.Load(), "one round trip per call")
}
