package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

func healthOf(t *testing.T, s store.Store) store.Health {
	t.Helper()
	h, ok := s.(store.Health)
	if !ok {
		t.Skip("the store does not implement the optional store.Health")
	}
	return h
}

func backlog(t *testing.T, h store.Health, since time.Time) store.Backlog {
	t.Helper()
	b, err := h.Backlog(ctx(t), since)
	noErr(t, err, "Backlog")
	return b
}

var healthCases = []testCase{
	{"an empty store has no backlog and no heartbeat", func(t *testing.T, s store.Store) {
		b := backlog(t, healthOf(t, s), t0)
		equal(t, b, store.Backlog{}, "backlog")
	}},
	{"backlog counts pending, failed, unprocessed and queued, with the oldest of each", func(t *testing.T, s store.Store) {
		h := healthOf(t, s)
		mustCreateChannel(t, s, "ch1")
		var convs []store.InboundResult
		for i := range 4 {
			convs = append(convs, mustRecord(t, s, inbound("ch1", contactPhone(i), i, t0)))
		}
		// One reply each in conversations 0-2, queued at t0+3s, +1s, +2s.
		var out []store.Message
		for i, at := range []time.Duration{3, 1, 2} {
			m, _, err := s.Enqueue(ctx(t), store.Message{ConversationID: convs[i].Conversation.ID, Kind: store.KindReply,
				Key: fmt.Sprintf("k%d", i), Text: "hi"}, t0.Add(at*time.Second))
			noErr(t, err, "Enqueue")
			out = append(out, m)
		}
		b := backlog(t, h, t0)
		equal(t, b.PendingOutbound, 3, "pending")
		sameTime(t, b.OldestPendingAt, t0.Add(time.Second), "oldest pending")
		equal(t, b.UnprocessedInbound, 4, "unprocessed")
		equal(t, b.FailedOutbound, 0, "failed")

		// The oldest fails at t0+10m; a claimed one still counts as pending.
		cs := claim(t, s, t0.Add(10*time.Minute), 10)
		equal(t, len(cs), 3, "claimed")
		for _, c := range cs {
			if c.Message.ID == out[1].ID {
				_, err := s.CompleteOutbound(ctx(t), c.Message.ID, c.Lease,
					store.SendResult{Outcome: store.OutcomeFailed, ErrorCode: 21211, Error: "invalid To", At: t0.Add(10 * time.Minute)})
				noErr(t, err, "CompleteOutbound")
			}
		}
		b = backlog(t, h, t0)
		equal(t, b.PendingOutbound, 2, "pending after one failed (the others are claimed)")
		sameTime(t, b.OldestPendingAt, t0.Add(2*time.Second), "oldest pending after one failed")
		equal(t, b.FailedOutbound, 1, "failed since t0")
		equal(t, backlog(t, h, t0.Add(10*time.Minute)).FailedOutbound, 1, "failed since the failure itself")
		equal(t, backlog(t, h, t0.Add(11*time.Minute)).FailedOutbound, 0, "failed since after it")

		// Processing an inbound message takes it out of the count.
		_, err := s.FinishInbound(ctx(t), convs[3].Message.ID, nil, t0.Add(time.Minute))
		noErr(t, err, "FinishInbound")
		equal(t, backlog(t, h, t0).UnprocessedInbound, 3, "unprocessed after one was processed")

		// Two conversations wait for an agent; one is then taken by an AI agent.
		mustQueue(t, s, convs[0].Conversation.ID, routing.Target{}, t0.Add(5*time.Second))
		mustQueue(t, s, convs[1].Conversation.ID, routing.Target{}, t0.Add(3*time.Second))
		b = backlog(t, h, t0)
		equal(t, b.QueuedConversations, 2, "queued")
		sameTime(t, b.OldestQueuedAt, t0.Add(3*time.Second), "oldest queued")
		mustAssignAI(t, s, convs[1].Conversation.ID, "bot", t0.Add(6*time.Second))
		b = backlog(t, h, t0)
		equal(t, b.QueuedConversations, 1, "queued after one was taken")
		sameTime(t, b.OldestQueuedAt, t0.Add(5*time.Second), "oldest queued after one was taken")
	}},
	{"the latest heartbeat of any runner is LastRunAt; an earlier one changes nothing", func(t *testing.T, s store.Store) {
		h := healthOf(t, s)
		noErr(t, h.Heartbeat(ctx(t), "desk-a", t0.Add(time.Minute)), "Heartbeat a")
		noErr(t, h.Heartbeat(ctx(t), "desk-b", t0.Add(2*time.Minute)), "Heartbeat b")
		sameTime(t, backlog(t, h, t0).LastRunAt, t0.Add(2*time.Minute), "last run")
		noErr(t, h.Heartbeat(ctx(t), "desk-b", t0.Add(30*time.Second)), "Heartbeat b, earlier")
		sameTime(t, backlog(t, h, t0).LastRunAt, t0.Add(2*time.Minute), "last run after an earlier heartbeat")
		noErr(t, h.Heartbeat(ctx(t), "desk-a", t0.Add(3*time.Minute)), "Heartbeat a, later")
		sameTime(t, backlog(t, h, t0).LastRunAt, t0.Add(3*time.Minute), "last run after a later heartbeat")
	}},
}
