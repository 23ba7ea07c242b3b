package pgstore_test

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// wire counts round trips on a connection: a write that follows a read (or
// comes first) starts a new exchange with the server. It also counts the
// statements pgx runs (queries and prepares) through the tracer hooks.
type wire struct {
	trips, statements atomic.Int64
}

func (w *wire) reset() { w.trips.Store(0); w.statements.Store(0) }

type countingConn struct {
	net.Conn
	w       *wire
	reading atomic.Bool
}

func (c *countingConn) Write(b []byte) (int, error) {
	if c.reading.Swap(false) {
		c.w.trips.Add(1)
	}
	return c.Conn.Write(b)
}

func (c *countingConn) Read(b []byte) (int, error) {
	c.reading.Store(true)
	return c.Conn.Read(b)
}

func (w *wire) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	w.statements.Add(1)
	return ctx
}

func (w *wire) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (w *wire) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	w.statements.Add(1)
	return ctx
}

func (w *wire) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {}

// countedPool returns a one-connection pool whose traffic w counts. Pings
// on acquire are off so they do not add round trips.
func countedPool(t *testing.T, w *wire) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.DSN())
	require.NoError(t, err)
	cfg.MaxConns = 1
	cfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return false }
	cfg.ConnConfig.Tracer = w
	dial := cfg.ConnConfig.DialFunc
	cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cc := &countingConn{Conn: c, w: w}
		cc.reading.Store(true)
		return cc, nil
	}
	return pgtest.PoolConfig(t, cfg)
}

func inboundAt(ch, phone string, n int, at time.Time) store.InboundRecord {
	return store.InboundRecord{ChannelID: ch, ReceivedAt: at, Message: channel.Inbound{
		MessageSID: fmt.Sprintf("SM%032x", n), AccountSID: "AC" + fmt.Sprintf("%032x", 0xa),
		From: "whatsapp:" + phone, To: "whatsapp:+14155238886", WaID: phone[1:], ProfileName: "Ana",
		Body: fmt.Sprintf("message %d", n), Type: channel.TypeText,
	}}
}

// TestRoundTrips pins the webhook path's cost: RecordInbound and
// FinishInbound are one round trip each once pgx has prepared their
// statement on the connection (and two, prepare included, the first time).
func TestRoundTrips(t *testing.T) {
	t.Parallel()
	var w wire
	pool := countedPool(t, &w)
	s, _ := newStore(t, pool, nil)
	ctx := t.Context()
	t0 := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	require.NoError(t, s.CreateChannel(ctx, testChannel("ch1")))

	w.reset()
	first, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", 1, t0))
	require.NoError(t, err)
	require.True(t, first.NewConversation)
	t.Logf("RecordInbound on a fresh statement cache: %d round trips, %d statements", w.trips.Load(), w.statements.Load())
	require.LessOrEqual(t, w.trips.Load(), int64(2), "cold RecordInbound: prepare + execute at most")
	_, err = s.FinishInbound(ctx, first.Message.ID, nil, t0)
	require.NoError(t, err)

	var last store.InboundResult
	n := 1
	cases := []struct {
		name string
		call func() error
	}{
		{"RecordInbound on an existing conversation", func() error {
			n++
			res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", n, t0.Add(time.Duration(n)*time.Second)))
			if err == nil && (res.NewConversation || res.Duplicate) {
				err = fmt.Errorf("want an existing conversation and a new message, got %+v", res)
			}
			last = res
			return err
		}},
		{"RecordInbound of a duplicate", func() error {
			res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", n, t0))
			if err == nil && !res.Duplicate {
				err = fmt.Errorf("want a duplicate")
			}
			return err
		}},
		{"RecordInbound from a new customer", func() error {
			_, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550199", 99, t0))
			return err
		}},
		{"RecordInbound answering a survey", func() error {
			n++
			phone := fmt.Sprintf("+1415555%04d", 1000+n)
			res, err := s.RecordInbound(ctx, inboundAt("ch1", phone, n, t0))
			if err != nil {
				return err
			}
			_, _, err = s.Resolve(ctx, store.ResolveRequest{ConversationID: res.Conversation.ID, At: t0,
				Survey: &store.Survey{SentAt: t0, ExpiresAt: t0.Add(time.Hour)}})
			if err != nil {
				return err
			}
			n++
			rating := inboundAt("ch1", phone, n, t0.Add(time.Minute))
			rating.Answer = store.SurveyAnswer{Rating: 5, Method: "digits"}
			w.reset()
			got, err := s.RecordInbound(ctx, rating)
			if err == nil && got.SurveyOutcome != store.SurveyRated {
				err = fmt.Errorf("want the survey rated, got %q", got.SurveyOutcome)
			}
			return err
		}},
		{"FinishInbound queuing nothing", func() error {
			_, err := s.FinishInbound(ctx, last.Message.ID, nil, t0)
			return err
		}},
		{"FinishInbound queuing two messages", func() error {
			n++
			res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", n, t0))
			if err != nil {
				return err
			}
			w.reset()
			queued, err := s.FinishInbound(ctx, res.Message.ID, []store.Message{
				{ConversationID: res.Conversation.ID, Kind: store.KindGreeting, Key: fmt.Sprint("g", n), Text: "Hello"},
				{ConversationID: res.Conversation.ID, Kind: store.KindOutOfOffice, Key: fmt.Sprint("o", n), Text: "Closed"},
			}, t0)
			if err == nil && len(queued) != 2 {
				err = fmt.Errorf("queued %d, want 2", len(queued))
			}
			return err
		}},
	}
	for _, c := range cases {
		// Run each once to warm its statement, then measure.
		require.NoError(t, c.call(), c.name)
		w.reset()
		require.NoError(t, c.call(), c.name)
		t.Logf("%s: %d round trip(s), %d statement(s)", c.name, w.trips.Load(), w.statements.Load())
		require.Equal(t, int64(1), w.trips.Load(), "%s: round trips", c.name)
		require.Equal(t, int64(1), w.statements.Load(), "%s: statements", c.name)
	}

	// The counter itself: Enqueue of a taken key is an insert that does
	// nothing, then a read, and must count as two.
	msg := store.Message{ConversationID: last.Conversation.ID, Kind: store.KindReply, Key: "calibration"}
	for range 2 { // create, then warm the read's statement
		_, _, err = s.Enqueue(ctx, msg, t0)
		require.NoError(t, err)
	}
	w.reset()
	_, created, err := s.Enqueue(ctx, msg, t0)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, int64(2), w.trips.Load(), "Enqueue of an existing key: round trips")
}

