package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

// queueN queues n outbound messages, each in the conversation of its own
// new contact, the i-th due at t0+i seconds; it returns the first
// conversation's inbound result.
func queueN(t *testing.T, s store.Store, n int) (store.InboundResult, []store.Message) {
	t.Helper()
	mustCreateChannel(t, s, "ch1")
	first := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
	var out []store.Message
	for i := range n {
		res := first
		if i > 0 {
			res = mustRecord(t, s, inbound("ch1", fmt.Sprintf("+1415556%04d", i), i+1, t0))
		}
		m, _, err := s.Enqueue(ctx(t), store.Message{ConversationID: res.Conversation.ID, Kind: store.KindReply,
			Key: fmt.Sprintf("k%d", i), Text: fmt.Sprint(i), NextAttemptAt: t0.Add(time.Duration(i) * time.Second)}, t0)
		noErr(t, err, "Enqueue")
		out = append(out, m)
	}
	return first, out
}

// queueInOne queues n outbound messages in one conversation, all due at t0.
func queueInOne(t *testing.T, s store.Store, res store.InboundResult, prefix string, n int) []store.Message {
	t.Helper()
	var out []store.Message
	for i := range n {
		m, _, err := s.Enqueue(ctx(t), store.Message{ConversationID: res.Conversation.ID, Kind: store.KindReply,
			Key: fmt.Sprintf("%s%d", prefix, i), Text: fmt.Sprintf("%s%d", prefix, i)}, t0)
		noErr(t, err, "Enqueue")
		out = append(out, m)
	}
	return out
}

func claim(t *testing.T, s store.Store, now time.Time, limit int) []store.Claim {
	t.Helper()
	cs, err := s.ClaimOutbound(ctx(t), now, time.Minute, limit)
	noErr(t, err, "ClaimOutbound")
	return cs
}

