package livedesk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
)

func TestNewOptions(t *testing.T) {
	cases := []struct {
		url, err string
	}{
		{"", "PublicURL is required"},
		{"support.example.com/livedesk", "must start with https://"},
		{"ftp://support.example.com", "must start with https://"},
		{"https:///livedesk", "has no host"},
		{"https://user:pw@support.example.com", "must not contain credentials"},
		{"https://support.example.com/livedesk?x=1", "must not have a query or fragment"},
		{"https://support.example.com/livedesk#frag", "must not have a query or fragment"},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			_, err := livedesk.New(livedesk.Options{PublicURL: c.url})
			require.ErrorIs(t, err, livedesk.ErrBadOptions)
			require.ErrorContains(t, err, c.err)
		})
	}
	d, err := livedesk.New(livedesk.Options{PublicURL: "https://support.example.com/livedesk/"})
	require.NoError(t, err)
	require.Equal(t, "https://support.example.com/livedesk/twilio/abc", d.WebhookURL("abc"))
	require.Equal(t, "https://support.example.com/livedesk/twilio/abc/status", d.StatusCallbackURL("abc"))
	require.IsType(t, &memstore.Store{}, d.Store(), "memstore is the default")
}

func TestChannelLifecycle(t *testing.T) {
	h, _ := newHarness(t)
	ctx := t.Context()

	_, err := h.Desk.CreateChannel(ctx, livedesktest.TestChannel(func(c *channel.Channel) { c.Twilio.PhoneNumber = "0612" }))
	require.ErrorIs(t, err, channel.ErrInvalid)
	require.ErrorContains(t, err, `Twilio.PhoneNumber "0612" is not E.164`)
	list, err := h.Desk.Channels(ctx)
	require.NoError(t, err)
	require.Empty(t, list, "an invalid channel is not stored")

	ch := h.AddChannel()
	require.NotEmpty(t, ch.ID, "a UUID is assigned")
	require.Equal(t, livedesktest.DefaultTime(), ch.CreatedAt)
	require.Equal(t, livedesktest.PublicURL+"/twilio/"+ch.ID, h.Desk.WebhookURL(ch.ID))

	named, err := h.Desk.CreateChannel(ctx, livedesktest.TestChannel(func(c *channel.Channel) { c.ID = "support-fr" }))
	require.NoError(t, err)
	require.Equal(t, "support-fr", named.ID)
	_, err = h.Desk.CreateChannel(ctx, livedesktest.TestChannel(func(c *channel.Channel) { c.ID = "support-fr" }))
	require.ErrorIs(t, err, store.ErrExists)

	h.Clock.Advance(time.Hour)
	ch.Name = "Renamed"
	greeting(&ch)
	updated, err := h.Desk.UpdateChannel(ctx, ch)
	require.NoError(t, err)
	require.Equal(t, livedesktest.DefaultTime(), updated.CreatedAt)
	require.Equal(t, livedesktest.DefaultTime().Add(time.Hour), updated.UpdatedAt)
	got, err := h.Desk.Channel(ctx, ch.ID)
	require.NoError(t, err)
	require.Equal(t, "Renamed", got.Name)

	// The update applies at once: the greeting is queued.
	h.Post(ch, livedesktest.Message{Body: "hi"})
	conv := h.RequireConversations(ch.ID, 1)[0]
	h.RequireQueued(conv.ID, store.KindGreeting, 1)

	bad := ch
	bad.Twilio.AccountSID = "nope"
	_, err = h.Desk.UpdateChannel(ctx, bad)
	require.ErrorIs(t, err, channel.ErrInvalid)
	_, err = h.Desk.UpdateChannel(ctx, livedesktest.TestChannel(func(c *channel.Channel) { c.ID = "missing" }))
	require.ErrorIs(t, err, livedesk.ErrNotFound)

	list, err = h.Desk.Channels(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)

	require.NoError(t, h.Desk.DeleteChannel(ctx, ch.ID))
	require.ErrorIs(t, h.Desk.DeleteChannel(ctx, ch.ID), livedesk.ErrNotFound)
	_, err = h.Desk.Channel(ctx, ch.ID)
	require.ErrorIs(t, err, livedesk.ErrNotFound)
	resp, body := h.Post(ch, livedesktest.Message{Body: "hi"})
	livedesktest.RequireStatus(t, resp, body, 404)
}

// TestRotatedToken: during a token rotation both tokens are accepted.
func TestRotatedToken(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(func(c *channel.Channel) { c.Twilio.SecondaryAuthToken = "fedcba9876543210fedcba9876543210" })
	old := ch
	old.Twilio.AuthToken = ch.Twilio.SecondaryAuthToken
	resp, body := h.Post(old, livedesktest.Message{Body: "signed with the secondary token"})
	livedesktest.RequireStatus(t, resp, body, 200)
}

