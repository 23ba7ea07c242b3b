package livedesk_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
)

// TestFeedMirrorsOnEvent: every event OnEvent sees is in the durable
// feed, in the same order, except the two in-process ones (a rejected
// webhook writes nothing; a duplicate changed nothing); and the feed never
// carries the channel's credentials, even with a send failure whose reason
// is recorded.
func TestFeedMirrorsOnEvent(t *testing.T) {
	h := livedesktest.New(t)
	ch := h.AddChannel(greeting)
	h.Twilio.FailNext(400, 21211, "The 'To' number is not a valid phone number")
	h.Start()
	msg := livedesktest.Message{Body: "hello"}
	h.Post(ch, msg)
	h.Post(ch, msg) // a duplicate
	h.WaitEvents(livedesk.EventMessageFailed, 1)

	feed, _, err := h.Desk.Events(t.Context(), 0, livedesk.EventFilter{}, 0)
	require.NoError(t, err)
	var want []livedesk.EventType
	for _, e := range h.Events() {
		if e.Type != livedesk.EventDuplicateIgnored && e.Type != livedesk.EventWebhookRejected {
			want = append(want, e.Type)
		}
	}
	var got []livedesk.EventType
	for _, e := range feed {
		got = append(got, e.Type)
	}
	require.Equal(t, want, got)
	raw, err := json.Marshal(feed)
	require.NoError(t, err)
	require.Contains(t, string(raw), "21211", "the failure's code is in the feed")
	require.NotContains(t, string(raw), string(ch.Twilio.AuthToken), "credentials in the feed")

	_, _, err = h.Desk.Events(t.Context(), 0, livedesk.EventFilter{}, -1)
	require.ErrorIs(t, err, livedesk.ErrBadLimit)
}

// TestSubscribeResumes: Subscribe delivers events as they happen and,
// started again from the last position it handled, neither repeats nor
// misses one.
func TestSubscribeResumes(t *testing.T) {
	h := livedesktest.New(t)
	ch := h.AddChannel()
	f := livedesk.EventFilter{ChannelID: ch.ID, Types: []livedesk.EventType{livedesk.EventMessageReceived}}
	stop := errors.New("stop")
	var last livedesk.Position
	var ids []string
	follow := func(n int) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		got := 0
		err := h.Desk.Subscribe(ctx, last, f, func(e livedesk.Event) error {
			require.Greater(t, e.Position, last)
			last = e.Position
			ids = append(ids, h.MustMessages(e.ConversationID)[0].ID) // conversation exists
			if got++; got == n {
				return stop
			}
			return nil
		})
		require.ErrorIs(t, err, stop)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 3 {
			h.Post(ch, livedesktest.Message{Body: "x"})
		}
	}()
	follow(2)
	<-done
	h.Post(ch, livedesktest.Message{Body: "y"})
	follow(2)
	require.Len(t, ids, 4)
	rest, _, err := h.Desk.Events(t.Context(), last, f, 0)
	require.NoError(t, err)
	require.Empty(t, rest)
}
