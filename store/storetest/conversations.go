package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

var conversationCases = []testCase{
	{"conversation, contact and messages read back; unknown IDs are ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		c, err := s.Conversation(ctx(t), res.Conversation.ID)
		noErr(t, err, "Conversation")
		equal(t, c.ContactID, res.Contact.ID, "ContactID")
		equal(t, c.Status, store.StatusOpen, "Status")
		k, err := s.Contact(ctx(t), res.Contact.ID)
		noErr(t, err, "Contact")
		equal(t, k.Phone, "+14155550100", "Phone")
		_, err = s.Conversation(ctx(t), "nope")
		wantErr(t, err, store.ErrNotFound, "Conversation unknown")
		_, err = s.Contact(ctx(t), "nope")
		wantErr(t, err, store.ErrNotFound, "Contact unknown")
		_, err = s.Messages(ctx(t), "nope")
		wantErr(t, err, store.ErrNotFound, "Messages unknown")
	}},
	{"messages come oldest first, inbound and outbound together", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		_, _, err := s.Enqueue(ctx(t), store.Message{ConversationID: res.Conversation.ID, Kind: store.KindReply, Key: "r1", Text: "reply"}, t0.Add(time.Minute))
		noErr(t, err, "Enqueue")
		mustRecord(t, s, inbound("ch1", "+14155550100", 2, t0.Add(2*time.Minute)))
		msgs, err := s.Messages(ctx(t), res.Conversation.ID)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 3, "len")
		equal(t, msgs[0].Text, "message 1", "first")
		equal(t, msgs[1].Text, "reply", "second")
		equal(t, msgs[2].Text, "message 2", "third")
	}},
	{"list filters by channel, contact and status, oldest first, with a limit", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateChannel(t, s, "ch2")
		a := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		b := mustRecord(t, s, inbound("ch1", "+14155550101", 2, t0.Add(time.Minute)))
		mustRecord(t, s, inbound("ch2", "+14155550100", 3, t0.Add(2*time.Minute)))
		all, err := s.ListConversations(ctx(t), store.ConversationFilter{})
		noErr(t, err, "all")
		equal(t, len(all), 3, "all")
		ch1, err := s.ListConversations(ctx(t), store.ConversationFilter{ChannelID: "ch1"})
		noErr(t, err, "ch1")
		equal(t, len(ch1), 2, "ch1")
		equal(t, ch1[0].ID, a.Conversation.ID, "oldest first")
		equal(t, ch1[1].ID, b.Conversation.ID, "then")
		byContact, err := s.ListConversations(ctx(t), store.ConversationFilter{ContactID: b.Contact.ID})
		noErr(t, err, "contact")
		equal(t, len(byContact), 1, "contact")
		open, err := s.ListConversations(ctx(t), store.ConversationFilter{Status: store.StatusOpen, Limit: 2})
		noErr(t, err, "open")
		equal(t, len(open), 2, "limit")
		resolved, err := s.ListConversations(ctx(t), store.ConversationFilter{Status: store.StatusResolved})
		noErr(t, err, "resolved")
		equal(t, len(resolved), 0, "resolved")
	}},
}
