package livedesk_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// An agent's own deadline error keeps its text as the hand-off reason; only
// AITimeout passing gives the desk's "no answer within".
func TestAITimeoutReason(t *testing.T) {
	cases := []struct {
		name   string
		agent  livedesk.AIAgentFunc
		reason string
	}{
		{"the agent's own timeout", func(ctx context.Context, _ livedesk.AIRequest) (livedesk.AIResponse, error) {
			tctx, cancel := context.WithTimeout(ctx, time.Millisecond)
			defer cancel()
			<-tctx.Done()
			return livedesk.AIResponse{}, fmt.Errorf("gpt: no answer within 1ms (RequestTimeout): %w", tctx.Err())
		}, "AI agent failed: gpt: no answer within 1ms (RequestTimeout): context deadline exceeded"},
		{"AITimeout", func(ctx context.Context, _ livedesk.AIRequest) (livedesk.AIResponse, error) {
			<-ctx.Done()
			return livedesk.AIResponse{}, errors.New("gave up")
		}, "AI agent failed: no answer within 50ms"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, _ := newHarness(t, withAI("gpt", c.agent), func(o *livedesk.Options) { o.AITimeout = 50 * time.Millisecond })
			ch := h.AddChannel()
			require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
			h.Start()
			h.Post(ch, livedesktest.Message{Body: "hello"})
			require.Equal(t, c.reason, h.WaitEvents(livedesk.EventHandedOff, 1)[0].Reason)
		})
	}
}

// The request carries the desk's time, the channel's business hours and a
// media fetcher bound to the channel; the turn's tool calls are events.
func TestAIRequestAndToolEvents(t *testing.T) {
	var mu sync.Mutex
	var got livedesk.AIRequest
	bot := livedesk.AIAgentFunc(func(_ context.Context, r livedesk.AIRequest) (livedesk.AIResponse, error) {
		mu.Lock()
		got = r
		mu.Unlock()
		return livedesk.AIResponse{Text: "Shipped.", ToolCalls: []livedesk.AIToolCall{
			{ID: "c1", Name: "lookup_order", Arguments: `{"id":"1"}`, Result: `{"status":"shipped"}`},
			{ID: "c2", Name: "lookup_order", Arguments: `{"id":"2"}`, Error: "no order 2", Result: `{"error":"no order 2"}`},
		}}, nil
	})
	h, _ := newHarness(t, withAI("gpt", bot))
	ch := h.AddChannel(func(c *channel.Channel) {
		c.Settings.BusinessHours = hours.BusinessHours{Enabled: true, Week: hours.Week{time.Monday: {"09:00-18:00"}}, OutOfOfficeMessage: "We are closed."}
	})
	require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "where are my orders?"})
	replied := h.WaitEvents(livedesk.EventAIReplied, 1)[0]
	calls := h.WaitEvents(livedesk.EventAIToolCalled, 2)
	require.Equal(t, "lookup_order", calls[0].ToolCall.Name)
	require.Equal(t, "no order 2", calls[1].ToolCall.Error)
	require.Equal(t, replied.ConversationID, calls[1].ConversationID)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, livedesktest.DefaultTime(), got.Now)
	require.NotNil(t, got.BusinessHours)
	require.True(t, got.BusinessHours.IsOpen(got.Now))
	require.NotNil(t, got.FetchMedia)
	_, _, err := got.FetchMedia(t.Context(), "https://evil.example.com/x", 10)
	require.Error(t, err, "only Twilio's media URLs of the channel's account")
	var outbound []string
	for _, m := range h.MustMessages(replied.ConversationID) {
		if m.Direction == store.Outbound {
			outbound = append(outbound, m.Text)
		}
	}
	require.Equal(t, []string{"Shipped."}, outbound, "tool calls are not messages")
	// They are in the timeline as internal notes by the AI agent, before
	// the reply, and never sent.
	var timeline []string
	for _, m := range h.MustMessages(replied.ConversationID) {
		switch m.Direction {
		case store.Internal:
			require.Equal(t, "gpt", m.AuthorID)
			timeline = append(timeline, "note: "+m.Text)
		case store.Outbound:
			timeline = append(timeline, "reply: "+m.Text)
		}
	}
	require.Equal(t, []string{
		"note: AI called lookup_order({\"id\":\"1\"})\nresult: {\"status\":\"shipped\"}",
		"note: AI called lookup_order({\"id\":\"2\"})\nerror: no order 2",
		"reply: Shipped.",
	}, timeline)
	h.WaitEvents(livedesk.EventMessageSent, 1)
	require.Len(t, h.Twilio.Sent(), 1, "only the reply reached Twilio")
}

func TestAIReplyTo(t *testing.T) {
	tests := []struct {
		name string
		m    store.Message
		want string
	}{
		{"an AI reply", store.Message{Direction: store.Outbound, Kind: store.KindAI, Key: "ai:m1"}, "m1"},
		{"a human reply", store.Message{Direction: store.Outbound, Kind: store.KindReply, Key: "ai:m1"}, ""},
		{"an AI reply without the desk's key", store.Message{Direction: store.Outbound, Kind: store.KindAI, Key: "x"}, ""},
		{"an inbound message", store.Message{Direction: store.Inbound, Key: "ai:m1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, livedesk.AIReplyTo(tt.m))
		})
	}
}

// Whatever an agent returns, the reply fits Twilio's 1600 characters,
// counted in UTF-16 units as Twilio counts them.
func TestAIReplyFitsTwilio(t *testing.T) {
	bot := livedesk.AIAgentFunc(func(context.Context, livedesk.AIRequest) (livedesk.AIResponse, error) {
		return livedesk.AIResponse{Text: strings.Repeat("🥐", 1000)}, nil // 1,000 characters, 2,000 units
	})
	h, _ := newHarness(t, withAI("gpt", bot))
	ch := h.AddChannel()
	require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "croissants?"})
	ev := h.WaitEvents(livedesk.EventAIReplied, 1)[0]
	reply := h.RequireQueued(ev.ConversationID, store.KindAI, 1)[0]
	require.Equal(t, strings.Repeat("🥐", 800), reply.Text)
	require.Len(t, utf16.Encode([]rune(reply.Text)), 1600)
}

// With AutoMessagesWithAI, the greeting enters the outbox before Run is
// woken for the AI turn: the AI agent sees it in its history and the
// customer gets it first. (Waking Run before the greeting was stored let
// the turn run first, now and then: the loop gives that race many
// chances.)
func TestAITurnAfterGreeting(t *testing.T) {
	var mu sync.Mutex
	var missing []string
	bot := livedesk.AIAgentFunc(func(_ context.Context, r livedesk.AIRequest) (livedesk.AIResponse, error) {
		greeted := false
		for _, m := range r.History {
			greeted = greeted || m.Kind == store.KindGreeting
		}
		if !greeted {
			mu.Lock()
			missing = append(missing, r.Contact.Phone)
			mu.Unlock()
		}
		return livedesk.AIResponse{Text: "Hello from the bot."}, nil
	})
	h, _ := newHarness(t, withAI("gpt", bot))
	ch := h.AddChannel(func(c *channel.Channel) {
		greeting(c)
		c.Settings.Assignment.AutoMessagesWithAI = true
	})
	require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
	h.Start()
	const n = 40
	for i := range n {
		resp, body := h.Post(ch, livedesktest.Message{From: fmt.Sprintf("+141555502%02d", i), Body: "hi"})
		livedesktest.RequireStatus(t, resp, body, 200)
	}
	h.WaitEvents(livedesk.EventAIReplied, n)
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, missing, "AI turns that ran before the greeting was stored")
}
