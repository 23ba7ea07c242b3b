package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// claimErr claims and wants err; it then checks that nothing changed: the
// conversation, the agent, the contact and the cursor are as before.
func claimErr(t *testing.T, s store.Store, r store.OwnerChange, target error, what string) {
	t.Helper()
	conv := mustConversation(t, s, r.ConversationID)
	agent := mustAgent(t, s, r.To.AgentID)
	contact, err := s.Contact(ctx(t), conv.ContactID)
	noErr(t, err, "Contact")
	cursor, err := s.Cursor(ctx(t), r.CursorKey)
	noErr(t, err, "Cursor")

	_, err = s.ChangeOwner(ctx(t), r)
	wantErr(t, err, target, what)

	after := mustConversation(t, s, r.ConversationID)
	equal(t, after.AssigneeID, conv.AssigneeID, what+": AssigneeID unchanged")
	equal(t, after.AIAgentID, conv.AIAgentID, what+": AIAgentID unchanged")
	sameTime(t, after.QueuedAt, conv.QueuedAt, what+": QueuedAt unchanged")
	a := mustAgent(t, s, r.To.AgentID)
	equal(t, a.Open, agent.Open, what+": Open unchanged")
	sameTime(t, a.LastAssignedAt, agent.LastAssignedAt, what+": LastAssignedAt unchanged")
	k, err := s.Contact(ctx(t), conv.ContactID)
	noErr(t, err, "Contact")
	equal(t, k.LastAgentID, contact.LastAgentID, what+": LastAgentID unchanged")
	c, err := s.Cursor(ctx(t), r.CursorKey)
	noErr(t, err, "Cursor")
	equal(t, c, cursor, what+": cursor unchanged")
}