// testChannel returns a valid channel with every credential set.
func testChannel(id string) channel.Channel {
	t0 := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	return channel.Channel{
		ID: id, Name: "Support " + id,
		Twilio: channel.Twilio{
			AccountSID: "AC" + fmt.Sprintf("%032x", 0xa), AuthToken: "0123456789abcdef0123456789abcdef",
			SecondaryAuthToken: "fedcba9876543210fedcba9876543210", PhoneNumber: "+14155238886",
			APIKeySID: "SK" + fmt.Sprintf("%032x", 0xb), APIKeySecret: "s3cr3t-api-key-secret",
		},
		Settings:  channel.Settings{Greeting: channel.Greeting{Enabled: true, Text: "Hello!"}},
		CreatedAt: t0, UpdatedAt: t0,
	}
}

// TestChangeOwnerRoundTrips pins the cost of an ownership change: BEGIN,
// the locks in one batch, the writes in another, COMMIT, with the
// statements warm.
func TestChangeOwnerRoundTrips(t *testing.T) {
	t.Parallel()
	var w wire
	pool := countedPool(t, &w)
	s, _ := newStore(t, pool, nil)
	ctx := t.Context()
	require.NoError(t, s.CreateChannel(ctx, testChannel("ch1")))
	for _, id := range []string{"a1", "a2"} {
		require.NoError(t, s.CreateAgent(ctx, store.Agent{ID: id, Status: store.AgentOnline, CreatedAt: t0, UpdatedAt: t0}))
	}
	res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", 1, t0))
	require.NoError(t, err)
	moves := []store.OwnerChange{
		{To: store.Owner{AgentID: "a1"}, CursorKey: "rr"},
		{From: store.Owner{AgentID: "a1"}, To: store.Owner{AgentID: "a2"}, CursorKey: "rr"},
		{From: store.Owner{AgentID: "a2"}},
	}
	for round := range 2 { // the first round warms the statements
		for _, c := range moves {
			c.ConversationID, c.At = res.Conversation.ID, t0
			w.reset()
			_, err := s.ChangeOwner(ctx, c)
			require.NoError(t, err)
			if round == 1 {
				t.Logf("%s -> %s: %d round trips", c.From, c.To, w.trips.Load())
				require.Equal(t, int64(4), w.trips.Load(), "%s -> %s", c.From, c.To)
			}
		}
	}
}
