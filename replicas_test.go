package livedesk_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// replica is one desk process of a multi-replica deployment: its own pool,
// its own store, its own HTTP server, sharing one Postgres schema.
type replica struct {
	desk   *livedesk.Desk
	store  *pgstore.Store
	server *httptest.Server
	pool   *pgxpool.Pool
}

// replicas starts n desks on one fresh schema, sending through api.
func replicas(t *testing.T, n int, api *livedesktest.TwilioAPI, onEvent func(context.Context, livedesk.Event), mod func(*livedesk.Options)) []*replica {
	t.Helper()
	first := pgtest.Pool(t)
	schema := pgtest.Schema(t, first)
	var rs []*replica
	for i := range n {
		pool := first
		if i > 0 {
			pool = pgtest.Pool(t)
		}
		s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
		require.NoError(t, err)
		opts := livedesk.Options{PublicURL: livedesktest.PublicURL, Store: s, Messenger: api.Messenger(),
			OnEvent: onEvent, PollInterval: 20 * time.Millisecond}
		if mod != nil {
			mod(&opts)
		}
		d, err := livedesk.New(opts)
		require.NoError(t, err)
		srv := httptest.NewServer(d.Handler())
		t.Cleanup(srv.Close)
		rs = append(rs, &replica{desk: d, store: s, server: srv, pool: pool})
	}
	return rs
}

// counter counts events by type, across desks.
type counter struct {
	mu     sync.Mutex
	counts map[livedesk.EventType]int
	more   *sync.Cond
}

func newCounter() *counter {
	c := &counter{counts: map[livedesk.EventType]int{}}
	c.more = sync.NewCond(&c.mu)
	return c
}

func (c *counter) onEvent(_ context.Context, e livedesk.Event) {
	c.mu.Lock()
	c.counts[e.Type]++
	c.more.Broadcast()
	c.mu.Unlock()
}

// wait blocks until n events of type typ happened, failing after timeout.
func (c *counter) wait(t *testing.T, typ livedesk.EventType, n int, timeout time.Duration) {
	t.Helper()
	stop := time.AfterFunc(timeout, func() { c.mu.Lock(); c.more.Broadcast(); c.mu.Unlock() })
	defer stop.Stop()
	deadline := time.Now().Add(timeout)
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.counts[typ] < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d %s events after %v, want %d", c.counts[typ], typ, timeout, n)
		}
		c.more.Wait()
	}
}

// TestReplicas: three desks, each with its own pool on one database,
// receive 3,000 webhooks (10% delivered twice, to any desk) for 300
// contacts with 20 agents: exactly 3,000 messages, one conversation per
// contact, no agent over capacity, every greeting queued and sent exactly
// once with the three Run loops competing.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the multi-replica test sends 3,300 webhooks")
	}
	api := livedesktest.NewTwilioAPI(t)
	events := newCounter()
	rs := replicas(t, 3, api, events.onEvent, nil)
	ctx := t.Context()
	api.Register(livedesktest.TestChannel(greeting))
	ch, err := rs[0].desk.CreateChannel(ctx, livedesktest.TestChannel(greeting))
	require.NoError(t, err)
	const agents, capacity = 20, 10
	for i := range agents {
		id := fmt.Sprintf("a%02d", i)
		_, err := rs[0].desk.CreateAgent(ctx, store.Agent{ID: id, Name: id, Capacity: capacity, Status: store.AgentOnline})
		require.NoError(t, err)
		require.NoError(t, rs[0].desk.AddAgent(ctx, ch.ID, id))
	}
	for _, r := range rs[1:] { // the other replicas learn the update at their next cache load
		_, err := r.desk.Channel(ctx, ch.ID)
		require.NoError(t, err)
	}
	runCtx, stop := context.WithCancel(ctx)
	var runs sync.WaitGroup
	for _, r := range rs {
		runs.Go(func() { _ = r.desk.Run(runCtx) })
	}
	defer func() { stop(); runs.Wait() }()

	const contacts, each = 300, 10
	type delivery struct {
		msg    livedesktest.Message
		target int
	}
	var deliveries []delivery
	for c := range contacts {
		for m := range each {
			msg := livedesktest.Message{SID: fmt.Sprintf("SM%032x", c*each+m+1), From: fmt.Sprintf("+1415555%04d", c), Body: fmt.Sprintf("message %d", m)}
			deliveries = append(deliveries, delivery{msg, rand.IntN(3)})
			if (c*each+m)%10 == 0 { // 10% are delivered twice, to any desk
				deliveries = append(deliveries, delivery{msg, rand.IntN(3)})
			}
		}
	}
	rand.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
	work := make(chan delivery)
	var failed atomic.Int64
	var senders sync.WaitGroup
	for range 24 {
		senders.Go(func() {
			for d := range work {
				r := rs[d.target]
				req := livedesktest.NewRequest(ch, r.desk.WebhookURL(ch.ID), r.server.URL+"/twilio/"+ch.ID, d.msg.Form(ch))
				resp, err := r.server.Client().Do(req)
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
				}
				if err == nil {
					resp.Body.Close()
				}
			}
		})
	}
	for _, d := range deliveries {
		work <- d
	}
	close(work)
	senders.Wait()
	require.Zero(t, failed.Load(), "every webhook answered 200")

	events.wait(t, livedesk.EventMessageSent, contacts, 60*time.Second)
	var inbound int
	require.NoError(t, rs[0].pool.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{rs[0].store.Schema()}.Sanitize()+`.messages WHERE direction = 'in'`).Scan(&inbound))
	require.Equal(t, contacts*each, inbound, "exactly one message per MessageSid")
	convs, err := rs[0].store.ListConversations(ctx, store.ConversationFilter{ChannelID: ch.ID})
	require.NoError(t, err)
	require.Len(t, convs, contacts, "one conversation per contact")
	perAgent := map[string]int{}
	for _, c := range convs {
		if c.AssigneeID != "" {
			perAgent[c.AssigneeID]++
		}
		greetings := 0
		msgs, err := rs[0].store.Messages(ctx, c.ID)
		require.NoError(t, err)
		for _, m := range msgs {
			if m.Kind == store.KindGreeting {
				greetings++
			}
		}
		require.Equal(t, 1, greetings, "one greeting in %s", c.ID)
	}
	assigned := 0
	for id, n := range perAgent {
		require.LessOrEqual(t, n, capacity, id)
		assigned += n
	}
	require.Equal(t, agents*capacity, assigned, "every agent filled to capacity, no more")
	all, err := rs[0].store.ListAgents(ctx, nil)
	require.NoError(t, err)
	for _, a := range all {
		require.Equal(t, capacity, a.Open, a.ID)
	}
	sent := api.Sent()
	require.Len(t, sent, contacts, "every greeting sent exactly once")
	seen := map[string]bool{}
	for _, s := range sent {
		require.False(t, seen[s.To], "two greetings to %s", s.To)
		seen[s.To] = true
	}
}

