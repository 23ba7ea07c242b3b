package livedesk_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
)

const hookSecret = "whsec-0123456789abcdef"

// delivery is one request the receiver got.
type delivery struct {
	id, typ, signature string
	body               []byte
	status             int
}

// receiver is a local webhook endpoint that fails the first fail requests
// with 500 and records every request.
type receiver struct {
	mu   sync.Mutex
	fail int
	got  []delivery
	more chan struct{} // a request arrived
	srv  *httptest.Server
}

func newReceiver(t *testing.T, fail int) *receiver {
	r := &receiver{fail: fail, more: make(chan struct{}, 1000)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		d := delivery{id: req.Header.Get(livedesk.WebhookDeliveryHeader), typ: req.Header.Get(livedesk.WebhookEventHeader),
			signature: req.Header.Get(livedesk.WebhookSignatureHeader), body: body, status: 200}
		if r.fail > 0 {
			r.fail--
			d.status = 500
		}
		r.got = append(r.got, d)
		r.mu.Unlock()
		w.WriteHeader(d.status)
		r.more <- struct{}{}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// ok returns the deliveries answered 200.
func (r *receiver) ok() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []delivery
	for _, d := range r.got {
		if d.status == 200 {
			out = append(out, d)
		}
	}
	return out
}

func (r *receiver) all() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// waitOK waits for n successful deliveries, advancing the fake clock
// (by step) whenever nothing arrives for a moment, so that retries come
// due without the test sleeping on the desk's timing.
func (r *receiver) waitOK(t *testing.T, clock *livedesktest.Clock, step time.Duration, n int) []delivery {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		if got := r.ok(); len(got) >= n {
			return got
		}
		select {
		case <-r.more:
		case <-time.After(50 * time.Millisecond):
			clock.Advance(step)
		case <-deadline:
			t.Fatalf("%d successful deliveries, want %d (all: %d)", len(r.ok()), n, len(r.all()))
		}
	}
}

// TestWebhooksSignedRetriedInOrder: an endpoint that fails twice gets the
// first event again after each backoff (same delivery ID), then every
// chosen event once, in feed order, signed with its secret; events of
// other types are not sent.
func TestWebhooksSignedRetriedInOrder(t *testing.T) {
	recv := newReceiver(t, 2)
	h := livedesktest.New(t, func(o *livedesk.Options) {
		o.Webhooks = []livedesk.Webhook{{ID: "crm", URL: recv.srv.URL + "/hook?token=abc", Secret: hookSecret,
			Types: []livedesk.EventType{livedesk.EventConversationOpened, livedesk.EventMessageReceived}}}
		o.RetryBackoff = func(int) time.Duration { return 10 * time.Second }
		o.MaxAttempts = 5
	})
	ch := h.AddChannel()
	h.Start()
	h.Clock.BlockUntil(1) // Run is waiting: it read the feed's head
	h.Post(ch, livedesktest.Message{Body: "one"})
	h.Post(ch, livedesktest.Message{Body: "two"})
	got := recv.waitOK(t, h.Clock, 10*time.Second, 3)

	all := recv.all()
	require.Equal(t, 500, all[0].status)
	require.Equal(t, 500, all[1].status)
	require.Equal(t, all[0].id, all[1].id, "a retry is the same delivery")
	require.Equal(t, all[0].id, all[2].id, "the failed event goes first once the endpoint answers")

	require.Equal(t, []string{"conversation.opened", "message.received", "message.received"},
		[]string{got[0].typ, got[1].typ, got[2].typ})
	seen := map[string]bool{}
	var last livedesk.Position
	for _, d := range got {
		require.False(t, seen[d.id], "delivery %s twice", d.id)
		seen[d.id] = true
		require.NoError(t, livedesk.VerifyWebhook(hookSecret, d.signature, d.body, h.Clock.Now(), time.Hour))
		require.ErrorIs(t, livedesk.VerifyWebhook("another-secret-0123", d.signature, d.body, h.Clock.Now(), time.Hour),
			livedesk.ErrWebhookSignature)
		var e livedesk.Event
		require.NoError(t, json.Unmarshal(d.body, &e))
		require.Equal(t, "crm:"+e.Position.String(), d.id)
		require.Equal(t, string(e.Type), d.typ)
		require.Greater(t, e.Position, last, "feed order")
		last = e.Position
		require.NotContains(t, string(d.body), string(ch.Twilio.AuthToken), "no credentials in events")
	}
	// Nothing else comes: greetings (message.queued) are not chosen.
	h.Clock.Advance(time.Minute)
	select {
	case <-recv.more:
		require.Len(t, recv.ok(), 3, "an event was delivered twice or a type not chosen was sent")
	case <-time.After(100 * time.Millisecond):
	}
}

