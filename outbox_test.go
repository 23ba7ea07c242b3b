package livedesk_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// fixedBackoff makes retries due exactly d later, so tests advance the
// fake clock by a known amount.
func fixedBackoff(d time.Duration) func(*livedesk.Options) {
	return func(o *livedesk.Options) { o.RetryBackoff = func(int) time.Duration { return d } }
}

func TestGreetingDeliveredOnce(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	h.Start()
	m := livedesktest.Message{SID: livedesktest.NewSID(), From: "+14155550100", Body: "hello"}
	h.Post(ch, m)
	h.Post(ch, m) // Twilio's retry
	h.WaitEvents(livedesk.EventMessageSent, 1)
	sent := h.Twilio.Sent()
	require.Len(t, sent, 1)
	got := sent[0]
	require.Equal(t, "whatsapp:+14155238886", got.From)
	require.Equal(t, "whatsapp:+14155550100", got.To)
	require.Equal(t, "Hi! An agent will be with you shortly.", got.Body)
	require.Empty(t, got.MessagingServiceSID)
	conv := h.RequireConversations(ch.ID, 1)[0]
	g := h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]
	require.Equal(t, h.StatusCallbackURL(ch.ID)+"?o="+g.ID, got.StatusCallback)
	require.Equal(t, got.SID, g.SID)
	require.Equal(t, store.DeliveryQueued, g.Status)
	require.Equal(t, 1, g.Attempts)
}

func TestMessagingServiceAndAPIKeyChannels(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting, func(c *channel.Channel) {
		c.Twilio.PhoneNumber = ""
		c.Twilio.MessagingServiceSID = "MGdddddddddddddddddddddddddddddddd"
		c.Twilio.APIKeySID = "SKeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
		c.Twilio.APIKeySecret = "keysecret"
	})
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello", To: "+14155550199"})
	h.WaitEvents(livedesk.EventMessageSent, 1)
	got := h.Twilio.Sent()[0]
	require.Equal(t, "MGdddddddddddddddddddddddddddddddd", got.MessagingServiceSID)
	require.Equal(t, "whatsapp:+14155550199", got.From, "replies from the pool number the customer wrote to")
	require.Equal(t, "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", got.AccountSID, "the account's path, not the key's")
	require.Equal(t, "SKeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", got.Username)
}

func TestRetryThenSuccess(t *testing.T) {
	h, _ := newHarness(t, fixedBackoff(10*time.Second))
	ch := h.AddChannel(greeting)
	h.Twilio.FailNext(429, 20429, "Too Many Requests")
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	retry := h.WaitEvents(livedesk.EventMessageRetrying, 1)[0]
	require.Equal(t, 20429, retry.ErrorCode)
	require.Empty(t, h.Twilio.Sent())
	h.Clock.BlockUntil(1) // Run waits on the clock
	h.Clock.Advance(10 * time.Second)
	h.WaitEvents(livedesk.EventMessageSent, 1)
	require.Len(t, h.Twilio.Sent(), 1)
	require.Equal(t, 2, h.Twilio.Requests())
	conv := h.RequireConversations(ch.ID, 1)[0]
	g := h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]
	require.Equal(t, 2, g.Attempts)
	require.Zero(t, g.ErrorCode, "the error of a failed attempt is cleared once sent")
}

func TestRetriesRunOut(t *testing.T) {
	h, _ := newHarness(t, fixedBackoff(time.Second), func(o *livedesk.Options) { o.MaxAttempts = 3 })
	ch := h.AddChannel(greeting)
	for range 3 {
		h.Twilio.FailNext(500, 20500, "Internal Server Error")
	}
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	for i := 1; i <= 2; i++ {
		h.WaitEvents(livedesk.EventMessageRetrying, i)
		h.Clock.BlockUntil(1)
		h.Clock.Advance(time.Second)
	}
	failed := h.WaitEvents(livedesk.EventMessageFailed, 1)[0]
	require.Equal(t, 20500, failed.ErrorCode)
	require.Contains(t, failed.Reason, "gave up after 3 attempts")
	require.Equal(t, string(store.KindGreeting), failed.Kind)
	require.Equal(t, 3, h.Twilio.Requests())
	require.Empty(t, h.Twilio.Sent())
	conv := h.RequireConversations(ch.ID, 1)[0]
	g := h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]
	require.Equal(t, store.DeliveryFailed, g.Status)
	require.Equal(t, 3, g.Attempts)
}

func TestPermanentFailure(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	h.Twilio.FailNext(400, 21211, "The 'To' number is not a valid phone number.")
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	failed := h.WaitEvents(livedesk.EventMessageFailed, 1)[0]
	require.Equal(t, 21211, failed.ErrorCode)
	require.Equal(t, 1, h.Twilio.Requests())
	require.Zero(t, h.CountEvents(livedesk.EventMessageRetrying))
}

