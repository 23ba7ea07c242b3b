package livedesk_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// TestAssignToFullAgentChangesNothing: a forced Assign is one atomic
// owner change, so a full agent leaves every kind of conversation exactly
// as it was.
func TestAssignToFullAgentChangesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(t *testing.T) store.Store) {
		bot := scriptedAI(func(livedesk.AIRequest) (livedesk.AIResponse, error) { return livedesk.AIResponse{Text: "Hello!"}, nil })
		h, _ := newHarness(t, func(o *livedesk.Options) { o.Store = newStore(t) }, withAI("gpt", bot))
		createAgent(t, h, "a1", 5, store.AgentOnline)
		createAgent(t, h, "full", 1, store.AgentOnline)
		createAgent(t, h, "idle", 5, store.AgentOffline)
		ch := h.AddChannel(rules(
			routing.Rule{Name: "to a1", When: routing.Condition{TextContainsAny: []string{"human"}}, Then: routing.Target{Agent: "a1"}},
			routing.Rule{Name: "to gpt", When: routing.Condition{TextContainsAny: []string{"bot"}}, Then: routing.Target{AIAgent: "gpt"}},
			routing.Rule{Name: "to sales", When: routing.Condition{TextContainsAny: []string{"wait"}}, Then: routing.Target{Team: "sales"}},
		))
		require.NoError(t, h.AddAgent(t.Context(), ch.ID, "full"))
		h.Post(ch, livedesktest.Message{From: "+14155550109", Body: "anything"}) // fills "full"
		h.Post(ch, livedesktest.Message{From: "+14155550101", Body: "human please"})
		h.Post(ch, livedesktest.Message{From: "+14155550102", Body: "bot please"})
		h.Post(ch, livedesktest.Message{From: "+14155550103", Body: "I will wait"})
		byPhone := map[string]store.Conversation{}
		for _, p := range []string{"+14155550101", "+14155550102", "+14155550103"} {
			byPhone[p] = convOf(t, h, ch, p)
		}
		require.Equal(t, "a1", byPhone["+14155550101"].AssigneeID)
		require.Equal(t, "gpt", byPhone["+14155550102"].AIAgentID)
		require.False(t, byPhone["+14155550103"].QueuedAt.IsZero())
		loads := func() map[string]int {
			m := map[string]int{}
			for _, id := range []string{"a1", "full", "idle"} {
				a, err := h.Agent(t.Context(), id)
				require.NoError(t, err)
				m[id] = a.Open
			}
			return m
		}
		before := loads()
		for phone, conv := range byPhone {
			_, err := h.Assign(t.Context(), conv.ID, "full")
			require.ErrorIs(t, err, store.ErrAgentFull, phone)
			after, err := h.Conversation(t.Context(), conv.ID)
			require.NoError(t, err)
			require.Equal(t, conv.Owner(), after.Owner(), phone+": owner")
			require.True(t, conv.QueuedAt.Equal(after.QueuedAt), phone+": place in the queue")
			require.Equal(t, conv.QueueTarget, after.QueueTarget, phone+": queue target")
			require.Equal(t, conv.AIHandedOff, after.AIHandedOff, phone+": AI hand-off flag")
			require.Equal(t, conv.AITurnMessageID, after.AITurnMessageID, phone+": AI turn")
		}
		require.Equal(t, before, loads(), "agent loads")
		require.Zero(t, h.CountEvents(livedesk.EventUnassigned))
		require.Zero(t, h.CountEvents(livedesk.EventHandedOff))

		// Forced assignment to an offline agent with room works and moves
		// everything at once.
		ai := byPhone["+14155550102"]
		got, err := h.Assign(t.Context(), ai.ID, "idle")
		require.NoError(t, err)
		require.Equal(t, "idle", got.AssigneeID)
		require.Empty(t, got.AIAgentID)
		require.True(t, got.AIHandedOff)
		require.Equal(t, 1, h.CountEvents(livedesk.EventHandedOff))
		human := byPhone["+14155550101"]
		got, err = h.Assign(t.Context(), human.ID, "idle")
		require.NoError(t, err)
		require.Equal(t, "idle", got.AssigneeID)
		require.Equal(t, map[string]int{"a1": 0, "full": 1, "idle": 2}, loads())
		require.Equal(t, 1, h.CountEvents(livedesk.EventUnassigned))
	})
}

