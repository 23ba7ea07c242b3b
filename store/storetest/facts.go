package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

// factCases check that an inbound message keeps what RecordInbound found
// when it recorded it, for whoever processes it later.
var factCases = []testCase{
	{"the message records a new contact and an opened conversation, and keeps them", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		first := mustRecord(t, s, inbound("ch1", "+33612345678", 1, t0))
		second := mustRecord(t, s, inbound("ch1", "+33612345678", 2, t0.Add(time.Minute)))
		_, _, err := s.Resolve(ctx(t), store.ResolveRequest{ConversationID: first.Conversation.ID, At: t0.Add(2 * time.Minute)})
		noErr(t, err, "Resolve")
		third := mustRecord(t, s, inbound("ch1", "+33612345678", 3, t0.Add(3*time.Minute)))
		cases := []struct {
			name              string
			res               store.InboundResult
			newContact, opens bool
		}{
			{"first", first, true, true},
			{"second", second, false, false},
			{"third, after a resolution", third, false, true},
		}
		for _, c := range cases {
			equal(t, c.res.NewContact, c.newContact, c.name+": result NewContact")
			equal(t, c.res.NewConversation, c.opens, c.name+": result NewConversation")
			for _, m := range []store.Message{c.res.Message, storedMessage(t, s, c.res.Message), duplicate(t, s, c.res.Message)} {
				equal(t, m.NewContact, c.newContact, c.name+": Message.NewContact")
				equal(t, m.Opened, c.opens, c.name+": Message.Opened")
				equal(t, m.SurveyOutcome, store.SurveyNone, c.name+": Message.SurveyOutcome")
			}
		}
		pending, err := s.UnprocessedInbound(ctx(t), t0.Add(time.Hour), 10)
		noErr(t, err, "UnprocessedInbound")
		equal(t, len(pending), 3, "unprocessed")
		equal(t, pending[0].NewContact && pending[0].Opened, true, "the sweep reads the facts")
		equal(t, pending[1].NewContact || pending[1].Opened, false, "second message's facts")
	}},
}

// storedMessage reads a message back from its conversation.
func storedMessage(t *testing.T, s store.Store, m store.Message) store.Message {
	t.Helper()
	msgs, err := s.Messages(ctx(t), m.ConversationID)
	noErr(t, err, "Messages")
	for _, x := range msgs {
		if x.ID == m.ID {
			return x
		}
	}
	t.Fatalf("message %s not in its conversation", m.ID)
	return store.Message{}
}

// duplicate records the message's webhook again and returns the message
// the duplicate result carries.
func duplicate(t *testing.T, s store.Store, m store.Message) store.Message {
	t.Helper()
	res := mustRecord(t, s, store.InboundRecord{ChannelID: m.ChannelID, Message: *m.Inbound, ReceivedAt: m.CreatedAt.Add(time.Hour)})
	equal(t, res.Duplicate, true, "Duplicate")
	return res.Message
}
