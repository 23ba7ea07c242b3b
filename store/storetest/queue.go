package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

func mustAssignAI(t *testing.T, s store.Store, conversationID, aiAgentID string, at time.Time) store.Conversation {
	t.Helper()
	c, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: conversationID, To: store.Owner{AIAgentID: aiAgentID}, At: at})
	noErr(t, err, "AssignAI")
	return c
}

func mustQueue(t *testing.T, s store.Store, conversationID string, target routing.Target, at time.Time) store.Conversation {
	t.Helper()
	c, err := queueConv(t, s, conversationID, target, at)
	noErr(t, err, "Queue")
	return c
}

// queueConv queues an unowned conversation for target.
func queueConv(t *testing.T, s store.Store, conversationID string, target routing.Target, at time.Time) (store.Conversation, error) {
	t.Helper()
	return s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: conversationID, Queue: target, At: at})
}

// handOff takes a conversation from the AI agent "bot" and queues it for
// target.
func handOff(t *testing.T, s store.Store, conversationID string, target routing.Target, at time.Time) (store.Conversation, error) {
	t.Helper()
	return s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: conversationID, From: store.Owner{AIAgentID: "bot"}, Queue: target, At: at})
}

// unassign takes a conversation from the human agent that owns it now and
// queues it for the target it had.
func unassign(t *testing.T, s store.Store, conversationID string, at time.Time) (store.Conversation, error) {
	t.Helper()
	conv := mustConversation(t, s, conversationID)
	return s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: conversationID, From: conv.Owner(), Queue: conv.QueueTarget, At: at})
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
		mustQueue(t, s, res.Conversation.ID, routing.Target{}, t0.Add(time.Minute))
		got := mustAssignAI(t, s, res.Conversation.ID, "bot", t0.Add(2*time.Minute))
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AIAgentID, "bot", "AIAgentID")
			equal(t, c.QueuedAt.IsZero(), true, "QueuedAt cleared")
		}
		sameIDs(t, queuedIDs(t, s, 100), nil, "queue")
		_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AIAgentID: "other-bot"}, At: t0})
		wantErr(t, err, store.ErrAssigned, "second AssignAI")
		equal(t, mustConversation(t, s, res.Conversation.ID).AIAgentID, "bot", "first AI agent kept")
	}},
	{"assign AI to a human-owned conversation is ErrAssigned, to a resolved one ErrNotOpen; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		owned := newConversation(t, s, 1)
		mustClaim(t, s, owned.Conversation.ID, "a1", t0)
		_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: owned.Conversation.ID, To: store.Owner{AIAgentID: "bot"}, At: t0})
		wantErr(t, err, store.ErrAssigned, "human-owned")
		resolved := newConversation(t, s, 2)
		_, _, err = s.Resolve(ctx(t), store.ResolveRequest{ConversationID: resolved.Conversation.ID, At: t0.Add(time.Minute)})
		noErr(t, err, "Resolve")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: resolved.Conversation.ID, To: store.Owner{AIAgentID: "bot"}, At: t0})
		wantErr(t, err, store.ErrNotOpen, "resolved")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: "nope", To: store.Owner{AIAgentID: "bot"}, At: t0})
		wantErr(t, err, store.ErrNotFound, "unknown")
		equal(t, mustConversation(t, s, owned.Conversation.ID).AIAgentID, "", "AIAgentID")
	}},
	{"handoff takes the conversation from the AI, queues it for the target and keeps AI away", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		mustAssignAI(t, s, res.Conversation.ID, "bot", t0)
		at := t0.Add(time.Minute)
		got, err := handOff(t, s, res.Conversation.ID, routing.Target{Team: "billing"}, at)
		noErr(t, err, "HandOff")
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AIAgentID, "", "AIAgentID cleared")
			equal(t, c.AIHandedOff, true, "AIHandedOff")
			sameTime(t, c.QueuedAt, at, "QueuedAt")
			equal(t, c.QueueTarget, routing.Target{Team: "billing"}, "QueueTarget")
		}
		sameIDs(t, queuedIDs(t, s, 100), []string{res.Conversation.ID}, "queue")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AIAgentID: "bot"}, At: t0.Add(2 * time.Minute)})
		wantErr(t, err, store.ErrAssigned, "AssignAI after a handoff")
		mustClaim(t, s, res.Conversation.ID, "a1", t0.Add(2*time.Minute))
	}},
	{"handoff from an AI agent that does not own the conversation is ErrAssigned and changes nothing; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		free := newConversation(t, s, 1)
		_, err := handOff(t, s, free.Conversation.ID, routing.Target{Team: "x"}, t0.Add(time.Minute))
		wantErr(t, err, store.ErrAssigned, "HandOff unowned")
		got := mustConversation(t, s, free.Conversation.ID)
		equal(t, got.AIHandedOff, false, "AIHandedOff")
		equal(t, got.QueuedAt.IsZero(), true, "not queued")
		owned := newConversation(t, s, 2)
		mustClaim(t, s, owned.Conversation.ID, "a1", t0)
		_, err = handOff(t, s, owned.Conversation.ID, routing.Target{Team: "x"}, t0.Add(time.Minute))
		wantErr(t, err, store.ErrAssigned, "HandOff human-owned")
		got = mustConversation(t, s, owned.Conversation.ID)
		equal(t, got.AssigneeID, "a1", "human owner kept")
		equal(t, got.QueuedAt.IsZero(), true, "not queued")
		equal(t, mustAgent(t, s, "a1").Open, 1, "Open")
		_, err = handOff(t, s, "nope", routing.Target{}, t0)
		wantErr(t, err, store.ErrNotFound, "unknown")
		mustAssignAI(t, s, free.Conversation.ID, "bot", t0.Add(2*time.Minute))
	}},
	{"unassign frees the agent and queues the conversation, keeping its target", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 1)
		mustCreateAgent(t, s, "a2", 1)
		res := newConversation(t, s, 1)
		mustQueue(t, s, res.Conversation.ID, routing.Target{Team: "support"}, t0)
		mustClaim(t, s, res.Conversation.ID, "a1", t0.Add(time.Minute))
		at := t0.Add(2 * time.Minute)
		got, err := unassign(t, s, res.Conversation.ID, at)
		noErr(t, err, "Unassign")
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AssigneeID, "", "AssigneeID")
			sameTime(t, c.QueuedAt, at, "QueuedAt")
			equal(t, c.QueueTarget, routing.Target{Team: "support"}, "QueueTarget kept")
		}
		equal(t, mustAgent(t, s, "a1").Open, 0, "Open")
		sameIDs(t, queuedIDs(t, s, 100), []string{res.Conversation.ID}, "queue")
		k, err := s.Contact(ctx(t), res.Contact.ID)
		noErr(t, err, "Contact")
		equal(t, k.LastAgentID, "a1", "LastAgentID kept for sticky assignment")
		mustClaim(t, s, res.Conversation.ID, "a2", t0.Add(3*time.Minute))
		mustClaim(t, s, newConversation(t, s, 2).Conversation.ID, "a1", t0.Add(3*time.Minute))
	}},
	{"unassign by an agent that does not own the conversation is ErrAssigned and changes nothing; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		mustCreateAgent(t, s, "a2", 3)
		free := newConversation(t, s, 1)
		_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: free.Conversation.ID, From: store.Owner{AgentID: "a1"}, At: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrAssigned, "Unassign unowned")
		equal(t, mustConversation(t, s, free.Conversation.ID).QueuedAt.IsZero(), true, "not queued")
		other := newConversation(t, s, 3)
		mustClaim(t, s, other.Conversation.ID, "a2", t0)
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: other.Conversation.ID, From: store.Owner{AgentID: "a1"}, At: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrAssigned, "Unassign another agent's")
		equal(t, mustConversation(t, s, other.Conversation.ID).AssigneeID, "a2", "owner kept")
		equal(t, mustAgent(t, s, "a1").Open, 0, "a1 Open")
		equal(t, mustAgent(t, s, "a2").Open, 1, "a2 Open")
		ai := newConversation(t, s, 2)
		mustAssignAI(t, s, ai.Conversation.ID, "bot", t0)
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: ai.Conversation.ID, From: store.Owner{AgentID: "a1"}, At: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrAssigned, "Unassign AI-owned")
		got := mustConversation(t, s, ai.Conversation.ID)
		equal(t, got.AIAgentID, "bot", "the AI agent keeps it")
		equal(t, got.QueuedAt.IsZero(), true, "not queued")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: "nope", From: store.Owner{AgentID: "a1"}, At: t0})
		wantErr(t, err, store.ErrNotFound, "unknown")
	}},
	{"queue keeps the first QueuedAt and takes the latest target; owned or resolved is ErrAssigned", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		mustQueue(t, s, res.Conversation.ID, routing.Target{}, t0.Add(time.Minute))
		got := mustQueue(t, s, res.Conversation.ID, routing.Target{Agent: "a1"}, t0.Add(2*time.Minute))
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			sameTime(t, c.QueuedAt, t0.Add(time.Minute), "QueuedAt kept")
			equal(t, c.QueueTarget, routing.Target{Agent: "a1"}, "QueueTarget")
		}
		owned := newConversation(t, s, 2)
		mustClaim(t, s, owned.Conversation.ID, "a1", t0)
		_, err := queueConv(t, s, owned.Conversation.ID, routing.Target{}, t0)
		wantErr(t, err, store.ErrAssigned, "human-owned")
		ai := newConversation(t, s, 3)
		mustAssignAI(t, s, ai.Conversation.ID, "bot", t0)
		_, err = queueConv(t, s, ai.Conversation.ID, routing.Target{}, t0)
		wantErr(t, err, store.ErrAssigned, "AI-owned")
		resolved := newConversation(t, s, 4)
		_, _, err = s.Resolve(ctx(t), store.ResolveRequest{ConversationID: resolved.Conversation.ID, At: t0.Add(time.Minute)})
		noErr(t, err, "Resolve")
		_, err = queueConv(t, s, resolved.Conversation.ID, routing.Target{}, t0)
		wantErr(t, err, store.ErrNotOpen, "resolved")
		_, err = queueConv(t, s, "nope", routing.Target{}, t0)
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
		mustQueue(t, s, ids[2], routing.Target{}, t0.Add(time.Hour))
		mustQueue(t, s, ids[0], routing.Target{Team: "x"}, t0.Add(2*time.Hour))
		mustQueue(t, s, ids[1], routing.Target{}, t0.Add(time.Hour)) // ties with ids[2], created before it
		// ids[3] is never queued.
		mustQueue(t, s, ids[4], routing.Target{}, t0)
		mustClaim(t, s, ids[4], "a1", t0.Add(time.Minute))
		mustQueue(t, s, ids[5], routing.Target{}, t0)
		mustAssignAI(t, s, ids[5], "bot", t0.Add(time.Minute))
		mustQueue(t, s, ids[6], routing.Target{}, t0)
		_, _, err := s.Resolve(ctx(t), store.ResolveRequest{ConversationID: ids[6], At: t0.Add(time.Minute)})
		noErr(t, err, "Resolve")
		sameIDs(t, queuedIDs(t, s, 100), []string{ids[1], ids[2], ids[0]}, "queue")
		sameIDs(t, queuedIDs(t, s, 2), []string{ids[1], ids[2]}, "limit")
		cs, err := s.QueuedConversations(ctx(t), 10)
		noErr(t, err, "QueuedConversations")
		equal(t, cs[2].QueueTarget, routing.Target{Team: "x"}, "QueueTarget")
		sameTime(t, cs[2].QueuedAt, t0.Add(2*time.Hour), "QueuedAt")
	}},
}
