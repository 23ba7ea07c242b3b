package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

// testAgent returns an online agent in team "support".
func testAgent(id string, capacity int) store.Agent {
	return store.Agent{
		ID: id, Name: "Agent " + id, Status: store.AgentOnline, Capacity: capacity,
		Teams: []string{"support"}, CreatedAt: t0, UpdatedAt: t0,
	}
}

func mustCreateAgent(t *testing.T, s store.Store, id string, capacity int) store.Agent {
	t.Helper()
	a := testAgent(id, capacity)
	noErr(t, s.CreateAgent(ctx(t), a), "CreateAgent("+id+")")
	return a
}

func mustAgent(t *testing.T, s store.Store, id string) store.Agent {
	t.Helper()
	a, err := s.Agent(ctx(t), id)
	noErr(t, err, "Agent("+id+")")
	return a
}

func mustConversation(t *testing.T, s store.Store, id string) store.Conversation {
	t.Helper()
	c, err := s.Conversation(ctx(t), id)
	noErr(t, err, "Conversation")
	return c
}

// newConversation records the first message of the n-th test contact on
// channel ch1 (which must exist) at t0+n seconds: each call opens a new
// conversation, created after the previous ones.
func newConversation(t *testing.T, s store.Store, n int) store.InboundResult {
	t.Helper()
	return mustRecord(t, s, inbound("ch1", contactPhone(n), n, t0.Add(time.Duration(n)*time.Second)))
}

// contactPhone is the phone number of the n-th test contact.
func contactPhone(n int) string { return fmt.Sprintf("+1415555%04d", n) }

func mustClaim(t *testing.T, s store.Store, conversationID, agentID string, at time.Time) store.Conversation {
	t.Helper()
	c, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: conversationID, To: store.Owner{AgentID: agentID}, At: at})
	noErr(t, err, "ClaimAssignment("+agentID+")")
	return c
}

