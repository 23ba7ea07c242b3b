package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

var inboxCases = []testCase{
	{"first message creates contact, conversation and message", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		equal(t, res.Duplicate, false, "Duplicate")
		equal(t, res.NewContact, true, "NewContact")
		equal(t, res.NewConversation, true, "NewConversation")
		equal(t, res.Contact.Phone, "+14155550100", "Contact.Phone")
		equal(t, res.Contact.WaID, "14155550100", "Contact.WaID")
		equal(t, res.Contact.ProfileName, "Ana", "Contact.ProfileName")
		sameTime(t, res.Contact.LastInboundAt, t0, "Contact.LastInboundAt")
		equal(t, res.Conversation.Status, store.StatusOpen, "Conversation.Status")
		equal(t, res.Conversation.Sender, "+14155238886", "Conversation.Sender")
		equal(t, res.Conversation.ContactID, res.Contact.ID, "Conversation.ContactID")
		sameTime(t, res.Conversation.LastInboundAt, t0, "Conversation.LastInboundAt")
		m := res.Message
		equal(t, m.Direction, store.Inbound, "Direction")
		equal(t, m.Kind, store.KindCustomer, "Kind")
		equal(t, m.ConversationID, res.Conversation.ID, "ConversationID")
		equal(t, m.ContactID, res.Contact.ID, "ContactID")
		equal(t, m.SID, "SM00000000000000000000000000000001", "SID")
		equal(t, m.Text, "message 1", "Text")
		equal(t, m.Processed, false, "Processed")
		if m.ID == "" || res.Contact.ID == "" || res.Conversation.ID == "" {
			t.Fatal("IDs must be assigned")
		}
		if m.Inbound == nil || m.Inbound.Extra["NumSegments"] != "1" {
			t.Fatalf("the parsed inbound message with its extra parameters must be kept, got %+v", m.Inbound)
		}
	}},
	{"second message joins the open conversation and updates the contact", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		first := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		rec := inbound("ch1", "+14155550100", 2, t0.Add(time.Minute))
		rec.Message.ProfileName = "Ana Maria"
		second := mustRecord(t, s, rec)
		equal(t, second.NewContact, false, "NewContact")
		equal(t, second.NewConversation, false, "NewConversation")
		equal(t, second.Conversation.ID, first.Conversation.ID, "conversation")
		equal(t, second.Contact.ProfileName, "Ana Maria", "ProfileName")
		sameTime(t, second.Contact.LastInboundAt, t0.Add(time.Minute), "LastInboundAt")
		msgs, err := s.Messages(ctx(t), first.Conversation.ID)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 2, "messages")
	}},
	{"an empty profile name does not erase the known one", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		rec := inbound("ch1", "+14155550100", 2, t0.Add(time.Minute))
		rec.Message.ProfileName = ""
		res := mustRecord(t, s, rec)
		equal(t, res.Contact.ProfileName, "Ana", "ProfileName")
	}},
	{"a late message does not move the window back", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0.Add(time.Hour)))
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 2, t0))
		sameTime(t, res.Contact.LastInboundAt, t0.Add(time.Hour), "Contact.LastInboundAt")
		sameTime(t, res.Conversation.LastInboundAt, t0.Add(time.Hour), "Conversation.LastInboundAt")
	}},
	{"duplicate MessageSid changes nothing and returns the existing records", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		first := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		dup := inbound("ch1", "+14155550100", 1, t0.Add(time.Hour))
		dup.Message.Body = "changed"
		dup.Message.ProfileName = "Someone else"
		res := mustRecord(t, s, dup)
		equal(t, res.Duplicate, true, "Duplicate")
		equal(t, res.NewConversation, false, "NewConversation")
		equal(t, res.Message.ID, first.Message.ID, "Message.ID")
		equal(t, res.Message.Text, "message 1", "Message.Text")
		equal(t, res.Contact.ProfileName, "Ana", "ProfileName")
		sameTime(t, res.Contact.LastInboundAt, t0, "LastInboundAt")
		msgs, err := s.Messages(ctx(t), first.Conversation.ID)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 1, "messages")
	}},
	{"the same MessageSid on two channels is two messages", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateChannel(t, s, "ch2")
		a := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		b := mustRecord(t, s, inbound("ch2", "+14155550100", 1, t0))
		equal(t, b.Duplicate, false, "Duplicate")
		if a.Contact.ID == b.Contact.ID || a.Conversation.ID == b.Conversation.ID {
			t.Fatal("contacts and conversations are per channel")
		}
	}},
	{"finish queues messages once and marks the message processed", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		greeting := store.Message{ConversationID: res.Conversation.ID, Kind: store.KindGreeting, Key: "greeting:" + res.Conversation.ID, Text: "Hello!"}
		queued, err := s.FinishInbound(ctx(t), res.Message.ID, []store.Message{greeting}, t0.Add(time.Second))
		noErr(t, err, "FinishInbound")
		equal(t, len(queued), 1, "queued")
		q := queued[0]
		equal(t, q.Direction, store.Outbound, "Direction")
		equal(t, q.Status, store.DeliveryPending, "Status")
		equal(t, q.ContactID, res.Contact.ID, "ContactID")
		equal(t, q.ChannelID, "ch1", "ChannelID")
		sameTime(t, q.CreatedAt, t0.Add(time.Second), "CreatedAt")
		sameTime(t, q.NextAttemptAt, t0.Add(time.Second), "NextAttemptAt")
		if q.ID == "" {
			t.Fatal("queued message needs an ID")
		}
		again, err := s.FinishInbound(ctx(t), res.Message.ID, []store.Message{greeting}, t0.Add(2*time.Second))
		noErr(t, err, "second FinishInbound")
		equal(t, len(again), 0, "queued again")
		msgs, err := s.Messages(ctx(t), res.Conversation.ID)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 2, "messages")
		equal(t, msgs[0].Processed, true, "Processed")
		equal(t, msgs[1].Key, greeting.Key, "Key")
		byKey, err := outboundByKey(t, s, greeting.Key)
		noErr(t, err, "OutboundByKey")
		equal(t, byKey.ID, q.ID, "OutboundByKey ID")
		equal(t, byKey.Text, "Hello!", "OutboundByKey Text")
		dup := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		equal(t, dup.Message.Processed, true, "duplicate shows Processed")
	}},
	{"finish on an unknown message is ErrNotFound and queues nothing", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		q := store.Message{ConversationID: res.Conversation.ID, Kind: store.KindGreeting, Key: "k1"}
		_, err := s.FinishInbound(ctx(t), "no-such-message", []store.Message{q}, t0)
		wantErr(t, err, store.ErrNotFound, "FinishInbound")
		_, err = outboundByKey(t, s, "k1")
		wantErr(t, err, store.ErrNotFound, "OutboundByKey")
	}},
	{"finish into an unknown conversation is ErrNotFound and changes nothing", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		good := store.Message{ConversationID: res.Conversation.ID, Key: "good"}
		bad := store.Message{ConversationID: "no-such-conversation", Key: "bad"}
		_, err := s.FinishInbound(ctx(t), res.Message.ID, []store.Message{good, bad}, t0)
		wantErr(t, err, store.ErrNotFound, "FinishInbound")
		_, err = outboundByKey(t, s, "good")
		wantErr(t, err, store.ErrNotFound, "nothing half-written")
		un, err := s.UnprocessedInbound(ctx(t), t0.Add(time.Hour), 10)
		noErr(t, err, "UnprocessedInbound")
		equal(t, len(un), 1, "still unprocessed")
	}},
	{"unprocessed lists the oldest first, before a time, up to a limit", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		var ids []string
		for i := range 4 {
			res := mustRecord(t, s, inbound("ch1", "+1415555010"+string(rune('0'+i)), i+1, t0.Add(time.Duration(3-i)*time.Minute)))
			ids = append(ids, res.Message.ID)
		}
		_, err := s.FinishInbound(ctx(t), ids[2], nil, t0)
		noErr(t, err, "FinishInbound")
		got, err := s.UnprocessedInbound(ctx(t), t0.Add(3*time.Minute), 10)
		noErr(t, err, "UnprocessedInbound")
		// ids[3] at t0, ids[2] processed, ids[1] at +2m, ids[0] at +3m (not before).
		equal(t, len(got), 2, "count")
		equal(t, got[0].ID, ids[3], "oldest first")
		equal(t, got[1].ID, ids[1], "then")
		limited, err := s.UnprocessedInbound(ctx(t), t0.Add(time.Hour), 1)
		noErr(t, err, "UnprocessedInbound limit")
		equal(t, len(limited), 1, "limit")
		equal(t, limited[0].ID, ids[3], "limit keeps the oldest")
	}},
}