func TestEvents(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	sid := livedesktest.NewSID()
	h.Post(ch, livedesktest.Message{SID: sid, Body: "hi"})
	h.Post(ch, livedesktest.Message{SID: sid, Body: "hi"})
	h.Post(ch, livedesktest.Message{Body: "again"})
	resp, body := h.Post(ch, livedesktest.Message{Body: "forged"}.WithAccount("ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"))
	livedesktest.RequireStatus(t, resp, body, 403)
	var types []livedesk.EventType
	for _, e := range h.Events() {
		types = append(types, e.Type)
		require.Equal(t, ch.ID, e.ChannelID)
		require.Equal(t, livedesktest.DefaultTime(), e.At)
	}
	require.Equal(t, []livedesk.EventType{
		livedesk.EventConversationOpened, livedesk.EventMessageReceived, livedesk.EventQueued, livedesk.EventMessageQueued,
		livedesk.EventDuplicateIgnored,
		livedesk.EventMessageReceived,
		livedesk.EventWebhookRejected,
	}, types)
}

// TestRetryOfUnprocessedMessage: Twilio's retry of a message that was
// recorded but not processed (the process died in between) processes it.
func TestRetryOfUnprocessedMessage(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	m := livedesktest.Message{SID: livedesktest.NewSID(), Body: "hello"}
	in := m.Form(ch)
	// Record without processing, as a crashed process would have left it.
	_, err := h.Store.RecordInbound(t.Context(), store.InboundRecord{ChannelID: ch.ID, ReceivedAt: h.Clock.Now(),
		Message: channel.Inbound{MessageSID: m.SID, AccountSID: ch.Twilio.AccountSID, From: in.Get("From"), To: in.Get("To"), Body: "hello"}})
	require.NoError(t, err)
	conv := h.RequireConversations(ch.ID, 1)[0]
	h.RequireQueued(conv.ID, store.KindGreeting, 0)
	resp, body := h.Post(ch, m)
	livedesktest.RequireStatus(t, resp, body, 200)
	h.RequireQueued(conv.ID, store.KindGreeting, 1)
	require.True(t, h.MustMessages(conv.ID)[0].Processed)
}

// TestRunSweeps: Run processes what a crash left behind, on its own
// schedule driven by the fake clock, and stops on cancel.
func TestRunSweeps(t *testing.T) {
	processed := make(chan struct{}, 1)
	h, _ := newHarness(t, func(o *livedesk.Options) {
		o.OnEvent = func(_ context.Context, e livedesk.Event) {
			if e.Type == livedesk.EventMessageQueued {
				processed <- struct{}{}
			}
		}
	})
	ch := h.AddChannel(greeting)
	_, err := h.Store.RecordInbound(t.Context(), store.InboundRecord{ChannelID: ch.ID, ReceivedAt: h.Clock.Now(),
		Message: channel.Inbound{MessageSID: livedesktest.NewSID(), AccountSID: ch.Twilio.AccountSID, From: "whatsapp:+14155550100", To: "whatsapp:+14155238886"}})
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- h.Desk.Run(ctx) }()
	// Run sweeps at once (the message is too young), then waits 30 s.
	h.Clock.BlockUntil(1)
	h.Clock.Advance(30 * time.Second) // 30 s old: still too young
	h.Clock.BlockUntil(1)
	select {
	case <-processed:
		t.Fatal("a 30-second-old message must be left to its webhook")
	default:
	}
	h.Clock.Advance(31 * time.Second) // over 1 min old: swept
	select {
	case <-processed:
	case <-time.After(10 * time.Second):
		t.Fatal("the sweep never processed the message")
	}
	conv := h.RequireConversations(ch.ID, 1)[0]
	h.RequireQueued(conv.ID, store.KindGreeting, 1)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestSweepSkipsDeletedChannels(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	_, err := h.Store.RecordInbound(t.Context(), store.InboundRecord{ChannelID: ch.ID, ReceivedAt: h.Clock.Now(),
		Message: channel.Inbound{MessageSID: livedesktest.NewSID(), AccountSID: ch.Twilio.AccountSID, From: "whatsapp:+14155550100", To: "whatsapp:+14155238886"}})
	require.NoError(t, err)
	require.NoError(t, h.Desk.DeleteChannel(t.Context(), ch.ID))
	h.Clock.Advance(time.Hour)
	_, err = h.Desk.Sweep(t.Context())
	require.NoError(t, err)
	left, err := h.Store.UnprocessedInbound(t.Context(), h.Clock.Now(), 10)
	require.NoError(t, err)
	require.Empty(t, left)
	require.False(t, errors.Is(err, livedesk.ErrNotFound))
}
