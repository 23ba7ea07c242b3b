package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

var outboxCases = []testCase{
	{"enqueue is idempotent on the key", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		msg := store.Message{
			ConversationID: res.Conversation.ID, Kind: store.KindReply, Key: "reply:1", AuthorID: "agent-1",
			Text: "On it", MediaURLs: []string{"https://example.com/a.png"},
		}
		q, created, err := s.Enqueue(ctx(t), msg, t0)
		noErr(t, err, "Enqueue")
		equal(t, created, true, "created")
		equal(t, q.Status, store.DeliveryPending, "Status")
		equal(t, q.ChannelID, "ch1", "ChannelID")
		equal(t, q.AuthorID, "agent-1", "AuthorID")
		msg.Text = "changed"
		again, created, err := s.Enqueue(ctx(t), msg, t0.Add(time.Minute))
		noErr(t, err, "second Enqueue")
		equal(t, created, false, "created again")
		equal(t, again.ID, q.ID, "same message")
		equal(t, again.Text, "On it", "unchanged text")
		got, err := outboundByKey(t, s, "reply:1")
		noErr(t, err, "OutboundByKey")
		equal(t, len(got.MediaURLs), 1, "MediaURLs")
		equal(t, got.MediaURLs[0], "https://example.com/a.png", "MediaURL")
	}},
	{"enqueue into an unknown conversation is ErrNotFound", func(t *testing.T, s store.Store) {
		_, _, err := s.Enqueue(ctx(t), store.Message{ConversationID: "nope", Key: "k"}, t0)
		wantErr(t, err, store.ErrNotFound, "Enqueue")
		_, err = outboundByKey(t, s, "k")
		wantErr(t, err, store.ErrNotFound, "OutboundByKey")
	}},
}
