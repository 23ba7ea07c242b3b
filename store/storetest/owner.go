package storetest

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// snapshot is what an owner change may touch.
type snapshot struct {
	conv   store.Conversation
	agents map[string]store.Agent
	last   string
}

func snap(t *testing.T, s store.Store, convID string, agents ...string) snapshot {
	t.Helper()
	sn := snapshot{conv: mustConversation(t, s, convID), agents: map[string]store.Agent{}}
	for _, a := range agents {
		sn.agents[a] = mustAgent(t, s, a)
	}
	sn.last = mustContact(t, s, sn.conv.ContactID).LastAgentID
	return sn
}

// unchanged fails unless the conversation, the agents and the contact are
// as in before.
func unchanged(t *testing.T, s store.Store, before snapshot, what string) {
	t.Helper()
	after := snap(t, s, before.conv.ID)
	c, b := after.conv, before.conv
	equal(t, c.Owner(), b.Owner(), what+": owner")
	equal(t, c.AIHandedOff, b.AIHandedOff, what+": AIHandedOff")
	sameTime(t, c.QueuedAt, b.QueuedAt, what+": QueuedAt")
	equal(t, c.QueueTarget, b.QueueTarget, what+": QueueTarget")
	equal(t, c.AITurnMessageID, b.AITurnMessageID, what+": AITurnMessageID")
	sameTime(t, c.UpdatedAt, b.UpdatedAt, what+": UpdatedAt")
	for id, a := range before.agents {
		got := mustAgent(t, s, id)
		equal(t, got.Open, a.Open, what+": "+id+" Open")
		sameTime(t, got.LastAssignedAt, a.LastAssignedAt, what+": "+id+" LastAssignedAt")
	}
	equal(t, after.last, before.last, what+": LastAgentID")
}

