package livedesk_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
)

// Events read from the durable feed keep the label of conversation.labeled
// and .unlabeled (the feed and labels were built on separate branches; the
// feed's stored data first left the label out).
func TestFeedKeepsTheLabel(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	resp, body := h.Post(ch, livedesktest.Message{Body: "hello"})
	livedesktest.RequireStatus(t, resp, body, 200)
	conv := h.RequireConversations(ch.ID, 1)[0]
	ctx := context.Background()
	require.NoError(t, h.Desk.AddLabel(ctx, conv.ID, "vip"))
	require.NoError(t, h.Desk.RemoveLabel(ctx, conv.ID, "vip"))
	evs, _, err := h.Desk.Events(ctx, 0, livedesk.EventFilter{Types: []livedesk.EventType{livedesk.EventLabeled, livedesk.EventUnlabeled}}, 10)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	for _, e := range evs {
		require.Equal(t, "vip", e.Label, "%s read from the feed", e.Type)
	}
}
