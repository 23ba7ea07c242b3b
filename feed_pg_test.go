package livedesk_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// post sends a signed inbound webhook to a replica; anything but 200 is an
// error.
func post(r *replica, ch channel.Channel, msg livedesktest.Message) error {
	req := livedesktest.NewRequest(ch, r.desk.WebhookURL(ch.ID), r.server.URL+"/twilio/"+ch.ID, msg.Form(ch))
	resp, err := r.server.Client().Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("webhook %s: HTTP %d", msg.SID, resp.StatusCode)
	}
	return nil
}

// TestFeedAcrossReplicasWithin250ms: two desks on one Postgres database,
// each with its own pool and store. A subscriber on desk B reads the
// message.received event of a webhook delivered to desk A within 250 ms
// of the webhook being sent, for 20 webhooks in a row. (The webhook's
// statements do not NOTIFY; B's store finds them with its horizon poll,
// pgstore.DefaultEventPoll.)
func TestFeedAcrossReplicasWithin250ms(t *testing.T) {
	api := livedesktest.NewTwilioAPI(t)
	rs := replicas(t, 1, api, nil, nil)
	a := rs[0]
	// Desk B: its own pool and store on A's schema.
	poolB := pgtest.Pool(t)
	sB, err := pgstore.New(poolB, pgstore.Options{Schema: a.store.Schema()})
	require.NoError(t, err)
	b, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: sB, Messenger: api.Messenger()})
	require.NoError(t, err)

	ctx := t.Context()
	api.Register(livedesktest.TestChannel())
	ch, err := a.desk.CreateChannel(ctx, livedesktest.TestChannel())
	require.NoError(t, err)
	head, err := b.FeedHead(ctx)
	require.NoError(t, err)
	got := make(chan livedesk.Event, 100)
	subCtx, stop := context.WithCancel(ctx)
	subDone := make(chan error, 1)
	go func() {
		subDone <- b.Subscribe(subCtx, head, livedesk.EventFilter{Types: []livedesk.EventType{livedesk.EventMessageReceived}},
			func(e livedesk.Event) error { got <- e; return nil })
	}()
	defer func() { stop(); require.NoError(t, <-subDone) }()

	var worst time.Duration
	for i := range 20 {
		start := time.Now()
		require.NoError(t, post(a, ch, livedesktest.Message{From: fmt.Sprintf("+1415555%04d", i%3), Body: fmt.Sprint("hello ", i)}))
		posted := time.Since(start)
		select {
		case e := <-got:
			took := time.Since(start)
			t.Logf("webhook %d: answered after %v, read on desk B after %v", i, posted, took)
			worst = max(worst, took)
			require.Equal(t, ch.ID, e.ChannelID)
			require.LessOrEqual(t, took, 250*time.Millisecond, "webhook %d: desk B read the event after %v", i, took)
		case <-time.After(5 * time.Second):
			t.Fatalf("webhook %d: desk B never read its event", i)
		}
	}
	t.Logf("worst webhook-to-subscriber latency across desks: %v", worst)
}

// TestFeedResumeAcrossRestarts: 1,000 webhooks are sent by 8 concurrent
// senders, first to desk A, then (A "restarted": a new desk on a new pool)
// to desk A2. A subscriber on desk B stops after 400 events and resumes
// from its last position on a restarted desk B2. It reads each of the
// 1,000 inbound messages exactly once, in increasing position order, and
// they are exactly the messages stored.
func TestFeedResumeAcrossRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: sends 1,000 webhooks")
	}
	api := livedesktest.NewTwilioAPI(t)
	rs := replicas(t, 4, api, nil, nil) // A, A2, B, B2 on one schema, each its own pool
	a, a2, b, b2 := rs[0], rs[1], rs[2], rs[3]
	ctx := t.Context()
	api.Register(livedesktest.TestChannel())
	ch, err := a.desk.CreateChannel(ctx, livedesktest.TestChannel())
	require.NoError(t, err)
	_, err = a2.desk.Channel(ctx, ch.ID) // A2 loads the channel
	require.NoError(t, err)
	start, err := b.desk.FeedHead(ctx)
	require.NoError(t, err)

	const total, restartAt, stopAt = 1000, 500, 400
	var sent atomic.Int64
	work := make(chan int)
	var senders sync.WaitGroup
	for range 8 {
		senders.Go(func() {
			for i := range work {
				r := a
				if i >= restartAt {
					r = a2
				}
				if err := post(r, ch, livedesktest.Message{SID: fmt.Sprintf("SM%032x", i+1), From: fmt.Sprintf("+1415555%04d", i%50), Body: fmt.Sprint(i)}); err != nil {
					t.Error(err)
					continue
				}
				sent.Add(1)
			}
		})
	}
	go func() {
		for i := range total {
			work <- i
		}
		close(work)
	}()

	filter := livedesk.EventFilter{ChannelID: ch.ID, Types: []livedesk.EventType{livedesk.EventMessageReceived}}
	seen := map[string]bool{}
	var last livedesk.Position
	errStop := fmt.Errorf("stop")
	read := func(d *livedesk.Desk, after livedesk.Position, until int) {
		rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		err := d.Subscribe(rctx, after, filter, func(e livedesk.Event) error {
			require.Greater(t, e.Position, last, "event %v after %v: not in increasing order", e.Position, last)
			require.False(t, seen[e.MessageID], "message %s read twice", e.MessageID)
			seen[e.MessageID] = true
			last = e.Position
			if len(seen) == until {
				return errStop
			}
			return nil
		})
		require.ErrorIs(t, err, errStop, "the subscriber ran out of time with %d of %d events", len(seen), until)
	}
	read(b.desk, start, stopAt)
	// B "restarts": its subscriber resumes from the last position it
	// handled, on another desk with its own pool.
	read(b2.desk, last, total)
	senders.Wait()
	require.EqualValues(t, total, sent.Load())

	rows, err := a.pool.Query(ctx, `SELECT id FROM `+pgx.Identifier{a.store.Schema()}.Sanitize()+`.messages WHERE direction = 'in'`)
	require.NoError(t, err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Len(t, ids, total)
	for _, id := range ids {
		require.True(t, seen[id], "stored message %s never read", id)
	}
	// Nothing more after the last position.
	rest, _, err := b2.desk.Events(ctx, last, filter, 0)
	require.NoError(t, err)
	require.Empty(t, rest)
}