var ownerCases = []testCase{
	{"a forced reassignment moves the load from one agent to the other", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		mustCreateAgent(t, s, "a2", 3)
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		_, err := s.SetAgentStatus(ctx(t), "a2", store.AgentOffline, t0)
		noErr(t, err, "SetAgentStatus")
		at := t0.Add(time.Minute)
		got, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, From: store.Owner{AgentID: "a1"},
			To: store.Owner{AgentID: "a2"}, Force: true, At: at})
		noErr(t, err, "ChangeOwner a1 -> a2")
		equal(t, got.AssigneeID, "a2", "AssigneeID")
		equal(t, mustAgent(t, s, "a1").Open, 0, "a1 Open")
		equal(t, mustAgent(t, s, "a2").Open, 1, "a2 Open")
		equal(t, mustContact(t, s, res.Contact.ID).LastAgentID, "a2", "LastAgentID")
		sameTime(t, mustConversation(t, s, res.Conversation.ID).UpdatedAt, at, "UpdatedAt")
	}},
	{"a change to a full agent changes nothing: owner, load, queue, AI flag and turn", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		mustCreateAgent(t, s, "full", 1)
		mustClaim(t, s, newConversation(t, s, 9).Conversation.ID, "full", t0)

		human := newConversation(t, s, 1)
		mustClaim(t, s, human.Conversation.ID, "a1", t0)
		before := snap(t, s, human.Conversation.ID, "a1", "full")
		_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: human.Conversation.ID, From: store.Owner{AgentID: "a1"},
			To: store.Owner{AgentID: "full"}, Force: true, At: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrAgentFull, "agent-owned")
		unchanged(t, s, before, "agent-owned")

		ai := newConversation(t, s, 2)
		mustAssignAI(t, s, ai.Conversation.ID, "bot", t0)
		mustRequestAITurn(t, s, ai.Conversation.ID, ai.Message.ID, t0)
		before = snap(t, s, ai.Conversation.ID, "full")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: ai.Conversation.ID, From: store.Owner{AIAgentID: "bot"},
			To: store.Owner{AgentID: "full"}, Force: true, At: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrAgentFull, "AI-owned")
		unchanged(t, s, before, "AI-owned")
		equal(t, len(claimAI(t, s, t0.Add(time.Minute), 10)), 1, "the AI turn is still pending")

		queued := newConversation(t, s, 3)
		mustQueue(t, s, queued.Conversation.ID, routing.Target{Team: "support"}, t0)
		before = snap(t, s, queued.Conversation.ID, "full")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: queued.Conversation.ID, To: store.Owner{AgentID: "full"}, Force: true, At: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrAgentFull, "queued")
		unchanged(t, s, before, "queued")
	}},
	{"taking a conversation from an AI agent sets AIHandedOff and cancels its turn", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		mustAssignAI(t, s, res.Conversation.ID, "bot", t0)
		mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, t0)
		claims := claimAI(t, s, t0, 10)
		equal(t, len(claims), 1, "claimed turn")
		got, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, From: store.Owner{AIAgentID: "bot"},
			To: store.Owner{AgentID: "a1"}, Force: true, At: t0.Add(time.Minute)})
		noErr(t, err, "ChangeOwner bot -> a1")
		equal(t, got.AssigneeID, "a1", "AssigneeID")
		equal(t, got.AIAgentID, "", "AIAgentID")
		equal(t, got.AIHandedOff, true, "AIHandedOff")
		equal(t, got.AITurnMessageID, "", "AITurnMessageID")
		_, err = s.CompleteAITurn(ctx(t), res.Conversation.ID, claims[0].Lease, res.Message.ID, store.AITurnResult{At: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrLeaseLost, "the running turn lost its lease")
		equal(t, mustAgent(t, s, "a1").Open, 1, "a1 Open")
	}},
	{"the same owner again changes nothing; malformed changes are refused", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 1)
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		before := snap(t, s, res.Conversation.ID, "a1")
		got, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, From: store.Owner{AgentID: "a1"},
			To: store.Owner{AgentID: "a1"}, At: t0.Add(time.Hour)})
		noErr(t, err, "a1 -> a1 (at capacity)")
		equal(t, got.AssigneeID, "a1", "AssigneeID")
		unchanged(t, s, before, "same owner")
		for _, c := range []store.OwnerChange{
			{ConversationID: res.Conversation.ID, From: store.Owner{AgentID: "a1", AIAgentID: "bot"}, At: t0},
			{ConversationID: res.Conversation.ID, From: store.Owner{AgentID: "a1"}, To: store.Owner{AgentID: "a1", AIAgentID: "bot"}, At: t0},
			{From: store.Owner{AgentID: "a1"}, At: t0},
		} {
			_, err := s.ChangeOwner(ctx(t), c)
			if err == nil || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrAssigned) {
				t.Fatalf("ChangeOwner(%+v): %v, want a plain refusal", c, err)
			}
		}
		unchanged(t, s, before, "after refusals")
	}},
	{"20 goroutines swapping the same owner: exactly one wins and the loads add up", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a0", 0)
		for i := range 20 {
			mustCreateAgent(t, s, fmt.Sprintf("b%02d", i), 0)
			_, err := s.SetAgentStatus(ctx(t), fmt.Sprintf("b%02d", i), store.AgentOnline, t0)
			noErr(t, err, "SetAgentStatus")
		}
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a0", t0)
		var won atomic.Int32
		parallel(t, 20, func(i int) error {
			_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, From: store.Owner{AgentID: "a0"},
				To: store.Owner{AgentID: fmt.Sprintf("b%02d", i)}, At: t0.Add(time.Minute)})
			switch {
			case err == nil:
				won.Add(1)
			case !errors.Is(err, store.ErrAssigned):
				return err
			}
			return nil
		})
		equal(t, won.Load(), int32(1), "winners")
		total := 0
		for _, a := range mustAgents(t, s) {
			total += a.Open
		}
		equal(t, total, 1, "open conversations counted across agents")
		equal(t, mustAgent(t, s, "a0").Open, 0, "a0 Open")
	}},
}

func mustAgents(t *testing.T, s store.Store) []store.Agent {
	t.Helper()
	as, err := s.ListAgents(ctx(t), nil)
	noErr(t, err, "ListAgents")
	return as
}