var deliveryCases = []testCase{
	{"a conversation's messages go out one at a time, in the order queued", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		a := queueInOne(t, s, mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0)), "a", 3)
		b := queueInOne(t, s, mustRecord(t, s, inbound("ch1", "+14155550101", 2, t0)), "b", 1)
		cs := claim(t, s, t0, 10)
		equal(t, len(cs), 2, "one message per conversation")
		got := map[string]store.Claim{}
		for _, c := range cs {
			got[c.Message.ID] = c
		}
		if _, ok := got[a[0].ID]; !ok {
			t.Fatal("the first message of conversation a must go first")
		}
		if _, ok := got[b[0].ID]; !ok {
			t.Fatal("conversation b's message is independent")
		}
		equal(t, len(claim(t, s, t0, 10)), 0, "a1 waits while a0 is being sent")
		_, err := s.CompleteOutbound(ctx(t), b[0].ID, got[b[0].ID].Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SMb0", Status: store.DeliveryQueued, At: t0})
		noErr(t, err, "send b0")
		// a0 must be retried later: a1 still waits for it.
		_, err = s.CompleteOutbound(ctx(t), a[0].ID, got[a[0].ID].Lease, store.SendResult{Outcome: store.OutcomeRetry, NextAttemptAt: t0.Add(time.Minute), At: t0})
		noErr(t, err, "retry a0")
		equal(t, len(claim(t, s, t0.Add(time.Second), 10)), 0, "a1 waits behind a0's retry")
		again := claim(t, s, t0.Add(time.Minute), 10)
		equal(t, len(again), 1, "a0 again")
		equal(t, again[0].Message.ID, a[0].ID, "a0 first")
		_, err = s.CompleteOutbound(ctx(t), a[0].ID, again[0].Lease, store.SendResult{Outcome: store.OutcomeFailed, Error: "x", At: t0})
		noErr(t, err, "fail a0")
		next := claim(t, s, t0.Add(time.Minute), 10)
		equal(t, len(next), 1, "a failed message does not block the next")
		equal(t, next[0].Message.ID, a[1].ID, "a1")
		_, err = s.CompleteOutbound(ctx(t), a[1].ID, next[0].Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SMa1", Status: store.DeliveryQueued, At: t0})
		noErr(t, err, "send a1")
		last := claim(t, s, t0.Add(time.Minute), 10)
		equal(t, len(last), 1, "a2 after a1 was sent")
		equal(t, last[0].Message.ID, a[2].ID, "a2")
	}},
	{"claim takes due messages, oldest first, up to the limit, with contact and sender", func(t *testing.T, s store.Store) {
		res, msgs := queueN(t, s, 3)
		cs := claim(t, s, t0.Add(1*time.Second), 10)
		equal(t, len(cs), 2, "due at +1s")
		equal(t, cs[0].Message.ID, msgs[0].ID, "oldest first")
		equal(t, cs[1].Message.ID, msgs[1].ID, "then")
		equal(t, cs[0].Message.Status, store.DeliverySending, "Status")
		equal(t, cs[0].Contact.ID, res.Contact.ID, "Contact")
		equal(t, cs[0].Contact.Phone, "+14155550100", "Contact.Phone")
		sameTime(t, cs[0].Contact.LastInboundAt, t0, "Contact.LastInboundAt")
		equal(t, cs[0].Sender, "+14155238886", "Sender")
		if cs[0].Lease == "" || cs[0].Lease == cs[1].Lease {
			t.Fatal("each claim needs its own lease token")
		}
		equal(t, len(claim(t, s, t0.Add(time.Hour), 1)), 1, "limit")
	}},
	{"a leased message is not claimed again until its lease expires", func(t *testing.T, s store.Store) {
		_, msgs := queueN(t, s, 1)
		first := claim(t, s, t0, 10)
		equal(t, len(first), 1, "first claim")
		equal(t, len(claim(t, s, t0.Add(59*time.Second), 10)), 0, "while leased")
		again := claim(t, s, t0.Add(time.Minute), 10)
		equal(t, len(again), 1, "after expiry")
		equal(t, again[0].Message.ID, msgs[0].ID, "same message")
		_, err := s.CompleteOutbound(ctx(t), msgs[0].ID, first[0].Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SM1", At: t0})
		wantErr(t, err, store.ErrLeaseLost, "completing with the expired lease")
		m, err := s.CompleteOutbound(ctx(t), msgs[0].ID, again[0].Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SM1", Status: store.DeliveryQueued, At: t0})
		noErr(t, err, "completing with the live lease")
		equal(t, m.SID, "SM1", "SID")
	}},
	{"sent records SID and status; the message is not claimed again", func(t *testing.T, s store.Store) {
		_, msgs := queueN(t, s, 1)
		c := claim(t, s, t0, 10)[0]
		m, err := s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SMx", Status: store.DeliveryQueued, At: t0.Add(time.Second)})
		noErr(t, err, "CompleteOutbound")
		equal(t, m.Status, store.DeliveryQueued, "Status")
		equal(t, m.Attempts, 1, "Attempts")
		equal(t, m.SID, "SMx", "SID")
		equal(t, len(claim(t, s, t0.Add(time.Hour), 10)), 0, "claimed again")
		got, err := outboundByKey(t, s, msgs[0].Key)
		noErr(t, err, "OutboundByKey")
		equal(t, got.SID, "SMx", "stored SID")
		_, err = s.CompleteOutbound(ctx(t), "no-such-message", c.Lease, store.SendResult{Outcome: store.OutcomeSent})
		wantErr(t, err, store.ErrNotFound, "unknown message")
	}},
	{"retry puts the message back, due at NextAttemptAt", func(t *testing.T, s store.Store) {
		queueN(t, s, 1)
		c := claim(t, s, t0, 10)[0]
		m, err := s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeRetry,
			NextAttemptAt: t0.Add(10 * time.Second), ErrorCode: 20429, Error: "Too Many Requests", At: t0})
		noErr(t, err, "CompleteOutbound")
		equal(t, m.Status, store.DeliveryPending, "Status")
		equal(t, m.Attempts, 1, "Attempts")
		equal(t, m.ErrorCode, 20429, "ErrorCode")
		equal(t, len(claim(t, s, t0.Add(9*time.Second), 10)), 0, "before NextAttemptAt")
		again := claim(t, s, t0.Add(10*time.Second), 10)
		equal(t, len(again), 1, "at NextAttemptAt")
		equal(t, again[0].Message.Attempts, 1, "Attempts kept")
	}},
	{"failed is final and keeps the error", func(t *testing.T, s store.Store) {
		queueN(t, s, 1)
		c := claim(t, s, t0, 10)[0]
		m, err := s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeFailed, ErrorCode: 21211, Error: "invalid To", At: t0})
		noErr(t, err, "CompleteOutbound")
		equal(t, m.Status, store.DeliveryFailed, "Status")
		equal(t, m.ErrorCode, 21211, "ErrorCode")
		equal(t, m.Error, "invalid To", "Error")
		equal(t, len(claim(t, s, t0.Add(time.Hour), 10)), 0, "claimed again")
	}},
	{"status callbacks only move forward", func(t *testing.T, s store.Store) {
		queueN(t, s, 1)
		c := claim(t, s, t0, 10)[0]
		_, err := s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SMa", Status: store.DeliveryQueued, At: t0})
		noErr(t, err, "CompleteOutbound")
		steps := []struct {
			status  store.DeliveryStatus
			code    int
			want    store.DeliveryStatus
			changed bool
		}{
			{store.DeliveryRead, 0, store.DeliveryRead, true},
			{store.DeliveryDelivered, 0, store.DeliveryRead, false},
			{store.DeliverySent, 0, store.DeliveryRead, false},
			{store.DeliveryFailed, 30008, store.DeliveryRead, false},
		}
		for i, st := range steps {
			m, changed, err := s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMa", Status: st.status, ErrorCode: st.code, At: t0.Add(time.Duration(i) * time.Second)})
			noErr(t, err, "ApplyStatus")
			equal(t, m.Status, st.want, fmt.Sprintf("step %d status", i))
			equal(t, changed, st.changed, fmt.Sprintf("step %d changed", i))
		}
		_, _, err = s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMunknown", Status: store.DeliveryDelivered, At: t0})
		wantErr(t, err, store.ErrNotFound, "unknown SID")
		_, _, err = s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch2", SID: "SMa", Status: store.DeliveryDelivered, At: t0})
		wantErr(t, err, store.ErrNotFound, "SID of another channel")
	}},
	{"failure before delivery is terminal and records the code", func(t *testing.T, s store.Store) {
		queueN(t, s, 1)
		c := claim(t, s, t0, 10)[0]
		_, err := s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SMb", Status: store.DeliveryQueued, At: t0})
		noErr(t, err, "CompleteOutbound")
		m, changed, err := s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMb", Status: store.DeliveryUndelivered, ErrorCode: 63016, ErrorMessage: "outside window", At: t0})
		noErr(t, err, "ApplyStatus")
		equal(t, changed, true, "changed")
		equal(t, m.Status, store.DeliveryUndelivered, "Status")
		equal(t, m.ErrorCode, 63016, "ErrorCode")
		m, changed, err = s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMb", Status: store.DeliveryDelivered, At: t0})
		noErr(t, err, "ApplyStatus")
		equal(t, changed, false, "after a terminal failure")
		equal(t, m.Status, store.DeliveryUndelivered, "Status kept")
	}},
	{"a callback that beats the send result is matched by message ID", func(t *testing.T, s store.Store) {
		queueN(t, s, 1)
		c := claim(t, s, t0, 10)[0]
		m, changed, err := s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", MessageID: c.Message.ID, SID: "SMc", Status: store.DeliverySent, At: t0})
		noErr(t, err, "ApplyStatus")
		equal(t, changed, true, "changed")
		equal(t, m.SID, "SMc", "SID recorded from the callback")
		equal(t, m.Status, store.DeliverySent, "Status")
		m, err = s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SMc", Status: store.DeliveryQueued, At: t0})
		noErr(t, err, "late CompleteOutbound")
		equal(t, m.Status, store.DeliverySent, "the late send result does not move the status back")
		m, _, err = s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMc", Status: store.DeliveryDelivered, At: t0})
		noErr(t, err, "ApplyStatus by SID")
		equal(t, m.Status, store.DeliveryDelivered, "found by SID afterwards")
		equal(t, len(claim(t, s, t0.Add(time.Hour), 10)), 0, "nothing to resend")
	}},
	{"a callback for an unsent message whose sender died prevents a resend", func(t *testing.T, s store.Store) {
		queueN(t, s, 1)
		c := claim(t, s, t0, 10)[0]
		_, _, err := s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", MessageID: c.Message.ID, SID: "SMd", Status: store.DeliveryQueued, At: t0})
		noErr(t, err, "ApplyStatus")
		equal(t, len(claim(t, s, t0.Add(time.Hour), 10)), 0, "reclaimed after the lease although Twilio has it")
	}},
	{"canceled applies only up to queued", func(t *testing.T, s store.Store) {
		queueN(t, s, 2)
		cs := claim(t, s, t0.Add(time.Hour), 10)
		for i, c := range cs {
			_, err := s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeSent, SID: fmt.Sprintf("SMe%d", i), Status: store.DeliveryScheduled, At: t0})
			noErr(t, err, "CompleteOutbound")
		}
		m, _, err := s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMe0", Status: store.DeliveryCanceled, At: t0})
		noErr(t, err, "cancel")
		equal(t, m.Status, store.DeliveryCanceled, "scheduled -> canceled")
		_, _, err = s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMe1", Status: store.DeliverySent, At: t0})
		noErr(t, err, "sent")
		m, _, err = s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMe1", Status: store.DeliveryCanceled, At: t0})
		noErr(t, err, "cancel after sent")
		equal(t, m.Status, store.DeliverySent, "sent is past canceling")
	}},
	{"a 63016 callback closes the contact's window", func(t *testing.T, s store.Store) {
		res, _ := queueN(t, s, 1)
		c := claim(t, s, t0, 10)[0]
		_, err := s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeSent, SID: "SMf", Status: store.DeliveryQueued, At: t0})
		noErr(t, err, "CompleteOutbound")
		_, _, err = s.ApplyStatus(ctx(t), store.StatusUpdate{ChannelID: "ch1", SID: "SMf", Status: store.DeliveryFailed, ErrorCode: 63016, CloseWindow: true, At: t0.Add(time.Minute)})
		noErr(t, err, "ApplyStatus")
		k, err := s.Contact(ctx(t), res.Contact.ID)
		noErr(t, err, "Contact")
		sameTime(t, k.WindowClosedAt, t0.Add(time.Minute), "WindowClosedAt")
		equal(t, k.WindowOpen(t0.Add(2*time.Minute), 0), false, "window closed")
		res = mustRecord(t, s, inbound("ch1", "+14155550100", 2, t0.Add(3*time.Minute)))
		equal(t, res.Contact.WindowOpen(t0.Add(4*time.Minute), 0), true, "a new inbound message reopens it")
	}},
	{"queuing an agent reply stamps the conversation", func(t *testing.T, s store.Store) {
		res, _ := queueN(t, s, 0)
		_, _, err := s.Enqueue(ctx(t), store.Message{ConversationID: res.Conversation.ID, Kind: store.KindGreeting, Key: "g"}, t0.Add(time.Minute))
		noErr(t, err, "Enqueue greeting")
		c, err := s.Conversation(ctx(t), res.Conversation.ID)
		noErr(t, err, "Conversation")
		equal(t, c.LastAgentReplyAt.IsZero(), true, "automatic messages do not count")
		_, _, err = s.Enqueue(ctx(t), store.Message{ConversationID: res.Conversation.ID, Kind: store.KindReply, Key: "r", AuthorID: "a1"}, t0.Add(2*time.Minute))
		noErr(t, err, "Enqueue reply")
		c, err = s.Conversation(ctx(t), res.Conversation.ID)
		noErr(t, err, "Conversation")
		sameTime(t, c.LastAgentReplyAt, t0.Add(2*time.Minute), "LastAgentReplyAt")
	}},
	{"20 workers claiming 200 messages claim each exactly once", func(t *testing.T, s store.Store) {
		queueN(t, s, 200)
		var mu sync.Mutex
		seen := map[string]int{}
		parallel(t, 20, func(int) error {
			for {
				cs, err := s.ClaimOutbound(ctx(t), t0.Add(time.Hour), time.Minute, 7)
				if err != nil {
					return err
				}
				if len(cs) == 0 {
					return nil
				}
				mu.Lock()
				for _, c := range cs {
					seen[c.Message.ID]++
				}
				mu.Unlock()
			}
		})
		equal(t, len(seen), 200, "claimed messages")
		for id, n := range seen {
			equal(t, n, 1, "claims of "+id)
		}
	}},
}