func TestRunNeverSendsTwice(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	ctx := t.Context()
	const contacts, each = 50, 20
	const n = contacts * each
	var convs []string
	for c := range contacts {
		resp, body := h.Post(ch, livedesktest.Message{From: fmt.Sprintf("+1415555%04d", c), Body: "hello"})
		livedesktest.RequireStatus(t, resp, body, 200)
	}
	for _, c := range h.RequireConversations(ch.ID, contacts) {
		convs = append(convs, c.ID)
	}
	for i := range each {
		for c, conv := range convs {
			_, err := h.Send(ctx, conv, livedesk.Outgoing{AgentID: "a1", Text: fmt.Sprintf("%d-%03d", c, i)})
			require.NoError(t, err)
		}
	}
	// Two desks on the same store: two Run loops compete for the outbox.
	var mu sync.Mutex
	count, done := 0, make(chan struct{})
	onSent := func(_ context.Context, e livedesk.Event) {
		if e.Type != livedesk.EventMessageSent {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if count++; count == n {
			close(done)
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for range 2 {
		d, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: h.Store, Clock: h.Clock,
			Messenger: h.Twilio.Messenger(), OnEvent: onSent})
		require.NoError(t, err)
		wg.Go(func() { _ = d.Run(runCtx) })
	}
	select {
	case <-done:
	case <-time.After(livedesktest.WaitTimeout):
		t.Error("not every message was sent in time")
	}
	cancel()
	wg.Wait()
	sent := h.Twilio.Sent()
	require.Len(t, sent, n)
	seen := map[string]bool{}
	last := map[string]string{} // per customer: the last body received
	for _, s := range sent {
		require.False(t, seen[s.Body], "sent twice: %s", s.Body)
		seen[s.Body] = true
		require.Less(t, last[s.To], s.Body, "a conversation's messages arrive in order")
		last[s.To] = s.Body
	}
}

func TestOutOfOrderStatusCallbacks(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	h.WaitEvents(livedesk.EventMessageSent, 1)
	sent := h.Twilio.Sent()[0]
	for _, st := range []string{"read", "delivered", "sent", "failed", "queued"} {
		resp, body := h.StatusCallback(sent, st, 0)
		livedesktest.RequireStatus(t, resp, body, 200)
	}
	conv := h.RequireConversations(ch.ID, 1)[0]
	g := h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]
	require.Equal(t, store.DeliveryRead, g.Status)
	require.Equal(t, 1, h.CountEvents(livedesk.EventDeliveryStatus), "only read moved it")
}

func TestStatusCallbackEdgeCases(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	h.WaitEvents(livedesk.EventMessageSent, 1)
	sent := h.Twilio.Sent()[0]

	t.Run("unknown status: 200, nothing changes", func(t *testing.T) {
		resp, body := h.StatusCallback(sent, "partially_delivered", 0)
		livedesktest.RequireStatus(t, resp, body, 200)
	})
	t.Run("unknown SID: 200", func(t *testing.T) {
		other := sent
		other.SID = "SM" + "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"
		other.StatusCallback = h.StatusCallbackURL(ch.ID)
		resp, body := h.StatusCallback(other, "delivered", 0)
		livedesktest.RequireStatus(t, resp, body, 200)
	})
	t.Run("bad signature: 403, nothing changes", func(t *testing.T) {
		req := h.Twilio.StatusCallback(sent, "delivered", 0, "ffffffffffffffffffffffffffffffff")
		req.URL.Scheme, req.URL.Host, req.Host = "http", h.Server.Listener.Addr().String(), ""
		resp, body := h.Do(req)
		livedesktest.RequireStatus(t, resp, body, 403)
	})
	conv := h.RequireConversations(ch.ID, 1)[0]
	require.Equal(t, store.DeliveryQueued, h.RequireQueued(conv.ID, store.KindGreeting, 1)[0].Status)
	t.Run("duplicate delivered: applied once", func(t *testing.T) {
		h.StatusCallback(sent, "delivered", 0)
		h.StatusCallback(sent, "delivered", 0)
		require.Equal(t, store.DeliveryDelivered, h.RequireQueued(conv.ID, store.KindGreeting, 1)[0].Status)
		require.Equal(t, 1, h.CountEvents(livedesk.EventDeliveryStatus))
	})
}