func TestContacts(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(t *testing.T) store.Store) {
		h, _ := newHarness(t, func(o *livedesk.Options) { o.Store = newStore(t) })
		createAgent(t, h, "vip", 0, store.AgentOnline)
		ch := h.AddChannel(rules(routing.Rule{Name: "VIP", When: routing.Condition{Attribute: &routing.AttributeCondition{Key: "plan", In: []string{"gold", "platinum"}}},
			Then: routing.Target{Agent: "vip"}}))
		h.Post(ch, livedesktest.Message{From: "+33612345678", Body: "hello"})
		conv := h.RequireConversations(ch.ID, 1)[0]
		require.Empty(t, conv.AssigneeID, "no attribute yet: the rule does not match")

		k, err := h.ContactByPhone(t.Context(), ch.ID, "whatsapp:+33612345678")
		require.NoError(t, err)
		_, err = h.ContactByPhone(t.Context(), ch.ID, "+33600000000")
		require.ErrorIs(t, err, livedesk.ErrNotFound)
		_, err = h.ContactByPhone(t.Context(), ch.ID, "0612345678")
		require.ErrorIs(t, err, livedesk.ErrBadContact)

		name := "Ana Lima"
		got, err := h.UpdateContact(t.Context(), k.ID, livedesk.ContactUpdate{Name: &name, Attributes: map[string]string{"plan": "gold"}})
		require.NoError(t, err)
		require.Equal(t, "Ana Lima", got.Name)
		ev := h.WaitEvents(livedesk.EventContactUpdated, 1)[0]
		require.Equal(t, k.ID, ev.ContactID)
		require.Equal(t, ch.ID, ev.ChannelID)

		_, err = h.Resolve(t.Context(), conv.ID)
		require.NoError(t, err)
		h.Post(ch, livedesktest.Message{From: "+33612345678", Body: "hello again"})
		open, err := h.Desk.Conversations(t.Context(), store.ConversationFilter{ContactID: k.ID, Status: store.StatusOpen})
		require.NoError(t, err)
		require.Len(t, open, 1)
		require.Equal(t, "vip", open[0].AssigneeID, "the attribute rule matches after the update")

		for _, bad := range []livedesk.ContactUpdate{
			{Attributes: map[string]string{"": "x"}},
			{Attributes: map[string]string{"has space": "x"}},
			{Attributes: map[string]string{strings.Repeat("k", 65): "x"}},
			{Attributes: map[string]string{"k": strings.Repeat("v", 1025)}},
			{Attributes: map[string]string{"k": "nul\x00"}},
			{Attributes: map[string]string{"k": "\xed\xa0\x80"}},
			{Unset: []string{"bad key"}},
			{Name: ptr(strings.Repeat("n", 257))},
			{Name: ptr("line\nbreak")},
		} {
			_, err := h.UpdateContact(t.Context(), k.ID, bad)
			require.ErrorIs(t, err, livedesk.ErrBadContact, "%+v", bad)
		}
		after, err := h.Contact(t.Context(), k.ID)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"plan": "gold"}, after.Attributes, "bad updates change nothing")
		require.Equal(t, "Ana Lima", after.Name)
		_, err = h.UpdateContact(t.Context(), "no-such-contact", livedesk.ContactUpdate{Attributes: map[string]string{"a": "b"}})
		require.ErrorIs(t, err, livedesk.ErrNotFound)
	})
}

func ptr[T any](v T) *T { return &v }