var agentCases = []testCase{
	{"create then get returns the agent as given, with Open starting at 0", func(t *testing.T, s store.Store) {
		a := testAgent("a1", 3)
		a.Open = 7
		noErr(t, s.CreateAgent(ctx(t), a), "CreateAgent")
		got := mustAgent(t, s, "a1")
		equal(t, got.Name, "Agent a1", "Name")
		equal(t, got.Status, store.AgentOnline, "Status")
		equal(t, got.Capacity, 3, "Capacity")
		equal(t, got.Open, 0, "Open ignores the caller's value")
		equal(t, len(got.Teams), 1, "Teams")
		equal(t, got.Teams[0], "support", "Team")
		sameTime(t, got.CreatedAt, t0, "CreatedAt")
		sameTime(t, got.UpdatedAt, t0, "UpdatedAt")
	}},
	{"the stored agent does not share the caller's Teams", func(t *testing.T, s store.Store) {
		a := testAgent("a1", 3)
		noErr(t, s.CreateAgent(ctx(t), a), "CreateAgent")
		a.Teams[0] = "changed by the caller"
		got := mustAgent(t, s, "a1")
		got.Teams[0] = "changed by a reader"
		equal(t, mustAgent(t, s, "a1").Teams[0], "support", "Teams")
	}},
	{"create with a taken ID is ErrExists", func(t *testing.T, s store.Store) {
		mustCreateAgent(t, s, "a1", 3)
		wantErr(t, s.CreateAgent(ctx(t), testAgent("a1", 5)), store.ErrExists, "second CreateAgent")
		equal(t, mustAgent(t, s, "a1").Capacity, 3, "first agent kept")
	}},
	{"get, update, set status and delete of an unknown agent are ErrNotFound", func(t *testing.T, s store.Store) {
		_, err := s.Agent(ctx(t), "nope")
		wantErr(t, err, store.ErrNotFound, "Agent")
		_, err = s.UpdateAgent(ctx(t), testAgent("nope", 1))
		wantErr(t, err, store.ErrNotFound, "UpdateAgent")
		_, err = s.SetAgentStatus(ctx(t), "nope", store.AgentAway, t0)
		wantErr(t, err, store.ErrNotFound, "SetAgentStatus")
		wantErr(t, s.DeleteAgent(ctx(t), "nope"), store.ErrNotFound, "DeleteAgent")
	}},
	{"update replaces name, capacity and teams but keeps status, Open and LastAssignedAt", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		mustClaim(t, s, newConversation(t, s, 1).Conversation.ID, "a1", t0.Add(time.Minute))
		u := testAgent("a1", 10)
		u.Name, u.Teams, u.UpdatedAt = "Renamed", []string{"billing", "vip"}, t0.Add(time.Hour)
		u.Status, u.Open, u.LastAssignedAt = store.AgentOffline, 9, t0.Add(time.Hour)
		got, err := s.UpdateAgent(ctx(t), u)
		noErr(t, err, "UpdateAgent")
		for _, a := range []store.Agent{got, mustAgent(t, s, "a1")} {
			equal(t, a.Name, "Renamed", "Name")
			equal(t, a.Capacity, 10, "Capacity")
			equal(t, len(a.Teams), 2, "Teams")
			equal(t, a.Teams[1], "vip", "Teams[1]")
			sameTime(t, a.UpdatedAt, t0.Add(time.Hour), "UpdatedAt")
			equal(t, a.Status, store.AgentOnline, "Status kept")
			equal(t, a.Open, 1, "Open kept")
			sameTime(t, a.LastAssignedAt, t0.Add(time.Minute), "LastAssignedAt kept")
			sameTime(t, a.CreatedAt, t0, "CreatedAt kept")
		}
	}},
	{"lowering the capacity below Open unassigns nothing", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 2)
		c1 := mustClaim(t, s, newConversation(t, s, 1).Conversation.ID, "a1", t0)
		mustClaim(t, s, newConversation(t, s, 2).Conversation.ID, "a1", t0)
		got, err := s.UpdateAgent(ctx(t), testAgent("a1", 1))
		noErr(t, err, "UpdateAgent")
		equal(t, got.Open, 2, "Open")
		equal(t, got.Full(), true, "Full")
		equal(t, mustConversation(t, s, c1.ID).AssigneeID, "a1", "still assigned")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: newConversation(t, s, 3).Conversation.ID, To: store.Owner{AgentID: "a1"}, At: t0})
		wantErr(t, err, store.ErrAgentFull, "claim over the new capacity")
	}},
	{"set status changes the status and UpdatedAt only", func(t *testing.T, s store.Store) {
		mustCreateAgent(t, s, "a1", 3)
		got, err := s.SetAgentStatus(ctx(t), "a1", store.AgentAway, t0.Add(time.Hour))
		noErr(t, err, "SetAgentStatus")
		for _, a := range []store.Agent{got, mustAgent(t, s, "a1")} {
			equal(t, a.Status, store.AgentAway, "Status")
			sameTime(t, a.UpdatedAt, t0.Add(time.Hour), "UpdatedAt")
			equal(t, a.Name, "Agent a1", "Name")
			equal(t, a.Capacity, 3, "Capacity")
		}
	}},
	{"list is ordered by ID, skips unknown IDs and lists everyone for nil", func(t *testing.T, s store.Store) {
		for _, id := range []string{"c", "a", "b"} {
			mustCreateAgent(t, s, id, 1)
		}
		all, err := s.ListAgents(ctx(t), nil)
		noErr(t, err, "ListAgents(nil)")
		equal(t, len(all), 3, "all")
		for i, id := range []string{"a", "b", "c"} {
			equal(t, all[i].ID, id, "order")
		}
		some, err := s.ListAgents(ctx(t), []string{"c", "nope", "a"})
		noErr(t, err, "ListAgents(ids)")
		equal(t, len(some), 2, "known only")
		equal(t, some[0].ID, "a", "first")
		equal(t, some[1].ID, "c", "second")
	}},
	{"list reports current Open counts", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 0)
		mustCreateAgent(t, s, "a2", 0)
		mustClaim(t, s, newConversation(t, s, 1).Conversation.ID, "a2", t0)
		mustClaim(t, s, newConversation(t, s, 2).Conversation.ID, "a2", t0)
		list, err := s.ListAgents(ctx(t), []string{"a1", "a2"})
		noErr(t, err, "ListAgents")
		equal(t, list[0].Open, 0, "a1 Open")
		equal(t, list[1].Open, 2, "a2 Open")
	}},
	{"delete removes the agent; its conversations keep its ID", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		c := mustClaim(t, s, newConversation(t, s, 1).Conversation.ID, "a1", t0)
		noErr(t, s.DeleteAgent(ctx(t), "a1"), "DeleteAgent")
		_, err := s.Agent(ctx(t), "a1")
		wantErr(t, err, store.ErrNotFound, "Agent after delete")
		wantErr(t, s.DeleteAgent(ctx(t), "a1"), store.ErrNotFound, "second DeleteAgent")
		equal(t, mustConversation(t, s, c.ID).AssigneeID, "a1", "AssigneeID kept")
		list, err := s.ListAgents(ctx(t), nil)
		noErr(t, err, "ListAgents")
		equal(t, len(list), 0, "agents")
	}},
}
