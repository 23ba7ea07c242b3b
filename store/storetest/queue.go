package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

func mustAssignAI(t *testing.T, s store.Store, conversationID, aiAgentID string, at time.Time) store.Conversation {
	t.Helper()
	c, err := s.AssignAI(ctx(t), conversationID, aiAgentID, at)
	noErr(t, err, "AssignAI")
	return c
}

func mustQueue(t *testing.T, s store.Store, conversationID, target string, at time.Time) store.Conversation {
	t.Helper()
	c, err := s.Queue(ctx(t), conversationID, target, at)
	noErr(t, err, "Queue")
	return c
}

// queuedIDs returns the IDs QueuedConversations returns.
func queuedIDs(t *testing.T, s store.Store, limit int) []string {
	t.Helper()
	cs, err := s.QueuedConversations(ctx(t), limit)
	noErr(t, err, "QueuedConversations")
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

func sameIDs(t *testing.T, got, want []string, what string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d IDs %v, want %d %v", what, len(got), got, len(want), want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
	}
}

var queueCases = []testCase{
	{"assign AI gives an unowned conversation to the AI agent and takes it off the queue", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		mustQueue(t, s, res.Conversation.ID, "", t0.Add(time.Minute))
		got := mustAssignAI(t, s, res.Conversation.ID, "bot", t0.Add(2*time.Minute))
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AIAgentID, "bot", "AIAgentID")
			equal(t, c.QueuedAt.IsZero(), true, "QueuedAt cleared")
		}
		sameIDs(t, queuedIDs(t, s, 100), nil, "queue")
		_, err := s.AssignAI(ctx(t), res.Conversation.ID, "other-bot", t0)
		wantErr(t, err, store.ErrAssigned, "second AssignAI")
		equal(t, mustConversation(t, s, res.Conversation.ID).AIAgentID, "bot", "first AI agent kept")
	}},
	{"assign AI to a human-owned or resolved conversation is ErrAssigned; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		owned := newConversation(t, s, 1)
		mustClaim(t, s, owned.Conversation.ID, "a1", t0)
		_, err := s.AssignAI(ctx(t), owned.Conversation.ID, "bot", t0)
		wantErr(t, err, store.ErrAssigned, "human-owned")
		resolved := newConversation(t, s, 2)
		_, _, err = s.Resolve(ctx(t), store.ResolveRequest{ConversationID: resolved.Conversation.ID, At: t0.Add(time.Minute)})
		noErr(t, err, "Resolve")
		_, err = s.AssignAI(ctx(t), resolved.Conversation.ID, "bot", t0)
		wantErr(t, err, store.ErrAssigned, "resolved")
		_, err = s.AssignAI(ctx(t), "nope", "bot", t0)
		wantErr(t, err, store.ErrNotFound, "unknown")
		equal(t, mustConversation(t, s, owned.Conversation.ID).AIAgentID, "", "AIAgentID")
	}},
	{"handoff takes the conversation from the AI, queues it for the target and keeps AI away", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		mustAssignAI(t, s, res.Conversation.ID, "bot", t0)
		at := t0.Add(time.Minute)
		got, err := s.HandOff(ctx(t), res.Conversation.ID, "team:billing", at)
		noErr(t, err, "HandOff")
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AIAgentID, "", "AIAgentID cleared")
			equal(t, c.AIHandedOff, true, "AIHandedOff")
			sameTime(t, c.QueuedAt, at, "QueuedAt")
			equal(t, c.QueueTarget, "team:billing", "QueueTarget")
		}
		sameIDs(t, queuedIDs(t, s, 100), []string{res.Conversation.ID}, "queue")
		_, err = s.AssignAI(ctx(t), res.Conversation.ID, "bot", t0.Add(2*time.Minute))
		wantErr(t, err, store.ErrAssigned, "AssignAI after a handoff")
		mustClaim(t, s, res.Conversation.ID, "a1", t0.Add(2*time.Minute))
	}},
	{"handoff without an AI owner is a no-op; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		free := newConversation(t, s, 1)
		got, err := s.HandOff(ctx(t), free.Conversation.ID, "team:x", t0.Add(time.Minute))
		noErr(t, err, "HandOff unowned")
		equal(t, got.ID, free.Conversation.ID, "returns the conversation")
		equal(t, got.AIHandedOff, false, "AIHandedOff")
		equal(t, got.QueuedAt.IsZero(), true, "not queued")
		owned := newConversation(t, s, 2)
		mustClaim(t, s, owned.Conversation.ID, "a1", t0)
		got, err = s.HandOff(ctx(t), owned.Conversation.ID, "team:x", t0.Add(time.Minute))
		noErr(t, err, "HandOff human-owned")
		equal(t, got.AssigneeID, "a1", "human owner kept")
		equal(t, got.QueuedAt.IsZero(), true, "not queued")
		_, err = s.HandOff(ctx(t), "nope", "", t0)
		wantErr(t, err, store.ErrNotFound, "unknown")
		mustAssignAI(t, s, free.Conversation.ID, "bot", t0.Add(2*time.Minute))
	}},
	{"unassign frees the agent and queues the conversation, keeping its target", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 1)
		mustCreateAgent(t, s, "a2", 1)
		res := newConversation(t, s, 1)
		mustQueue(t, s, res.Conversation.ID, "team:support", t0)
		mustClaim(t, s, res.Conversation.ID, "a1", t0.Add(time.Minute))
		at := t0.Add(2 * time.Minute)
		got, err := s.Unassign(ctx(t), res.Conversation.ID, at)
		noErr(t, err, "Unassign")
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AssigneeID, "", "AssigneeID")
			sameTime(t, c.QueuedAt, at, "QueuedAt")
			equal(t, c.QueueTarget, "team:support", "QueueTarget kept")
		}
		equal(t, mustAgent(t, s, "a1").Open, 0, "Open")
		sameIDs(t, queuedIDs(t, s, 100), []string{res.Conversation.ID}, "queue")
		k, err := s.Contact(ctx(t), res.Contact.ID)
		noErr(t, err, "Contact")
		equal(t, k.LastAgentID, "a1", "LastAgentID kept for sticky assignment")
		mustClaim(t, s, res.Conversation.ID, "a2", t0.Add(3*time.Minute))
		mustClaim(t, s, newConversation(t, s, 2).Conversation.ID, "a1", t0.Add(3*time.Minute))
	}},
	{"unassign without a human owner is a no-op; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		free := newConversation(t, s, 1)
		got, err := s.Unassign(ctx(t), free.Conversation.ID, t0.Add(time.Minute))
		noErr(t, err, "Unassign unowned")
		equal(t, got.QueuedAt.IsZero(), true, "not queued")
		ai := newConversation(t, s, 2)
		mustAssignAI(t, s, ai.Conversation.ID, "bot", t0)
		got, err = s.Unassign(ctx(t), ai.Conversation.ID, t0.Add(time.Minute))
		noErr(t, err, "Unassign AI-owned")
		equal(t, got.AIAgentID, "bot", "the AI agent is not a human owner")
		equal(t, got.QueuedAt.IsZero(), true, "not queued")
		_, err = s.Unassign(ctx(t), "nope", t0)
		wantErr(t, err, store.ErrNotFound, "unknown")
	}},
	{"queue keeps the first QueuedAt and takes the latest target; owned or resolved is ErrAssigned", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		mustQueue(t, s, res.Conversation.ID, "", t0.Add(time.Minute))
		got := mustQueue(t, s, res.Conversation.ID, "agent:a1", t0.Add(2*time.Minute))
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			sameTime(t, c.QueuedAt, t0.Add(time.Minute), "QueuedAt kept")
			equal(t, c.QueueTarget, "agent:a1", "QueueTarget")
		}
		owned := newConversation(t, s, 2)
		mustClaim(t, s, owned.Conversation.ID, "a1", t0)
		_, err := s.Queue(ctx(t), owned.Conversation.ID, "", t0)
		wantErr(t, err, store.ErrAssigned, "human-owned")
		ai := newConversation(t, s, 3)
		mustAssignAI(t, s, ai.Conversation.ID, "bot", t0)
		_, err = s.Queue(ctx(t), ai.Conversation.ID, "", t0)
		wantErr(t, err, store.ErrAssigned, "AI-owned")
		resolved := newConversation(t, s, 4)
		_, _, err = s.Resolve(ctx(t), store.ResolveRequest{ConversationID: resolved.Conversation.ID, At: t0.Add(time.Minute)})
		noErr(t, err, "Resolve")
		_, err = s.Queue(ctx(t), resolved.Conversation.ID, "", t0)
		wantErr(t, err, store.ErrAssigned, "resolved")
		_, err = s.Queue(ctx(t), "nope", "", t0)
		wantErr(t, err, store.ErrNotFound, "unknown")
		sameIDs(t, queuedIDs(t, s, 100), []string{res.Conversation.ID}, "queue")
	}},
	{"queued conversations are open, unowned and queued, oldest QueuedAt first, up to the limit", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 0)
		var ids []string
		for i := range 7 {
			ids = append(ids, newConversation(t, s, i+1).Conversation.ID)
		}
		mustQueue(t, s, ids[2], "", t0.Add(time.Hour))
		mustQueue(t, s, ids[0], "team:x", t0.Add(2*time.Hour))
		mustQueue(t, s, ids[1], "", t0.Add(time.Hour)) // ties with ids[2], created before it
		// ids[3] is never queued.
		mustQueue(t, s, ids[4], "", t0)
		mustClaim(t, s, ids[4], "a1", t0.Add(time.Minute))
		mustQueue(t, s, ids[5], "", t0)
		mustAssignAI(t, s, ids[5], "bot", t0.Add(time.Minute))
		mustQueue(t, s, ids[6], "", t0)
		_, _, err := s.Resolve(ctx(t), store.ResolveRequest{ConversationID: ids[6], At: t0.Add(time.Minute)})
		noErr(t, err, "Resolve")
		sameIDs(t, queuedIDs(t, s, 100), []string{ids[1], ids[2], ids[0]}, "queue")
		sameIDs(t, queuedIDs(t, s, 2), []string{ids[1], ids[2]}, "limit")
		cs, err := s.QueuedConversations(ctx(t), 10)
		noErr(t, err, "QueuedConversations")
		equal(t, cs[2].QueueTarget, "team:x", "QueueTarget")
		sameTime(t, cs[2].QueuedAt, t0.Add(2*time.Hour), "QueuedAt")
	}},
	{"requeue agent unassigns each of its open conversations", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 0)
		mustCreateAgent(t, s, "a2", 0)
		c1 := mustClaim(t, s, newConversation(t, s, 1).Conversation.ID, "a1", t0)
		c2 := mustClaim(t, s, newConversation(t, s, 2).Conversation.ID, "a1", t0)
		c3 := mustClaim(t, s, newConversation(t, s, 3).Conversation.ID, "a2", t0)
		c4 := mustClaim(t, s, newConversation(t, s, 4).Conversation.ID, "a1", t0)
		_, _, err := s.Resolve(ctx(t), store.ResolveRequest{ConversationID: c4.ID, At: t0.Add(time.Minute)})
		noErr(t, err, "Resolve")
		at := t0.Add(time.Hour)
		got, err := s.RequeueAgent(ctx(t), "a1", at)
		noErr(t, err, "RequeueAgent")
		ids := make([]string, len(got))
		for i, c := range got {
			ids[i] = c.ID
			equal(t, c.AssigneeID, "", "AssigneeID")
			sameTime(t, c.QueuedAt, at, "QueuedAt")
		}
		if len(ids) != 2 || !(ids[0] == c1.ID && ids[1] == c2.ID || ids[0] == c2.ID && ids[1] == c1.ID) {
			t.Fatalf("requeued %v, want c1 and c2", ids)
		}
		equal(t, mustAgent(t, s, "a1").Open, 0, "a1 Open")
		equal(t, mustAgent(t, s, "a2").Open, 1, "a2 Open")
		equal(t, mustConversation(t, s, c3.ID).AssigneeID, "a2", "another agent's conversation")
		equal(t, mustConversation(t, s, c4.ID).AssigneeID, "a1", "a resolved conversation keeps its history")
		sameIDs(t, queuedIDs(t, s, 100), []string{c1.ID, c2.ID}, "queue")
		again, err := s.RequeueAgent(ctx(t), "a1", at)
		noErr(t, err, "second RequeueAgent")
		equal(t, len(again), 0, "nothing left")
	}},
}