// TestCallbackBeforeSendResult: the status callback arrives before the
// desk recorded the SID; it is matched by the message ID in its URL.
func TestCallbackBeforeSendResult(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	conv := mustConversation(t, h, ch)
	msg, err := h.Send(t.Context(), conv.ID, livedesk.Outgoing{AgentID: "a1", Text: "hi"})
	require.NoError(t, err)
	claims, err := h.Store.ClaimOutbound(t.Context(), h.Clock.Now(), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claims, 1)
	// Twilio got it and calls back while the sender has not recorded it yet.
	early := livedesktest.SentMessage{SID: "SM" + "0123456789abcdef0123456789abcdef", AccountSID: ch.Twilio.AccountSID,
		To: "whatsapp:+14155550100", From: "whatsapp:+14155238886", StatusCallback: h.StatusCallbackURL(ch.ID) + "?o=" + msg.ID}
	resp, body := h.StatusCallback(early, "sent", 0)
	livedesktest.RequireStatus(t, resp, body, 200)
	got := h.RequireQueued(conv.ID, store.KindReply, 1)[0]
	require.Equal(t, early.SID, got.SID)
	require.Equal(t, store.DeliverySent, got.Status)
	// The sender dies; once its lease is over nobody sends it again.
	h.Clock.Advance(time.Hour)
	again, err := h.Store.ClaimOutbound(t.Context(), h.Clock.Now(), time.Minute, 10)
	require.NoError(t, err)
	require.Empty(t, again)
}

func TestReplyAndTheWindow(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	conv := mustConversation(t, h, ch)
	ctx := t.Context()
	h.Start()

	_, err := h.Reply(ctx, conv.ID, "agent-1", "Hello Ana, looking into it")
	require.NoError(t, err)
	h.WaitEvents(livedesk.EventMessageSent, 1)
	require.Equal(t, "Hello Ana, looking into it", h.Twilio.Sent()[0].Body)

	h.Clock.Advance(24 * time.Hour)
	_, err = h.Reply(ctx, conv.ID, "agent-1", "Are you still there?")
	require.ErrorIs(t, err, livedesk.ErrOutsideWindow)
	require.Len(t, h.RequireQueued(conv.ID, store.KindReply, 1), 1, "nothing queued")

	tmpl := "HX0123456789abcdef0123456789abcdef"
	h.Twilio.AddTemplate(livedesktest.Template{SID: tmpl, AccountSID: ch.Twilio.AccountSID, FriendlyName: "still_there", Status: "approved"})
	_, err = h.Send(ctx, conv.ID, livedesk.Outgoing{AgentID: "agent-1", Text: "Are you still there?", TemplateSID: tmpl,
		ContentVariables: map[string]string{"1": "Ana"}})
	require.NoError(t, err)
	h.WaitEvents(livedesk.EventMessageSent, 2)
	got := h.Twilio.Sent()[1]
	require.Equal(t, tmpl, got.ContentSID)
	require.Equal(t, `{"1":"Ana"}`, got.ContentVariables)
	require.Empty(t, got.Body)
}

func TestWindowClosedByAsync63016(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	conv := mustConversation(t, h, ch)
	h.Start()
	_, err := h.Reply(t.Context(), conv.ID, "agent-1", "first")
	require.NoError(t, err)
	h.WaitEvents(livedesk.EventMessageSent, 1)
	resp, body := h.StatusCallback(h.Twilio.Sent()[0], "failed", 63016)
	livedesktest.RequireStatus(t, resp, body, 200)
	m := h.RequireQueued(conv.ID, store.KindReply, 1)[0]
	require.Equal(t, store.DeliveryFailed, m.Status)
	require.Equal(t, 63016, m.ErrorCode)
	_, err = h.Reply(t.Context(), conv.ID, "agent-1", "second")
	require.ErrorIs(t, err, livedesk.ErrOutsideWindow, "Twilio said the window is closed")
	h.Clock.Advance(time.Minute)
	h.Post(ch, livedesktest.Message{Body: "I'm back"})
	_, err = h.Reply(t.Context(), conv.ID, "agent-1", "welcome back")
	require.NoError(t, err, "the customer's message reopens it")
}

func TestQueuedAutomaticMessageOutsideWindowFails(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	h.Post(ch, livedesktest.Message{Body: "hello"}) // greeting queued, Run not started
	h.Clock.Advance(25 * time.Hour)
	h.Start()
	failed := h.WaitEvents(livedesk.EventMessageFailed, 1)[0]
	require.Contains(t, failed.Reason, "24-hour window")
	require.Zero(t, h.Twilio.Requests())
}