// TestReplicaDiesMidFlight: a desk whose sends hang is abandoned with
// messages claimed; once their leases expire another desk sends them, each
// exactly once.
func TestReplicaDiesMidFlight(t *testing.T) {
	api := livedesktest.NewTwilioAPI(t)
	release := make(chan struct{})
	var hung atomic.Int64
	dying := channel.MessengerFunc(func(ctx context.Context, _ channel.Channel, _ channel.Envelope) (channel.Receipt, error) {
		hung.Add(1)
		<-release // the process is frozen mid-send; it never reaches Twilio
		return channel.Receipt{}, fmt.Errorf("process died")
	})
	events := newCounter()
	rs := replicas(t, 2, api, events.onEvent, func(o *livedesk.Options) { o.OutboxLease = 500 * time.Millisecond })
	t.Cleanup(func() { close(release) })
	ctx := t.Context()
	api.Register(livedesktest.TestChannel())
	ch, err := rs[0].desk.CreateChannel(ctx, livedesktest.TestChannel())
	require.NoError(t, err)
	var convIDs []string
	for i := range 5 {
		req := livedesktest.NewRequest(ch, rs[0].desk.WebhookURL(ch.ID), rs[0].server.URL+"/twilio/"+ch.ID,
			livedesktest.Message{From: fmt.Sprintf("+1415555%04d", i), Body: "hi"}.Form(ch))
		resp, err := rs[0].server.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	convs, err := rs[0].store.ListConversations(ctx, store.ConversationFilter{ChannelID: ch.ID})
	require.NoError(t, err)
	for _, c := range convs {
		convIDs = append(convIDs, c.ID)
	}

	// The doomed desk: same store, a Messenger that hangs.
	doomed, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: rs[1].store, Messenger: dying,
		OutboxLease: 500 * time.Millisecond, PollInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	for i, id := range convIDs {
		_, err := doomed.Reply(ctx, id, "a1", fmt.Sprintf("reply %d", i))
		require.NoError(t, err)
	}
	doomedCtx, kill := context.WithCancel(ctx)
	go func() { _ = doomed.Run(doomedCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	for hung.Load() < int64(len(convIDs)) {
		require.True(t, time.Now().Before(deadline), "the doomed desk never claimed its messages")
		time.Sleep(5 * time.Millisecond)
	}
	kill() // it is gone: its claims stay leased until they expire

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = rs[0].desk.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()
	events.wait(t, livedesk.EventMessageSent, len(convIDs), 30*time.Second)
	sent := api.Sent()
	require.Len(t, sent, len(convIDs), "each message sent once, by the surviving desk")
	bodies := map[string]bool{}
	for _, s := range sent {
		require.False(t, bodies[s.Body], "sent twice: %s", s.Body)
		bodies[s.Body] = true
	}
}

// roundTrips counts the statements a pool runs.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestInboundRoundTrips: an inbound message on an existing conversation
// costs two statements through the handler: RecordInbound and
// FinishInbound (the channel comes from the cache).
func TestInboundRoundTrips(t *testing.T) {
	cfg, err := pgxpool.ParseConfig(pgtest.DSN())
	require.NoError(t, err)
	trips := &roundTrips{}
	cfg.ConnConfig.Tracer = trips
	cfg.MaxConns = 1
	pool := pgtest.PoolConfig(t, cfg)
	schema := pgtest.Schema(t, pool)
	s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
	require.NoError(t, err)
	h := livedesktest.New(t, func(o *livedesk.Options) { o.Store = s })
	ch := h.AddChannel(greeting)
	addAgents(t, h, ch, 2, 10)
	for i := range 3 { // warm up: open the conversation, prepare the statements
		resp, body := h.Post(ch, livedesktest.Message{From: "+14155550100", Body: fmt.Sprint("warm-up ", i)})
		livedesktest.RequireStatus(t, resp, body, 200)
	}
	trips.n.Store(0)
	resp, body := h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "counted"})
	livedesktest.RequireStatus(t, resp, body, 200)
	require.Equal(t, int64(2), trips.n.Load(), "statements for one inbound message on an existing conversation")
}