var assignCases = []testCase{
	{"claim assigns the conversation and updates the agent, the contact and the cursor", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		_, err := queueConv(t, s, res.Conversation.ID, routing.Target{Team: "support"}, t0.Add(time.Minute))
		noErr(t, err, "Queue")
		at := t0.Add(2 * time.Minute)
		got, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AgentID: "a1"}, At: at, CursorKey: "rr:ch1"})
		noErr(t, err, "ClaimAssignment")
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AssigneeID, "a1", "AssigneeID")
			equal(t, c.QueuedAt.IsZero(), true, "QueuedAt cleared")
			equal(t, c.Status, store.StatusOpen, "Status")
		}
		a := mustAgent(t, s, "a1")
		equal(t, a.Open, 1, "Open")
		sameTime(t, a.LastAssignedAt, at, "LastAssignedAt")
		k, err := s.Contact(ctx(t), res.Contact.ID)
		noErr(t, err, "Contact")
		equal(t, k.LastAgentID, "a1", "LastAgentID")
		cur, err := s.Cursor(ctx(t), "rr:ch1")
		noErr(t, err, "Cursor")
		equal(t, cur, "a1", "cursor")
		other, err := s.Cursor(ctx(t), "rr:other")
		noErr(t, err, "Cursor(other)")
		equal(t, other, "", "cursor under another key")
		queued, err := s.QueuedConversations(ctx(t), 10)
		noErr(t, err, "QueuedConversations")
		equal(t, len(queued), 0, "no longer queued")
		mine, err := s.ListConversations(ctx(t), store.ConversationFilter{AssigneeID: "a1"})
		noErr(t, err, "ListConversations")
		equal(t, len(mine), 1, "listed by assignee")
	}},
	{"the cursor moves with each claim that names it", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 0)
		mustCreateAgent(t, s, "a2", 0)
		for i, agent := range []string{"a1", "a2"} {
			_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: newConversation(t, s, i+1).Conversation.ID, To: store.Owner{AgentID: agent}, At: t0, CursorKey: "rr"})
			noErr(t, err, "ClaimAssignment")
			cur, err := s.Cursor(ctx(t), "rr")
			noErr(t, err, "Cursor")
			equal(t, cur, agent, "cursor")
		}
		mustClaim(t, s, newConversation(t, s, 3).Conversation.ID, "a1", t0)
		cur, err := s.Cursor(ctx(t), "rr")
		noErr(t, err, "Cursor")
		equal(t, cur, "a2", "a claim without the key leaves the cursor")
	}},
	{"an unknown conversation or agent is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: "nope", To: store.Owner{AgentID: "a1"}, At: t0})
		wantErr(t, err, store.ErrNotFound, "unknown conversation")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AgentID: "nope"}, At: t0})
		wantErr(t, err, store.ErrNotFound, "unknown agent")
		equal(t, mustConversation(t, s, res.Conversation.ID).AssigneeID, "", "unassigned")
		equal(t, mustAgent(t, s, "a1").Open, 0, "Open")
	}},
	{"a conversation with a human owner is ErrAssigned and nothing changes", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		mustCreateAgent(t, s, "a2", 3)
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		claimErr(t, s, store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AgentID: "a2"}, At: t0.Add(time.Minute), CursorKey: "rr"}, store.ErrAssigned, "another agent")
		claimErr(t, s, store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AgentID: "a1"}, At: t0.Add(time.Minute)}, store.ErrAssigned, "the same agent")
	}},
	{"an AI-owned conversation is ErrAssigned", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AIAgentID: "bot"}, At: t0})
		noErr(t, err, "AssignAI")
		claimErr(t, s, store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AgentID: "a1"}, At: t0}, store.ErrAssigned, "AI-owned")
	}},
	{"a resolved conversation is ErrNotOpen", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		_, _, err := s.Resolve(ctx(t), store.ResolveRequest{ConversationID: res.Conversation.ID, At: t0.Add(time.Minute)})
		noErr(t, err, "Resolve")
		claimErr(t, s, store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AgentID: "a1"}, At: t0.Add(2 * time.Minute)}, store.ErrNotOpen, "resolved")
	}},
	{"an agent at capacity is ErrAgentFull and nothing changes", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 1)
		mustClaim(t, s, newConversation(t, s, 1).Conversation.ID, "a1", t0)
		second := newConversation(t, s, 2)
		_, err := queueConv(t, s, second.Conversation.ID, routing.Target{}, t0.Add(time.Minute))
		noErr(t, err, "Queue")
		claimErr(t, s, store.OwnerChange{ConversationID: second.Conversation.ID, To: store.Owner{AgentID: "a1"}, At: t0.Add(2 * time.Minute), CursorKey: "rr"}, store.ErrAgentFull, "full")
		claimErr(t, s, store.OwnerChange{ConversationID: second.Conversation.ID, To: store.Owner{AgentID: "a1"}, At: t0.Add(2 * time.Minute), Force: true}, store.ErrAgentFull, "forced: the capacity still holds")
	}},
	{"capacity 0 is unlimited", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 0)
		for i := range 5 {
			mustClaim(t, s, newConversation(t, s, i+1).Conversation.ID, "a1", t0)
		}
		a := mustAgent(t, s, "a1")
		equal(t, a.Open, 5, "Open")
		equal(t, a.Full(), false, "Full")
	}},
	{"an away or offline agent is ErrAgentUnavailable unless forced", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		for i, st := range []store.AgentStatus{store.AgentAway, store.AgentOffline} {
			id := string(st)
			mustCreateAgent(t, s, id, 3)
			_, err := s.SetAgentStatus(ctx(t), id, st, t0)
			noErr(t, err, "SetAgentStatus")
			res := newConversation(t, s, i+1)
			claimErr(t, s, store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AgentID: id}, At: t0, CursorKey: "rr"}, store.ErrAgentUnavailable, id)
			got, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AgentID: id}, At: t0, Force: true})
			noErr(t, err, "forced claim of "+id)
			equal(t, got.AssigneeID, id, "AssigneeID")
			equal(t, mustAgent(t, s, id).Open, 1, "Open")
		}
	}},
}