func TestSendValidation(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	conv := mustConversation(t, h, ch)
	cases := []struct {
		name string
		out  livedesk.Outgoing
		want string
	}{
		{"no author", livedesk.Outgoing{Text: "x"}, "AgentID is required"},
		{"empty", livedesk.Outgoing{AgentID: "a"}, "Text, MediaURLs or ContentSID is required"},
		{"bad content SID", livedesk.Outgoing{AgentID: "a", ContentSID: "HX1"}, `ContentSID "HX1" is not HX followed by 32 hex digits`},
		{"content and text", livedesk.Outgoing{AgentID: "a", ContentSID: "HX0123456789abcdef0123456789abcdef", Text: "x"}, "ContentSID replaces Text"},
		{"relative media URL", livedesk.Outgoing{AgentID: "a", MediaURLs: []string{"/a.png"}}, "must be a public http(s) URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := h.Send(t.Context(), conv.ID, c.out)
			require.ErrorIs(t, err, livedesk.ErrBadMessage)
			require.ErrorContains(t, err, c.want)
		})
	}
	_, err := h.Reply(t.Context(), "no-such-conversation", "a", "x")
	require.ErrorIs(t, err, livedesk.ErrNotFound)
	require.Empty(t, h.Outbound(conv.ID, ""))
}

func TestRunStopsCleanly(t *testing.T) {
	// Registered first, so it runs after the harness's cleanups have closed
	// its servers: only goroutines Run left behind remain to be found.
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	api := livedesktest.NewTwilioAPI(t)
	hc := api.Client()
	hc.Timeout = 300 * time.Millisecond // the hung request below ends with this network timeout
	h, _ := newHarness(t, func(o *livedesk.Options) {
		o.Messenger = twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: hc})
	})
	api.Register(livedesktest.TestChannel(greeting))
	ch := h.AddChannel(greeting)
	api.HangNext() // a send in flight when Run is told to stop
	stop := h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	for deadline := time.Now().Add(livedesktest.WaitTimeout); api.Requests() < 1; time.Sleep(time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "the send never reached the fake API")
	}
	stop() // returns only once the in-flight send is finished and recorded
	require.Equal(t, 1, h.CountEvents(livedesk.EventMessageRetrying)+h.CountEvents(livedesk.EventMessageFailed),
		"the in-flight send was recorded before Run returned")
	conv := h.RequireConversations(ch.ID, 1)[0]
	g := h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]
	require.Equal(t, 1, g.Attempts)
	require.Contains(t, g.Error, "waiting for a status callback", "no answer: not resent blindly")
	hc.CloseIdleConnections()
}

// mustConversation opens a conversation with a customer message.
func mustConversation(t *testing.T, h *livedesktest.Harness, ch channel.Channel) store.Conversation {
	t.Helper()
	resp, body := h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hello"})
	livedesktest.RequireStatus(t, resp, body, 200)
	return h.RequireConversations(ch.ID, 1)[0]
}

// TestAmbiguousSend: a send that got no answer is not resent at once; a
// status callback settles it, and only without one is it tried again.
func TestAmbiguousSend(t *testing.T) {
	setup := func(t *testing.T) (*livedesktest.Harness, *livedesktest.TwilioAPI, channel.Channel) {
		api := livedesktest.NewTwilioAPI(t)
		hc := api.Client()
		hc.Timeout = 300 * time.Millisecond
		h, _ := newHarness(t, func(o *livedesk.Options) {
			o.Messenger = twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: hc})
		})
		api.Register(livedesktest.TestChannel(greeting))
		ch := h.AddChannel(greeting)
		api.HangNext()
		h.Start()
		h.Post(ch, livedesktest.Message{Body: "hello"})
		h.WaitEvents(livedesk.EventMessageRetrying, 1)
		return h, api, ch
	}
	t.Run("a callback settles it: never resent", func(t *testing.T) {
		h, api, ch := setup(t)
		conv := h.RequireConversations(ch.ID, 1)[0]
		g := h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]
		// Twilio did accept it: its callback names the message in the URL.
		cb := livedesktest.SentMessage{SID: "SM" + "abababababababababababababababab", AccountSID: ch.Twilio.AccountSID,
			From: "whatsapp:+14155238886", To: "whatsapp:+14155550100", StatusCallback: h.StatusCallbackURL(ch.ID) + "?o=" + g.ID}
		resp, body := h.StatusCallback(cb, "delivered", 0)
		livedesktest.RequireStatus(t, resp, body, 200)
		h.Clock.BlockUntil(1)
		h.Clock.Advance(10 * time.Minute)
		h.Clock.BlockUntil(1) // Run went round and is waiting again
		require.Equal(t, 1, api.Requests())
		g = h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]
		require.Equal(t, store.DeliveryDelivered, g.Status)
		require.Equal(t, cb.SID, g.SID)
	})
	t.Run("no callback: tried again after the wait", func(t *testing.T) {
		h, api, ch := setup(t)
		h.Clock.BlockUntil(1)
		h.Clock.Advance(3 * time.Minute)
		h.WaitEvents(livedesk.EventMessageSent, 1)
		require.Equal(t, 2, api.Requests())
		require.Len(t, api.Sent(), 1)
		conv := h.RequireConversations(ch.ID, 1)[0]
		require.Equal(t, 2, h.RequireQueued(conv.ID, store.KindGreeting, 1)[0].Attempts)
	})
}
