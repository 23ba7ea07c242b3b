package livedesktest

import (
	"net/http"
	"testing"

	"github.com/livedesk/livedesk/store"
)

// RequireStatus fails the test unless resp has the given status code.
func RequireStatus(tb testing.TB, resp *http.Response, body string, code int) {
	tb.Helper()
	if resp.StatusCode != code {
		tb.Fatalf("status %d (%s), want %d", resp.StatusCode, body, code)
	}
}

// RequireQueued fails the test unless exactly n outbound messages of kind
// exist in the conversation, and returns them.
func (h *Harness) RequireQueued(conversationID string, kind store.Kind, n int) []store.Message {
	h.TB.Helper()
	got := h.Outbound(conversationID, kind)
	if len(got) != n {
		h.TB.Fatalf("conversation %s has %d %q messages, want %d", conversationID, len(got), kind, n)
	}
	return got
}

// RequireConversations fails the test unless the channel has exactly n
// conversations, and returns them.
func (h *Harness) RequireConversations(channelID string, n int) []store.Conversation {
	h.TB.Helper()
	cs, err := h.Desk.Conversations(h.TB.Context(), store.ConversationFilter{ChannelID: channelID})
	if err != nil {
		h.TB.Fatalf("livedesktest: %v", err)
	}
	if len(cs) != n {
		h.TB.Fatalf("channel %s has %d conversations, want %d", channelID, len(cs), n)
	}
	return cs
}