// TestWebhooksOncePerEventAcrossDesks: two desks share a store and run
// their Run loops (woken by the fake clock); every event is delivered to
// the endpoint once.
func TestWebhooksOncePerEventAcrossDesks(t *testing.T) {
	recv := newReceiver(t, 0)
	hooks := []livedesk.Webhook{{ID: "crm", URL: recv.srv.URL, Secret: hookSecret,
		Types: []livedesk.EventType{livedesk.EventMessageReceived}}}
	h := livedesktest.New(t, func(o *livedesk.Options) { o.Webhooks = hooks })
	d2, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: h.Store, Clock: h.Clock,
		Messenger: h.Twilio.Messenger(), Webhooks: hooks})
	require.NoError(t, err)
	ch := h.AddChannel()
	h.Start()
	ctx, cancel := contextWithCancel(t)
	done := make(chan struct{})
	go func() { _ = d2.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	h.Clock.BlockUntil(2)
	const n = 30
	for i := range n {
		h.Post(ch, livedesktest.Message{From: "+1415555" + pad4(i%5), Body: "hi"})
	}
	got := recv.waitOK(t, h.Clock, time.Second, n)
	h.Clock.Advance(time.Minute)
	seen := map[string]bool{}
	for _, d := range recv.all() {
		require.False(t, seen[d.id], "delivery %s twice", d.id)
		seen[d.id] = true
	}
	require.Len(t, got, n)
}

func TestVerifyWebhook(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"message.received"}`)
	sig := livedesk.SignWebhook(hookSecret, now, body)
	require.NoError(t, livedesk.VerifyWebhook(hookSecret, sig, body, now.Add(time.Minute), 0))
	for name, c := range map[string]struct {
		header string
		body   []byte
		at     time.Time
	}{
		"tampered body":   {sig, []byte(`{"type":"message.sent"}`), now},
		"too old":         {sig, body, now.Add(6 * time.Minute)},
		"malformed":       {"v1=abc", body, now},
		"empty":           {"", body, now},
		"other signature": {livedesk.SignWebhook("another-secret-0123", now, body), body, now},
	} {
		require.ErrorIs(t, livedesk.VerifyWebhook(hookSecret, c.header, c.body, c.at, 0), livedesk.ErrWebhookSignature, name)
	}
}

func TestWebhookOptionsValidated(t *testing.T) {
	for name, w := range map[string]livedesk.Webhook{
		"no ID":        {URL: "https://x.example/h", Secret: hookSecret},
		"bad URL":      {ID: "a", URL: "ftp://x.example/h", Secret: hookSecret},
		"short secret": {ID: "a", URL: "https://x.example/h", Secret: "short"},
	} {
		_, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Webhooks: []livedesk.Webhook{w}})
		require.ErrorIs(t, err, livedesk.ErrBadOptions, name)
	}
	dup := livedesk.Webhook{ID: "a", URL: "https://x.example/h", Secret: hookSecret}
	_, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Webhooks: []livedesk.Webhook{dup, dup}})
	require.ErrorIs(t, err, livedesk.ErrBadOptions)
}

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

// TestWebhooksGiveUpAfterMaxAttempts: an event that fails MaxAttempts times
// is skipped, and the events behind it go on.
func TestWebhooksGiveUpAfterMaxAttempts(t *testing.T) {
	recv := newReceiver(t, 3)
	h := livedesktest.New(t, func(o *livedesk.Options) {
		o.Webhooks = []livedesk.Webhook{{ID: "crm", URL: recv.srv.URL, Secret: hookSecret,
			Types: []livedesk.EventType{livedesk.EventMessageReceived}}}
		o.RetryBackoff = func(int) time.Duration { return 10 * time.Second }
		o.MaxAttempts = 3
	})
	ch := h.AddChannel()
	h.Start()
	h.Clock.BlockUntil(1)
	h.Post(ch, livedesktest.Message{Body: "lost"})
	h.Post(ch, livedesktest.Message{Body: "kept"})
	got := recv.waitOK(t, h.Clock, 10*time.Second, 1)
	all := recv.all()
	require.Len(t, all, 4, "three failed attempts at the first event, then the second")
	for _, d := range all[:3] {
		require.Equal(t, all[0].id, d.id)
		require.Equal(t, 500, d.status)
	}
	require.NotEqual(t, all[0].id, got[0].id, "the given-up event is not delivered again")
}
